import * as z from '../zod.js';
import { SERIES_SOURCE, upstreamSchema, type Upstream } from '../domain/upstream.js';
import type { BackfillRepository } from '../store/backfill-repository.js';
import type { RunRepository } from '../store/run-repository.js';
import { backfillBudget, backfillProgress, backfillStateKey, newBackfillStates, planBackfill, type BackfillProgress, type BackfillState } from './backfill-plan.js';
import { backfillCallEstimate, type WorkItemCallEstimate } from './call-estimate.js';
import { entriesOf, trailingPeriods, type Watchlist } from './watchlist.js';
import type { WorkQueue } from './work-queue.js';
import { planWorkItems, type WorkItem } from './work-items.js';

/** The input EventBridge Scheduler sends; `scheduledTime` is the run's idempotency key. */
export const scheduledRunSchema = z.object({
  run: z._default(z.enum(['daily', 'monthly-refresh']), 'daily'),
  scheduledTime: z.iso.datetime({ offset: true }),
});
export type ScheduledRun = z.infer<typeof scheduledRunSchema>;

/** How one upstream's calls are divided: its calls a day, and what a work item may take. */
export interface UpstreamPlanning {
  readonly dailyCallBudget: number;
  readonly estimate: WorkItemCallEstimate;
}

export interface PlanDependencies {
  /** The watchlist, or how to read it at the start of each run (on AWS: from the table, see WatchlistRepository). */
  readonly watchlist: Watchlist | (() => Promise<Watchlist>);
  readonly queue: WorkQueue;
  readonly backfill: Pick<BackfillRepository, 'statesOf' | 'create' | 'markQueued'>;
  readonly budget: Pick<RunRepository, 'budgetUse' | 'addPlannedCalls'>;
  /** Each upstream's budget is its own (BUDGET#<source>#<day>): Comext calls never spend the Comtrade key's. */
  readonly upstreams: Readonly<Record<Upstream, UpstreamPlanning>>;
}

export interface PlannedUpstreamRun {
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

/** The whole run (every upstream's counts added up, the backfill done when each upstream's is), and each upstream watched apart. */
export interface PlannedRun extends PlannedUpstreamRun {
  readonly byUpstream: Partial<Record<Upstream, PlannedUpstreamRun>>;
}

/**
 * Splits the watchlist into work items on the queue, then gives the history the watched series
 * still miss only what the day's call budget leaves: the scheduled run first, the backfill after
 * it, and what does not fit waits for the next days' runs. Partners seen for the first time (a
 * fresh table, a grown watchlist) get their history wanted; those already known are not asked
 * again. Each upstream in the watchlist is planned against its own budget.
 */
export async function planScheduledRun(run: ScheduledRun, deps: PlanDependencies): Promise<PlannedRun> {
  const byUpstream: Partial<Record<Upstream, PlannedUpstreamRun>> = {};
  const watched = typeof deps.watchlist === 'function' ? await deps.watchlist() : deps.watchlist;
  for (const upstream of upstreamSchema.options) {
    const watchlist = entriesOf(watched, upstream);
    if (watchlist.entries.length > 0) byUpstream[upstream] = await planUpstream(run, { ...deps, watchlist }, upstream);
  }
  return { ...totals(Object.values(byUpstream)), byUpstream };
}

async function planUpstream(run: ScheduledRun, deps: PlanDependencies & { readonly watchlist: Watchlist }, upstream: Upstream): Promise<PlannedUpstreamRun> {
  const { dailyCallBudget, estimate: estimateItem } = deps.upstreams[upstream];
  const budgetName = SERIES_SOURCE[upstream];
  const scheduledAt = new Date(run.scheduledTime);
  const today = scheduledAt.toISOString().slice(0, 10);
  const { items: scheduled, calls: scheduledCalls } = scheduledWork(deps.watchlist, run, estimateItem);

  const { states, created } = await watchedStates(deps, upstream, scheduledAt);
  const use = await deps.budget.budgetUse(budgetName, today);
  const budget = backfillBudget({ dailyBudget: dailyCallBudget, usedToday: use.used, plannedToday: use.planned, scheduledCalls });
  const estimate = backfillCallEstimate(estimateItem);
  const backfill = planBackfill({ states, budget, today, scheduledTime: run.scheduledTime, estimate });

  // The scheduled run goes first on the queue, and is planned first against the budget.
  await deps.queue.enqueue([...scheduled, ...backfill.items]);
  // Recorded after queueing: a planner run retried after a failure queues the same run keys again, which costs nothing twice.
  await deps.budget.addPlannedCalls(budgetName, today, scheduledCalls + backfill.calls);
  await inBatches(backfill.items, (item) => deps.backfill.markQueued(upstream, item.request.reporter, item.request.commodity, item.request.partners, item.history!.chunk, today));

  const progress = backfillProgress(states, { callsPerDay: Math.max(0, dailyCallBudget - scheduledCalls), estimate });
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

/** A scheduled run's work items for these entries, and the upstream calls they may take at most: what goes before the backfill. */
export function scheduledWork(watchlist: Watchlist, run: ScheduledRun, estimate: WorkItemCallEstimate): { items: WorkItem[]; calls: number } {
  const items = planWorkItems(watchlist, trailingPeriods(watchlist, new Date(run.scheduledTime)), run.run, run.scheduledTime);
  return { items, calls: items.reduce((sum, item) => sum + estimate(item), 0) };
}

/** The upstream's backfill states of every watched partner, new partners' stored first; partners no longer watched are left alone. */
async function watchedStates(deps: PlanDependencies & { readonly watchlist: Watchlist }, upstream: Upstream, now: Date): Promise<{ states: BackfillState[]; created: number }> {
  const stored: BackfillState[] = [];
  for (const reporter of new Set(deps.watchlist.entries.map((e) => e.reporter))) stored.push(...(await deps.backfill.statesOf(reporter)).filter((s) => s.source === upstream));
  const known = new Set(stored.map((s) => backfillStateKey(s.reporter, s.commodity, s.partner, upstream)));
  const fresh = newBackfillStates(deps.watchlist, known, now);
  await inBatches(fresh, (state) => deps.backfill.create(state));
  const watched = new Set(deps.watchlist.entries.flatMap((e) => e.partners.map((p) => backfillStateKey(e.reporter, e.commodity, p, upstream))));
  return { states: [...stored.filter((s) => watched.has(backfillStateKey(s.reporter, s.commodity, s.partner, upstream))), ...fresh], created: fresh.length };
}

function totals(runs: readonly PlannedUpstreamRun[]): PlannedUpstreamRun {
  const sum = (pick: (r: PlannedUpstreamRun) => number) => runs.reduce((total, r) => total + pick(r), 0);
  const progress = (pick: (p: BackfillProgress) => number) => sum((r) => pick(r.progress));
  const etas = runs.map((r) => r.progress.etaDays);
  return {
    workItems: sum((r) => r.workItems),
    scheduledItems: sum((r) => r.scheduledItems),
    scheduledCalls: sum((r) => r.scheduledCalls),
    backfillBudget: sum((r) => r.backfillBudget),
    backfillItems: sum((r) => r.backfillItems),
    backfillCalls: sum((r) => r.backfillCalls),
    newPartners: sum((r) => r.newPartners),
    progress: {
      partners: progress((p) => p.partners),
      partnersComplete: progress((p) => p.partnersComplete),
      monthsWanted: progress((p) => p.monthsWanted),
      monthsDone: progress((p) => p.monthsDone),
      callsPlanned: progress((p) => p.callsPlanned),
      callsLeft: progress((p) => p.callsLeft),
      complete: runs.every((r) => r.progress.complete),
      // Upstreams backfill side by side, each on its own budget: the whole is done with the slowest.
      etaDays: etas.includes(undefined) ? undefined : Math.max(0, ...(etas as number[])),
    },
  };
}

/** Independent writes a few at a time: a global watchlist's first run creates tens of thousands of states. */
async function inBatches<T>(items: readonly T[], write: (item: T) => Promise<void>, width = 16): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(write));
}
