import { loadDropConfig } from '../../shared/config/functions.js';
import { processDroppedFile } from '../../shared/ingest/drop-file.js';
import { readDropEvent } from '../../shared/ingest/s3-drop-event.js';
import { observability } from '../../shared/observability.js';
import { alertingFor, createS3DropFolder, createStore } from '../../shared/wiring.js';

const config = loadDropConfig();
const { logger, count, observe } = observability('drop');
const store = createStore(config);
const folder = createS3DropFolder(config);
const alerting = alertingFor(config, store);

/**
 * CSV files created under incoming/ in the drop bucket: each imported, detected, alerted, then
 * moved to done/ or rejected/ with its report. A failure throws, so Lambda retries the event
 * (then sends it to the on-failure queue); a retry resumes and sends nothing twice.
 */
export const handler = observe(async (event: unknown) => {
  const { dropped, ignored } = readDropEvent(event);
  if (ignored.length > 0) logger.warn('Event records not for incoming/ ignored', { ignored });
  const outcomes: { name: string; outcome: string }[] = [];
  for (const object of dropped) {
    if (object.bucket !== folder.bucket) throw new Error(`event for bucket ${object.bucket}, but this function handles ${folder.bucket}`);
    const dropOutcome = await processDroppedFile(object.name, folder, { ...store, alerting, now: () => new Date() });
    outcomes.push({ name: object.name, outcome: dropOutcome.outcome });
    if (dropOutcome.outcome === 'gone') logger.info('Not in incoming/ any more: already handled by an earlier attempt; nothing done', { name: object.name });
    else if (dropOutcome.outcome === 'rejected') {
      count('FilesRejected', 1);
      logger.warn('File rejected: nothing stored', { name: object.name, badRows: dropOutcome.rejected.errorCount, report: `rejected/${object.name}.report.txt` });
    } else {
      count('FilesImported', 1);
      const { summary, alerts } = dropOutcome;
      logger.info('File imported', {
        name: object.name,
        runKey: summary.runKey,
        rows: summary.rows,
        inserted: summary.inserted,
        revised: summary.revised,
        anomalies: alerts.anomalies.length,
        alertsSent: alerts.published ? alerts.sent.length : 0,
        report: `done/${object.name}.report.txt`,
      });
    }
  }
  return { files: outcomes };
});
