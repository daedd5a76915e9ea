import * as z from '../zod.js';
import type { SourceRequest } from '../sources/trade-source.js';
import type { BackfillRepository } from '../store/backfill-repository.js';
import type { RunRepository } from '../store/run-repository.js';
import { backfillBudget, backfillProgress, backfillStateKey, newBackfillStates, planBackfill, type BackfillProgress, type BackfillState } from './backfill-plan.js';
import type { WorkItemCallEstimate } from './call-estimate.js';
import { trailingPeriods, type Watchlist } from './watchlist.js';
import type { WorkQueue } from './work-queue.js';
import { planWorkItems } from './work-items.js';

/** The input EventBridge Scheduler sends; `scheduledTime` is the run's idempotency key. */
export const scheduledRunSchema = z.object({
  run: z._default(z.enum(['daily', 'monthly-refresh']), 'daily'),
  scheduledTime: z.iso.datetime({ offset: true }),
});
export type ScheduledRun = z.infer<typeof scheduledRunSchema>;

export interface PlanDependencies {
  readonly watchlist: Watchlist;
  readonly queue: WorkQueue;
  readonly backfill: Pick<BackfillRepository, 'statesOf' | 'create' | 'markQueued'>;
  readonly budget: Pick<RunRepository, 'budgetUse' | 'addPlannedCalls'>;
  /** The source whose budget is divided (its name in the budget items). */
  readonly source: string;
  readonly dailyCallBudget: number;
  readonly estimate: WorkItemCallEstimate;
}

export interface PlannedRun {
  readonly workItems: number;
  /** The scheduled run's items and the calls they may take at most. */
  readonly scheduledItems: number;
  readonly scheduledCalls: number;
  /** What the day left the backfill, and what of it was queued. */
  readonly backfillBudget: number;
  readonly backfillItems: number;
  readonly backfillCalls: number;
  /** Watched partners first seen by this run: their history is now wanted. */
  readonly newPartners: number;
  readonly progress: BackfillProgress;
}

/**
 * Splits the watchlist into work items on the queue, then gives the history the watched series
 * still miss only what the day's call budget leaves: the scheduled run first, the backfill after
 * it, and what does not fit waits for the next days' runs. Partners seen for the first time (a
 * fresh table, a grown watchlist) get their history wanted; those already known are not asked again.
 */
export async function planScheduledRun(run: ScheduledRun, deps: PlanDependencies): Promise<PlannedRun> {
  const scheduledAt = new Date(run.scheduledTime);
  const today = scheduledAt.toISOString().slice(0, 10);
  const scheduled = planWorkItems(deps.watchlist, trailingPeriods(deps.watchlist, scheduledAt), run.run, run.scheduledTime);
  const scheduledCalls = scheduled.reduce((sum, item) => sum + deps.estimate(item), 0);

  const { states, created } = await watchedStates(deps, scheduledAt);
  const use = await deps.budget.budgetUse(deps.source, today);
  const budget = backfillBudget({ dailyBudget: deps.dailyCallBudget, usedToday: use.used, plannedToday: use.planned, scheduledCalls });
  const estimate = (request: SourceRequest) => deps.estimate({ run: 'backfill', request });
  const backfill = planBackfill({ states, budget, today, scheduledTime: run.scheduledTime, estimate });

  // The scheduled run goes first on the queue, and is planned first against the budget.
  await deps.queue.enqueue([...scheduled, ...backfill.items]);
  // Recorded after queueing: a planner run retried after a failure queues the same run keys again, which costs nothing twice.
  await deps.budget.addPlannedCalls(deps.source, today, scheduledCalls + backfill.calls);
  await inBatches(backfill.items, (item) => deps.backfill.markQueued(item.request.reporter, item.request.commodity, item.request.partners, item.history!.chunk, today));

  const progress = backfillProgress(states, { callsPerDay: Math.max(0, deps.dailyCallBudget - scheduledCalls), estimate });
  return {
    workItems: scheduled.length + backfill.items.length,
    scheduledItems: scheduled.length,
    scheduledCalls,
    backfillBudget: budget,
    backfillItems: backfill.items.length,
    backfillCalls: backfill.calls,
    newPartners: created,
    progress,
  };
}

/** The backfill states of every watched partner, new partners' stored first; partners no longer watched are left alone. */
async function watchedStates(deps: PlanDependencies, now: Date): Promise<{ states: BackfillState[]; created: number }> {
  const stored: BackfillState[] = [];
  for (const reporter of new Set(deps.watchlist.entries.map((e) => e.reporter))) stored.push(...(await deps.backfill.statesOf(reporter)));
  const known = new Set(stored.map((s) => backfillStateKey(s.reporter, s.commodity, s.partner)));
  const fresh = newBackfillStates(deps.watchlist, known, now);
  await inBatches(fresh, (state) => deps.backfill.create(state));
  const watched = new Set(deps.watchlist.entries.flatMap((e) => e.partners.map((p) => backfillStateKey(e.reporter, e.commodity, p))));
  return { states: [...stored.filter((s) => watched.has(backfillStateKey(s.reporter, s.commodity, s.partner))), ...fresh], created: fresh.length };
}

/** Independent writes a few at a time: a global watchlist's first run creates tens of thousands of states. */
async function inBatches<T>(items: readonly T[], write: (item: T) => Promise<void>, width = 16): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(write));
}
