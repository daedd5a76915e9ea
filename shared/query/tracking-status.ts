import { SERIES_SOURCE, upstreamOf, upstreamSchema, type Upstream } from '../domain/upstream.js';
import { selectionCovers } from '../domain/commodity.js';
import { backfillProgress, type BackfillProgress, type BackfillState } from '../plan/backfill-plan.js';
import { backfillCallEstimate } from '../plan/call-estimate.js';
import { nextScheduledRuns, type RunSchedule } from '../plan/schedule.js';
import { scheduledWork, type UpstreamPlanning } from '../plan/plan-run.js';
import { entriesOf, type Watchlist } from '../plan/watchlist.js';
import type { BackfillRepository } from '../store/backfill-repository.js';
import type { RunRepository } from '../store/run-repository.js';
import type { SeriesReader } from '../store/series-repository.js';

/** Runs looked at for quarantined records. */
const RECENT_RUNS = 100;

export interface StatusStores {
  readonly series: Pick<SeriesReader, 'listSeries'>;
  readonly backfill: Pick<BackfillRepository, 'statesOf'>;
  readonly runs: Pick<RunRepository, 'knownReleases' | 'budgetUse' | 'list'>;
}

/** A watchlist as read, and where from: the table's once seeded, else the deploy's (WATCHLIST), which the first planner run seeds the table with. */
export interface StoredWatchlist {
  readonly watchlist: Watchlist;
  readonly from: 'table' | 'deploy';
}

export interface StatusSettings {
  readonly watchlist: Watchlist;
  readonly watchlistFrom: StoredWatchlist['from'];
  readonly schedule: RunSchedule;
  /** Per scheduled upstream, its calls a day and how the planner counts a work item's calls. */
  readonly upstreams: Readonly<Record<Upstream, UpstreamPlanning>>;
  readonly now: Date;
  /** Only this reporter's entries (a global watchlist has hundreds). */
  readonly reporter?: string | undefined;
}

export interface EntryStatus {
  readonly source: Upstream;
  readonly reporter: string;
  readonly commodity: string;
  readonly partners: number;
  /** Stored series of the entry (its partners, flows and the codes its commodity covers), the months they hold, and their span. */
  readonly series: number;
  readonly monthsStored: number;
  readonly firstPeriod: string | null;
  readonly lastPeriod: string | null;
  /** The source's latest release for the reporter that a run has seen (its date), and the newest month released. */
  readonly lastRelease: { readonly releasedOn: string; readonly throughPeriod: string } | null;
  /** This entry's share of the first backfill (the ETA is the whole backfill's: entries share the budget). */
  readonly backfill: Pick<BackfillProgress, 'partners' | 'partnersComplete' | 'monthsWanted' | 'monthsDone' | 'complete'>;
}

export interface TrackingStatus {
  readonly at: string;
  /** Whose watchlist the entries are: the table's, or the deploy's while the table is not seeded yet. */
  readonly watchlist: { readonly from: StoredWatchlist['from'] };
  readonly nextRuns: { readonly daily: string; readonly monthlyRefresh: string; readonly timeZone: string };
  /** Per upstream the watchlist uses: today's calls (UTC day), and its whole first backfill with the days left at what the scheduled runs leave of its budget (undefined: they leave nothing). */
  readonly upstreams: readonly {
    readonly source: Upstream;
    readonly budget: { readonly day: string; readonly limit: number; readonly used: number; readonly planned: number };
    readonly backfill: BackfillProgress & { readonly callsPerDay: number };
  }[];
  readonly quarantine: { readonly records: number; readonly runs: readonly { readonly runKey: string; readonly records: number }[]; readonly runsLookedAt: number };
  readonly entries: readonly EntryStatus[];
}

/**
 * Where tracking stands, per watchlist entry: what is stored, how far the first backfill has come
 * and when it ends, the last release seen; and for the whole: the next runs, today's call budget,
 * quarantined records. `tradewatch status` and `GET /status` both answer from here.
 */
export async function trackingStatus(stores: StatusStores, settings: StatusSettings): Promise<TrackingStatus> {
  const day = settings.now.toISOString().slice(0, 10);
  const entries = settings.watchlist.entries.filter((entry) => !settings.reporter || entry.reporter === settings.reporter);
  const [runs, entryStates] = await Promise.all([
    stores.runs.list(RECENT_RUNS),
    Promise.all(entries.map((entry) => entryStatus(stores, entry))),
  ]);
  const upstreams = await Promise.all(
    upstreamSchema.options
      .filter((upstream) => entryStates.some(({ status }) => status.source === upstream))
      .map(async (upstream) => {
        const { dailyCallBudget, estimate } = settings.upstreams[upstream];
        // What a day leaves the backfill: the budget less what a daily run may take, as the planner reckons it.
        const daily = scheduledWork(entriesOf(settings.watchlist, upstream), { run: 'daily', scheduledTime: settings.now.toISOString() }, estimate);
        const callsPerDay = Math.max(0, dailyCallBudget - daily.calls);
        const progressOf = (states: readonly BackfillState[]) => backfillProgress(states, { callsPerDay, estimate: backfillCallEstimate(estimate) });
        const states = entryStates.filter(({ status }) => status.source === upstream).flatMap((e) => e.states);
        return { source: upstream, budget: { day, limit: dailyCallBudget, ...(await stores.runs.budgetUse(SERIES_SOURCE[upstream], day)) }, backfill: { ...progressOf(states), callsPerDay }, progressOf };
      }),
  );
  const quarantined = runs.filter((run) => run.quarantined > 0).map((run) => ({ runKey: run.runKey, records: run.quarantined }));
  const next = nextScheduledRuns(settings.schedule, settings.now);
  return {
    at: settings.now.toISOString(),
    watchlist: { from: settings.watchlistFrom },
    nextRuns: { daily: next.daily.toISOString(), monthlyRefresh: next.monthlyRefresh.toISOString(), timeZone: settings.schedule.timeZone },
    upstreams: upstreams.map(({ progressOf: _, ...upstream }) => upstream),
    quarantine: { records: quarantined.reduce((sum, run) => sum + run.records, 0), runs: quarantined, runsLookedAt: runs.length },
    entries: entryStates.map(({ status, states }) => {
      const { partners, partnersComplete, monthsWanted, monthsDone, complete } = upstreams.find((u) => u.source === status.source)!.progressOf(states);
      return { ...status, backfill: { partners, partnersComplete, monthsWanted, monthsDone, complete } };
    }),
  };
}

async function entryStatus(stores: StatusStores, entry: Watchlist['entries'][number]): Promise<{ status: Omit<EntryStatus, 'backfill'>; states: BackfillState[] }> {
  const upstream = upstreamOf(entry);
  const source = SERIES_SOURCE[upstream];
  const [listed, states, releases] = await Promise.all([
    stores.series.listSeries({ reporter: entry.reporter }),
    stores.backfill.statesOf(entry.reporter),
    stores.runs.knownReleases(source, entry.reporter),
  ]);
  const partners = new Set(entry.partners);
  const flows = new Set<string>(entry.flows);
  const series = listed.filter((s) => s.source === source && partners.has(s.partner) && flows.has(s.flow) && selectionCovers(entry.commodity, s.commodity));
  const periods = series.flatMap((s) => [s.firstPeriod, s.lastPeriod]).sort();
  const released = [...releases];
  return {
    status: {
      source: upstream,
      reporter: entry.reporter,
      commodity: entry.commodity,
      partners: entry.partners.length,
      series: series.length,
      monthsStored: series.reduce((sum, s) => sum + s.observationCount, 0),
      firstPeriod: periods[0] ?? null,
      lastPeriod: periods.at(-1) ?? null,
      lastRelease: released.length === 0 ? null : { releasedOn: released.map(([, on]) => on).sort().at(-1)!, throughPeriod: released.map(([period]) => period).sort().at(-1)! },
    },
    states: states.filter((state) => state.source === upstream && state.commodity === entry.commodity && partners.has(state.partner)),
  };
}
