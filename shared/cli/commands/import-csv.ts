import { IngestRunFailedError } from '../../ingest/ingest-run.js';
import { importTradeCsvFile } from '../../ingest/import-file.js';
import { createStore } from '../../wiring.js';
import { alertStored } from '../alert-stored.js';
import { runFailureMessage } from '../run-failure.js';
import { cliConfig } from '../store-target.js';
import type { Out } from './output.js';

/**
 * `tradewatch import FILE.csv`: nothing is stored unless every row can be; with --skip-bad, the
 * good rows are stored and the bad ones reported. Streamed; a run cut short resumes when the same
 * command runs again.
 */
export async function importCsv(file: string, options: { skipBad?: boolean; alert?: boolean }, out: Out, now = new Date()): Promise<void> {
  const config = cliConfig();
  const store = createStore(config);
  const { series, runs } = store;
  let summary: Awaited<ReturnType<typeof importTradeCsvFile>>;
  try {
    summary = await importTradeCsvFile({ file, series, runs, skipBad: options.skipBad ?? false, now });
  } catch (error) {
    if (!(error instanceof IngestRunFailedError)) throw error;
    throw new Error(runFailureMessage(error, config, error.runKey, `the same command (tradewatch import ${file}${options.skipBad ? ' --skip-bad' : ''})`));
  }
  if (summary.skippedChunks < 0) out(`${file}: already imported (run ${summary.runKey}); nothing stored again.`);
  else printImported(file, summary, out);
  await alertStored(config, store, summary.reporters, { noAlert: options.alert === false }, out);
}

function printImported(file: string, summary: Awaited<ReturnType<typeof importTradeCsvFile>>, out: Out): void {
  const resumed = summary.skippedChunks > 0 ? ` (resumed: ${summary.skippedChunks} chunk(s) stored before)` : '';
  out(`${file}: ${summary.rows} rows, ${summary.series} series: ${summary.inserted} months new, ${summary.revised} revised, ${summary.unchanged} unchanged${resumed}.`);
  if (summary.skippedCount > 0) {
    out(`Skipped ${summary.skippedCount} bad row(s):`);
    for (const error of summary.skipped) out(`  ${file}:${error.line}: ${error.reason}`);
    if (summary.skippedCount > summary.skipped.length) out(`  … and ${summary.skippedCount - summary.skipped.length} more`);
  }
}
