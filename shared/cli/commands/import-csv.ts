import { readFile } from 'node:fs/promises';
import { SaveTally, saveBatches } from '../../ingest/save-batches.js';
import { parseTradeCsv } from '../../sources/csv/csv-import.js';
import { createStore } from '../../wiring.js';
import { cliConfig } from '../store-target.js';
import type { Out } from './output.js';

/**
 * `tradewatch import FILE.csv`: nothing is stored unless every row parses; with --skip-bad, the
 * good rows are stored and the bad ones reported.
 */
export async function importCsv(file: string, options: { skipBad?: boolean }, out: Out, now = new Date()): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const parsed = parseTradeCsv(text);
  const report = parsed.errors.map((e) => `  ${file}:${e.line}: ${e.reason}`);
  if (parsed.errors.length > 0 && !options.skipBad) {
    throw new Error(`${file}: ${parsed.errors.length} bad row(s) of ${parsed.rows}; nothing was stored (--skip-bad stores the good ones):\n${report.join('\n')}`);
  }
  const { series } = createStore(cliConfig());
  const tally = new SaveTally();
  await saveBatches(series, parsed.batches, now.toISOString(), tally);
  out(`${file}: ${parsed.rows} rows, ${parsed.batches.length} series: ${tally.inserted} months new, ${tally.revised} revised, ${tally.unchanged} unchanged.`);
  if (report.length > 0) {
    out(`Skipped ${report.length} bad row(s):`);
    for (const line of report) out(line);
  }
}
