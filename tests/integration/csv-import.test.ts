import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importCsv } from '../../shared/cli/commands/import-csv.js';
import { runFailureMessage } from '../../shared/cli/run-failure.js';
import { IngestRunFailedError } from '../../shared/ingest/ingest-run.js';
import { ensureTable, startDynamoDbLocal } from '../../shared/local/dynamodb-local.js';
import { FEED_ROUTE } from '../../shared/domain/alerts/routing.js';
import { startLocalAlertTopic, type LocalAlertTopic } from '../../shared/local/local-alerts.js';
import { createStore } from '../../shared/wiring.js';
import { azerbaijanCsv } from '../support/azerbaijan-csv.js';
import { freshTable } from '../support/local-table.js';

const HEADER = 'reporter,partner,flow,period,value,currency,unit';
const PARTNERS = ['AZE', 'KAZ', 'KGZ', 'UZB', 'TJK', 'TKM', 'GEO', 'ARM', 'TUR', 'IND'];

/** 10,000 rows: 10 partners x 2 flows x 500 months (1900-01..1941-08), one value per row. */
function tenThousandRows(valueAt: (line: number) => string = () => '1234.5'): string {
  const lines = [HEADER];
  for (const partner of PARTNERS) {
    for (const flow of ['export', 'import']) {
      for (let m = 0; m < 500; m++) {
        const period = `${1900 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
        lines.push(`CHN,${partner},${flow},${period},${valueAt(lines.length + 1)},USD,thousand`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('tradewatch import: streamed, all or nothing, resumable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradewatch-import-'));
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects a file with an unstorable value on line 5,000 of 10,000, naming that line, and stores nothing', async () => {
    const table = await freshTable();
    Object.assign(process.env, { DYNAMODB_ENDPOINT: table.connection.endpoint, TABLE_NAME: table.tableName });
    const file = join(dir, 'one-bad-line.csv');
    writeFileSync(file, tenThousandRows((line) => (line === 5_000 ? '1e200' : '1234.5')));
    const failure = await importCsv(file, {}, () => undefined).catch((error: Error) => error);
    expect((failure as Error).message).toMatch(new RegExp(`1 bad row\\(s\\) of 10000; nothing was stored[\\s\\S]*${file.replace(/[.]/g, '\\.')}:5000: column "value": "1e200": `));
    expect(await table.series.listSeries()).toEqual([]);
    expect(await table.runs.list()).toEqual([]);
  });

  it('completes when the same command runs again after DynamoDB died halfway, each month stored once', async () => {
    const data = mkdtempSync(join(dir, 'dynamodb-'));
    const file = join(dir, 'ten-thousand.csv');
    writeFileSync(file, tenThousandRows());
    let dynamo = await startDynamoDbLocal({ dbPath: data });
    try {
      await ensureTable(dynamo, 'tradewatch');
      Object.assign(process.env, { DYNAMODB_ENDPOINT: dynamo.endpoint, TABLE_NAME: 'tradewatch' });
      // DynamoDB Local is killed once the first chunks are stored.
      const { importTradeCsvFile } = await import('../../shared/ingest/import-file.js');
      const settings = { region: 'us-east-1', tableName: 'tradewatch', dynamoDbEndpoint: dynamo.endpoint };
      const store = { ...createStore(settings), settings };
      const killed = dynamo;
      const failure = await importTradeCsvFile({ ...store, file, skipBad: false, now: new Date('2024-03-20T00:00:00Z'), onChunk: async ({ chunk }) => (chunk === 0 ? killed.stop() : undefined) }).catch(
        (error: Error) => error,
      );
      expect(failure).toBeInstanceOf(IngestRunFailedError);
      // What a person reads: the table failed, what was stored is kept, and the same command resumes.
      expect(runFailureMessage(failure, store.settings, (failure as IngestRunFailedError).runKey, 'the same command')).toMatch(
        /^run import-[0-9a-f]{20} failed: the table failed \(DynamoDB at http:\/\/127\.0\.0\.1:\d+, table tradewatch\)[\s\S]*What it stored is kept; run the same command to resume/,
      );

      dynamo = await startDynamoDbLocal({ dbPath: data });
      process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
      const lines: string[] = [];
      await importCsv(file, {}, (line) => lines.push(line));
      expect(lines[0]).toMatch(/^.*ten-thousand\.csv: 10000 rows, 20 series: \d+ months new, 0 revised, \d+ unchanged \(resumed: 1 chunk\(s\) stored before\)\.$/);
      const after = createStore({ region: 'us-east-1', tableName: 'tradewatch', dynamoDbEndpoint: dynamo.endpoint });
      const series = await after.series.listSeries();
      expect(series).toHaveLength(20);
      for (const s of series) expect(s).toMatchObject({ observationCount: 500, firstPeriod: '1900-01', lastPeriod: '1941-08' });
      const kazakhExports = await after.series.getObservations('csv.CHN.KAZ.export.TOTAL.USD');
      expect(kazakhExports).toHaveLength(500);
      expect(kazakhExports.every((o) => o.value === 1_234_500 && o.revisions.length === 0)).toBe(true);
      // Imported again: nothing stored twice.
      const again: string[] = [];
      await importCsv(file, {}, (line) => again.push(line));
      expect(again[0]).toMatch(/already imported/);
    } finally {
      await dynamo.stop();
    }
    // 10,000 rows stored into DynamoDB Local at a few hundred a second, twice over with a restart: minutes on a busy machine.
  }, 360_000);
});

describe('tradewatch import alerts like a scheduled run', () => {
  const saved = { ...process.env };
  let topic: LocalAlertTopic;
  beforeAll(async () => {
    topic = await startLocalAlertTopic([FEED_ROUTE]);
  });
  afterAll(async () => {
    process.env = { ...saved };
    await topic.stop();
  });

  it('sends the Azerbaijan Jan-Feb 2024 alerts once, and nothing when the same file comes again', async () => {
    const table = await freshTable();
    Object.assign(process.env, { DYNAMODB_ENDPOINT: table.connection.endpoint, TABLE_NAME: table.tableName, SNS_ENDPOINT: topic.endpoint, ALERT_TOPIC_ARN: topic.topicArn });
    const dir = mkdtempSync(join(tmpdir(), 'tradewatch-azerbaijan-'));
    const file = join(dir, 'china-customs-azerbaijan.csv');
    writeFileSync(file, azerbaijanCsv());
    const lines: string[] = [];
    await importCsv(file, {}, (line) => lines.push(line));
    expect(lines.join('\n')).toMatch(/CRITICAL csv\.CHN\.AZE\.trade\.TOTAL\.USD Jan-Feb 2024 \+83% y\/y/);
    const first = (await topic.drain('feed')).flatMap((m) => (m.kind === 'tradewatch.digest' ? m.dedupKeys : [m.dedupKey]));
    expect(first.some((key) => key.startsWith('csv.CHN.AZE.trade.TOTAL.USD#'))).toBe(true);
    expect(new Set(first).size).toBe(first.length);
    await importCsv(file, {}, () => undefined);
    expect(await topic.drain('feed')).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
});
