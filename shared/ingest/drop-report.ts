import { describeAlertChanges, type AlertChangesOutcome } from '../alerts/alert-changes.js';
import type { ImportRejectedError, ImportSummary } from './import-file.js';

/**
 * The reports a dropped file leaves beside itself (`done/NAME.report.txt`,
 * `rejected/NAME.report.txt`): what was stored and alerted, or every line that kept it out.
 * Files are named as dropped, never by the temporary path an attempt read them from.
 */

export function importedReport(name: string, summary: ImportSummary, alerts: AlertChangesOutcome, at: Date): string {
  const stored =
    summary.skippedChunks < 0
      ? [`Already imported (run ${summary.runKey}): the same content was stored before; nothing stored again.`]
      : [
          `Rows: ${summary.rows} in ${summary.series} series (run ${summary.runKey}).`,
          `Months: ${summary.inserted} new, ${summary.revised} revised, ${summary.unchanged} unchanged${summary.skippedChunks > 0 ? ` (resumed: ${summary.skippedChunks} chunk(s) stored by an earlier attempt)` : ''}.`,
        ];
  return lines([`tradewatch imported ${name} at ${at.toISOString()}.`, ...stored, ...describeAlertChanges(alerts)]);
}

export function rejectedReport(name: string, rejected: ImportRejectedError, at: Date): string {
  const more = rejected.errorCount > rejected.errors.length ? [`… and ${rejected.errorCount - rejected.errors.length} more`] : [];
  return lines([
    `tradewatch rejected ${name} at ${at.toISOString()}: ${rejected.errorCount} bad row(s) of ${rejected.rows}; nothing was stored.`,
    'Correct the lines below and drop the file into incoming/ again.',
    '',
    ...rejected.errors.map((e) => `${name}:${e.line}: ${e.reason}`),
    ...more,
  ]);
}

const lines = (all: readonly string[]) => `${all.join('\n')}\n`;
