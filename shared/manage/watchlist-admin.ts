import { monthlyCost, monthlyUpstreamCalls } from '../cost/cost-model.js';
import { rowsPerSeriesMonth, selectionLabel } from '../domain/commodity.js';
import { upstreamOf, upstreamSchema, type Upstream } from '../domain/upstream.js';
import { backfillProgress, backfillStateKey, newBackfillStates } from '../plan/backfill-plan.js';
import { backfillCallEstimate } from '../plan/call-estimate.js';
import { scheduledWork, type UpstreamPlanning } from '../plan/plan-run.js';
import { toWatchEntry, watchlistOf, type WatchEntry } from '../plan/watch-entries.js';
import { comextIssues, entriesOf, mirrorIssues, expandWatchlist, watchlistEntryInputSchema, type Watchlist, type WatchlistEntryInput, type WatchlistInput } from '../plan/watchlist.js';
import type { WatchlistRepository } from '../store/watchlist-repository.js';
import * as z from '../zod.js';

/** What the watchlist's management needs: the table's watchlist, its seed and window, each upstream's budget and call count. */
export interface WatchlistAdminDependencies {
  readonly watchlist: Pick<WatchlistRepository, 'current' | 'add' | 'remove'>;
  /** The deploy's watchlist: seeds an empty table once, and gives the trailing window and history every entry gets. */
  readonly seed: WatchlistInput;
  readonly upstreams: Readonly<Record<Upstream, UpstreamPlanning>>;
  readonly now: () => Date;
}

/** A new entry as the console, the API and `tradewatch watch add` send it, checked as the watchlist's schema checks it. */
export const newWatchEntrySchema = z.pipe(
  watchlistEntryInputSchema,
  z.transform((entry, ctx) => {
    // A Comext entry must be one Comext can be asked for (its reporter, partners and codes), and has no mirror side.
    for (const issue of mirrorIssues([entry])) ctx.issues.push({ ...issue, path: ['mirror'] });
    for (const issue of comextIssues(expandWatchlist({ entries: [entry], monthsBack: 1 }).entries.slice(0, 1))) ctx.issues.push({ ...issue, path: [] });
    return entry;
  }),
);

/** What an entry will cost before it is saved: upstream calls, the backfill it starts, and money. */
export interface WatchPreview {
  readonly seriesCount: number;
  /** The most the daily run calls for the entry (every month as if released: what the planner sets aside). */
  readonly callsPerDay: number;
  /** Calls a month as the cost model counts them: availability checks, release days and the monthly refresh. */
  readonly callsPerMonth: number;
  /** Calls of the entry's history (its partners not watched yet), and the days it takes at what the daily runs leave of the budget; null when they leave nothing. */
  readonly backfillCalls: number;
  readonly backfillDays: number | null;
  /** What the watchlist costs a month more with the entry (us-east-1 list prices, see shared/cost/cost-model.ts). */
  readonly monthlyCostUsd: number;
  readonly summary: string;
}

const total = (watchlist: Watchlist) => monthlyCost(watchlist, 0).reduce((sum, line) => sum + line.usd, 0);

/** The preview of adding `entry` to the table's watchlist: the figures the planner and the cost model would reach. */
export async function previewWatchEntry(deps: WatchlistAdminDependencies, entry: WatchlistEntryInput): Promise<WatchPreview> {
  const now = deps.now();
  const window = { monthsBack: deps.seed.monthsBack, historyMonths: deps.seed.historyMonths };
  const before = watchlistOf(await deps.watchlist.current(deps.seed, now), window);
  const added = watchlistOf([toWatchEntry(entry, now)], window);
  const after: Watchlist = { ...before, entries: [...before.entries, ...added.entries] };
  const daily = { run: 'daily' as const, scheduledTime: now.toISOString() };

  let callsPerDay = 0;
  let backfillCalls = 0;
  let backfillDays: number | null = 0;
  for (const upstream of upstreamSchema.options) {
    const mine = entriesOf(added, upstream);
    if (mine.entries.length === 0) continue;
    const { estimate, dailyCallBudget } = deps.upstreams[upstream];
    callsPerDay += scheduledWork(mine, daily, estimate).calls;
    // Partners watched already (same reporter, commodity and source) have their history: only the new ones are backfilled.
    const known = new Set(entriesOf(before, upstream).entries.flatMap((e) => e.partners.map((p) => backfillStateKey(e.reporter, e.commodity, p, upstream))));
    const history = backfillProgress(newBackfillStates(mine, known, now), { callsPerDay: 1, estimate: backfillCallEstimate(estimate) }).callsPlanned;
    backfillCalls += history;
    const left = dailyCallBudget - scheduledWork(entriesOf(after, upstream), daily, estimate).calls;
    const days = history === 0 ? 0 : left > 0 ? Math.ceil(history / left) : null;
    backfillDays = backfillDays === null || days === null ? null : Math.max(backfillDays, days);
  }
  const monthly = monthlyUpstreamCalls(added);
  const seriesCount = added.entries.reduce((sum, e) => sum + e.partners.length * e.flows.length * rowsPerSeriesMonth(e.commodity), 0);
  const monthlyCostUsd = Math.max(0, Math.round((total(after) - total(before)) * 10_000) / 10_000);
  const preview = { seriesCount, callsPerDay, callsPerMonth: monthly.comtrade + monthly.comext, backfillCalls, backfillDays, monthlyCostUsd };
  return { ...preview, summary: summaryOf(entry, preview) };
}

function summaryOf(entry: WatchlistEntryInput, p: Omit<WatchPreview, 'summary'>): string {
  const partners = entry.partners === '*' ? 'every partner' : `${entry.partners.length} partner${entry.partners.length === 1 ? '' : 's'}`;
  const what = `${entry.reporter === '*' ? 'every reporter' : entry.reporter} with ${partners}, ${entry.flows.join(' and ')}, ${selectionLabel(entry.commodity)} (${upstreamOf(entry)})`;
  const backfill =
    p.backfillCalls === 0 ? 'no history to backfill' : p.backfillDays === null ? `a backfill of ${p.backfillCalls} calls that the daily budget leaves no room for` : `a backfill of ${p.backfillCalls} calls over about ${p.backfillDays} day${p.backfillDays === 1 ? '' : 's'}`;
  return `${what}: ${p.seriesCount} series; at most ${p.callsPerDay} calls a day, about ${p.callsPerMonth} a month; ${backfill}; ${formatUsd(p.monthlyCostUsd)} a month more.`;
}

/** A small monthly figure as a person reads it: `about US$1.20`, or `under US$0.01`. */
export function formatUsd(usd: number): string {
  return usd < 0.005 ? 'under US$0.01' : `about US$${usd.toFixed(2)}`;
}

/** Saves the entry (the same entry twice is one) with the preview it was saved on; the next planner run queues its backfill. */
export async function addWatchEntry(deps: WatchlistAdminDependencies, entry: WatchlistEntryInput): Promise<{ entry: WatchEntry; preview: WatchPreview; created: boolean }> {
  const preview = await previewWatchEntry(deps, entry);
  const saved = await deps.watchlist.add(toWatchEntry(entry, deps.now()));
  return { ...saved, preview };
}

export async function listWatchEntries(deps: WatchlistAdminDependencies): Promise<{ entries: WatchEntry[]; monthsBack: number; historyMonths: number }> {
  return { entries: await deps.watchlist.current(deps.seed, deps.now()), monthsBack: deps.seed.monthsBack, historyMonths: deps.seed.historyMonths };
}

/** Removes an entry: its series stay stored, the planner stops fetching them. False when there was none with that id. */
export async function removeWatchEntry(deps: WatchlistAdminDependencies, id: string): Promise<boolean> {
  // Seeded first, so a removal on a fresh table is not undone by the seed.
  await deps.watchlist.current(deps.seed, deps.now());
  return deps.watchlist.remove(id);
}
