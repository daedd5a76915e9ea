import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { importTradeCsvFile } from '../../../shared/ingest/import-file.js';
import { ensureTable } from '../../../shared/local/dynamodb-local.js';
import { createStore } from '../../../shared/wiring.js';
import type { BenchContext, BenchResult } from '../bench-context.js';

const MONTHS = 100;

/** A trade CSV of `series` x 100 months, written as a stream. */
async function writeCsv(file: string, series: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write('reporter,partner,flow,period,value,currency,unit,commodity\n');
  for (let s = 0; s < series; s++) {
    let chunk = '';
    const commodity = String(10 + (s % 90)).padStart(2, '0') + String(Math.floor(s / 90)).padStart(4, '0');
    for (let m = 0; m < MONTHS; m++) chunk += `CHN,KAZ,export,${2000 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')},${1000 + s + m}.5,USD,thousand,${commodity}\n`;
    await write(chunk);
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

/** The first pass (every row checked) in a fresh process: rows/s and peak RSS. */
function checkInChild(file: string): { rows: number; ms: number; maxRssMb: number } {
  const child = fileURLToPath(new URL('./csv-check-child.ts', import.meta.url));
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', child, file], { encoding: 'utf8', maxBuffer: 1 << 20 })) as { rows: number; ms: number; maxRssMb: number };
}

/** tradewatch import: the streamed check at 100k and 1M rows (memory flat), and storing into DynamoDB Local. */
export async function csvImport({ dynamo }: BenchContext): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tradewatch-bench-csv-'));
  try {
    const small = join(dir, '100k.csv');
    const large = join(dir, '1m.csv');
    await writeCsv(small, 1_000);
    await writeCsv(large, 10_000);
    const a = checkInChild(small);
    const b = checkInChild(large);
    const rate = (r: { rows: number; ms: number }) => Math.round(r.rows / (r.ms / 1000));

    const stored = join(dir, '20k.csv');
    await writeCsv(stored, 200);
    const tableName = 'bench-import';
    await ensureTable(dynamo, tableName);
    const store = createStore({ region: dynamo.region, tableName, dynamoDbEndpoint: dynamo.endpoint });
    const started = performance.now();
    const summary = await importTradeCsvFile({ ...store, file: stored, skipBad: false, now: new Date() });
    const seconds = (performance.now() - started) / 1000;
    return {
      name: 'tradewatch import (streamed: a checking pass, then storing chunk by chunk)',
      figures: [
        `check pass, 100k rows: ${rate(a).toLocaleString('en')} rows/s, peak RSS ${a.maxRssMb.toFixed(0)} MB (goals: >= 50,000 rows/s, <= 300 MB)`,
        `check pass, 1M rows:   ${rate(b).toLocaleString('en')} rows/s, peak RSS ${b.maxRssMb.toFixed(0)} MB`,
        `stored into DynamoDB Local, 20k rows (200 series): ${Math.round(summary.inserted / seconds).toLocaleString('en')} rows/s end to end, both passes ` +
          '(DynamoDB Local\'s conditional writes bound this, not the file)',
      ],
      ratio: { label: 'peak RSS 1M rows / 100k rows', value: b.maxRssMb / a.maxRssMb },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
