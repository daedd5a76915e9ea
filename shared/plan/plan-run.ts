import * as z from '../zod.js';
import { trailingPeriods, type Watchlist } from './watchlist.js';
import type { WorkQueue } from './work-queue.js';
import { planWorkItems } from './work-items.js';

/** The input EventBridge Scheduler sends; `scheduledTime` is the run's idempotency key. */
export const scheduledRunSchema = z.object({
  run: z._default(z.enum(['daily', 'monthly-refresh']), 'daily'),
  scheduledTime: z.iso.datetime({ offset: true }),
});
export type ScheduledRun = z.infer<typeof scheduledRunSchema>;

/** Splits the watchlist into work items on the queue; ingest workers take it from there. */
export async function planScheduledRun(run: ScheduledRun, watchlist: Watchlist, queue: WorkQueue): Promise<{ workItems: number }> {
  const items = planWorkItems(watchlist, trailingPeriods(watchlist, new Date(run.scheduledTime)), run.run, run.scheduledTime);
  await queue.enqueue(items);
  return { workItems: items.length };
}
