import { createStore } from '../../wiring.js';
import { cliConfig } from '../store-target.js';
import { rejectedLines } from './ingest.js';
import { table, type Out } from './output.js';

/** `tradewatch runs list`: ingest runs, newest first. */
export async function listRuns(options: { limit?: string }, out: Out): Promise<void> {
  const limit = options.limit === undefined ? 20 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new Error(`--limit "${options.limit}": expected a whole number from 1 to 1000`);
  const runs = await createStore(cliConfig()).runs.list(limit);
  if (runs.length === 0) {
    out('No runs stored.');
    return;
  }
  for (const line of table([
    ['RUN', 'SOURCE', 'STATUS', 'STARTED', 'CALLS', 'OBSERVATIONS', 'QUARANTINED', 'FAILED CALLS'],
    ...runs.map((r) => [r.runKey, r.source, r.status, r.startedAt, String(r.calls), String(r.observations), String(r.quarantined), String(r.failedCalls ?? 0)]),
  ])) {
    out(line);
  }
}

/** `tradewatch runs show KEY`: one run, its failed calls and the records it quarantined. */
export async function showRun(runKey: string, out: Out): Promise<void> {
  const { runs } = createStore(cliConfig());
  const run = await runs.get(runKey);
  if (!run) throw new Error(`no run with key ${runKey} (\`tradewatch runs list\` shows the stored ones)`);
  out(`Run ${run.runKey} (${run.source}): ${run.status}${run.reason ? ` — ${run.reason}` : ''}`);
  out(`  started ${run.startedAt}, last change ${run.updatedAt}${run.status === 'RUNNING' ? `, locked until ${run.lockedUntil}` : ''}`);
  out(`  ${run.calls} call(s) completed, ${run.observations} observations, ${run.quarantined} record(s) quarantined`);
  const failed = await runs.failedCalls(runKey);
  if (failed.length > 0) {
    out(`Failed calls (made again when the run resumes):`);
    for (const call of failed) out(`  ${call.failedAt}  ${call.url}: ${call.error}`);
  }
  for (const line of rejectedLines(await runs.quarantined(runKey))) out(line.replace(/; `tradewatch runs show` lists them again/, ''));
}
