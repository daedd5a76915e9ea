import * as z from '../zod.js';
import { addMonths, periodRange, type Period } from '../domain/period.js';
import { storedFlowSchema } from '../domain/series.js';
import { upstreamOf, upstreamSchema, type Upstream } from '../domain/upstream.js';
import { comextSelection } from '../sources/eurostat/comext-request-plan.js';
import { allCountries, areaInputSchema, isAggregateArea, isWorld } from '../domain/countries.js';
import { commoditySelectionSchema } from '../domain/commodity.js';
import { detectionOverridesSchema, withOverrides, type DetectionConfig, type DetectionFor } from '../domain/detection/index.js';
import type { SourceRequest } from '../sources/trade-source.js';


const entryShape = {
  /** Where the entry's series come from: `comtrade` (the default) or `comext` (Eurostat, EU reporters, in EUR). */
  source: z.optional(upstreamSchema),
  flows: z._default(z.array(storedFlowSchema).check(z.minLength(1)), ['export', 'import']),
  /** TOTAL, an HS code, AG2/AG4/AG6 (a whole level) or a list of HS codes: see commoditySelectionSchema. */
  commodity: z._default(commoditySelectionSchema, 'TOTAL'),
  /**
   * The reporter publishes January and February as one release (China since 2020): stored as
   * the source gives them, compared as one Jan-Feb bucket. Unset: the detection settings decide.
   */
  janFebCombined: z.optional(z.boolean()),
  /** Detection settings for this reporter, over the global ones (e.g. a higher floor for a noisy reporter). */
  detection: z.optional(detectionOverridesSchema),
  /**
   * Also fetch each partner's own report of the same flows (the partner as reporter, this reporter
   * as its partner, the opposite flows), for mirror series (`<id>~mirror`) and their gap alerts.
   * UN Comtrade only: Comext has EU reporters alone.
   */
  mirror: z.optional(z.boolean()),
};
const monthsBack = z._default(z.number().check(z.int(), z.minimum(1), z.maximum(120)), 24);
export const DEFAULT_HISTORY_MONTHS = 60;
/** Detection scores on up to 36 earlier comparisons: five years leave it its whole history window from the first release on. */
const historyMonths = z._default(z.number().check(z.int(), z.minimum(1), z.maximum(240)), DEFAULT_HISTORY_MONTHS);

/**
 * What tradewatch follows, as written in configuration: per reporter, the partners, flows and
 * commodity. `*` stands for every country in the reference list, so a global watchlist stays a
 * few bytes: `{"entries":[{"reporter":"*","partners":"*","commodity":"AG2"}]}`.
 */
/** One watchlist entry as written: a reporter (or `*`), its partners (or `*`), flows, commodity, source, detection overrides. */
export const watchlistEntryInputSchema = z.object({ reporter: z.union([z.literal('*'), areaInputSchema]), partners: z.union([z.literal('*'), z.array(areaInputSchema).check(z.minLength(1))]), ...entryShape });
export type WatchlistEntryInput = z.infer<typeof watchlistEntryInputSchema>;

export const watchlistInputSchema = z.object({
  entries: z.array(watchlistEntryInputSchema).check(z.minLength(1)),
  /** Trailing months fetched on every run, so revisions are picked up. */
  monthsBack,
  /** Months of history the planner backfills for every watched series, once, within the daily call budget. */
  historyMonths,
});

export type WatchlistInput = z.infer<typeof watchlistInputSchema>;

/** A watchlist with every `*` expanded: what the jobs work from. Comext entries are checked against what Comext can be asked. */
export const watchlistSchema = z.pipe(watchlistInputSchema, z.transform((input, ctx) => expandChecked(input, ctx.issues)));

/** The same, keeping the watchlist as written beside its expansion: what seeds the table's watchlist on first deploy. */
export const configuredWatchlistSchema = z.pipe(watchlistInputSchema, z.transform((input, ctx) => ({ input, watchlist: expandChecked(input, ctx.issues) })));

function expandChecked(input: WatchlistInput, issues: z.core.$ZodRawIssue[]): Watchlist {
  issues.push(...mirrorIssues(input.entries));
  const watchlist = expandWatchlist(input);
  issues.push(...comextIssues(watchlist.entries));
  return watchlist;
}

/** Mirror entries on an upstream with no partner side, as issues at their index. */
export function mirrorIssues(entries: readonly Pick<WatchlistEntryInput, 'source' | 'mirror'>[]): z.core.$ZodRawIssue[] {
  return entries.flatMap((entry, index) =>
    entry.mirror && upstreamOf(entry) !== 'comtrade'
      ? [{ code: 'custom' as const, input: entry, path: ['entries', index, 'mirror'], message: 'mirror series are planned from UN Comtrade only: Eurostat Comext has no partner side (its reporters are the EU alone)' }]
      : [],
  );
}

/** Comext entries Comext cannot be asked for, as issues at their index (an entry with `*` counts once per reporter). */
export function comextIssues(entries: Watchlist['entries']): z.core.$ZodRawIssue[] {
  const issues: z.core.$ZodRawIssue[] = [];
  entries.forEach((entry, index) => {
    if (upstreamOf(entry) !== 'comext') return;
    try {
      comextSelection({ ...entry, periods: [] });
    } catch (error) {
      issues.push({ code: 'custom', input: entry, path: ['entries', index], message: (error as Error).message });
    }
  });
  return issues;
}
type WatchlistEntry = Omit<z.infer<typeof watchlistInputSchema>['entries'][number], 'reporter' | 'partners'> & {
  reporter: string;
  partners: string[];
  /** Set on an entry the planner added: the partner side of these reporters' mirror entries. */
  mirrorSideOf?: string[];
};
export type Watchlist = {
  readonly entries: readonly WatchlistEntry[];
  readonly monthsBack: number;
  readonly historyMonths: number;
};

export function expandWatchlist(input: { readonly entries: readonly WatchlistEntryInput[]; readonly monthsBack: number; readonly historyMonths?: number }): Watchlist {
  const everyone = allCountries().map((c) => c.iso3);
  const entries: WatchlistEntry[] = input.entries.flatMap((entry) =>
    (entry.reporter === '*' ? everyone : [entry.reporter]).map((reporter) => ({
      ...entry,
      reporter,
      partners: entry.partners === '*' ? everyone.filter((p) => p !== reporter) : entry.partners,
    })),
  );
  return { monthsBack: input.monthsBack, historyMonths: input.historyMonths ?? DEFAULT_HISTORY_MONTHS, entries: [...entries, ...mirrorSides(entries)] };
}

const OPPOSITE_FLOW = { export: 'import', import: 'export' } as const;

/**
 * The partner side of every mirror entry, as entries of their own (after the written ones, whose
 * detection settings come first): per partner, one entry with every reporter that asked as its
 * partners, so one Comtrade call a month-chunk serves them all. A partner the watchlist already
 * follows in those flows is not asked twice; aggregates (World, the EU) report nothing themselves.
 */
function mirrorSides(entries: readonly WatchlistEntry[]): WatchlistEntry[] {
  const mirrored = entries.filter((e) => e.mirror);
  if (mirrored.length === 0) return [];
  const followed = new Set(entries.flatMap((e) => e.partners.flatMap((p) => e.flows.map((f) => [upstreamOf(e), e.reporter, e.commodity, p, f].join('#')))));
  const covered = (reporter: string, partner: string, entry: WatchlistEntry, flows: readonly string[]) =>
    flows.every((flow) => followed.has([upstreamOf(entry), reporter, entry.commodity, partner, flow].join('#')));
  const sides = new Map<string, WatchlistEntry>();
  for (const entry of mirrored) {
    const flows = entry.flows.map((flow) => OPPOSITE_FLOW[flow]).sort();
    for (const partner of entry.partners) {
      if (isWorld(partner) || isAggregateArea(partner) || covered(partner, entry.reporter, entry, flows)) continue;
      const key = [upstreamOf(entry), partner, entry.commodity, flows.join(',')].join('#');
      const side = sides.get(key) ?? { ...(entry.source ? { source: entry.source } : {}), reporter: partner, partners: [], flows, commodity: entry.commodity, mirrorSideOf: [] };
      if (!side.partners.includes(entry.reporter)) side.partners.push(entry.reporter);
      side.mirrorSideOf!.push(entry.reporter);
      sides.set(key, side);
    }
  }
  return [...sides.values()];
}

/** China and its neighbours from Türkiye to Kazakhstan: the default, and the demo's. */
export const DEFAULT_WATCHLIST_INPUT = watchlistInputSchema.parse({
  entries: [{ reporter: 'CHN', partners: ['KAZ', 'KGZ', 'UZB', 'TJK', 'TKM', 'AZE', 'GEO', 'ARM', 'TUR'], janFebCombined: true }],
});
export const DEFAULT_WATCHLIST: Watchlist = expandWatchlist(DEFAULT_WATCHLIST_INPUT);

/** One source request per watchlist entry, for the given months. */
export function watchlistRequests(watchlist: Watchlist, periods: readonly Period[]): SourceRequest[] {
  return watchlist.entries.map((entry) => ({ reporter: entry.reporter, partners: entry.partners, flows: entry.flows, commodity: entry.commodity, periods }));
}

/** The watchlist's entries of one upstream only. */
export function entriesOf(watchlist: Watchlist, upstream: Upstream): Watchlist {
  return { ...watchlist, entries: watchlist.entries.filter((entry) => upstreamOf(entry) === upstream) };
}

/** The trailing window a scheduled run fetches: `monthsBack` months up to the month before `now`. */
export function trailingPeriods(watchlist: Watchlist, now: Date): Period[] {
  const lastMonth = lastFullMonth(now);
  return periodRange(addMonths(lastMonth, -(watchlist.monthsBack - 1)), lastMonth);
}

/** The month before `now`'s (UTC): the latest a release can hold. */
export function lastFullMonth(now: Date): Period {
  return addMonths(`${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`, -1);
}

/**
 * Detection settings per reporter from a watchlist: the global ones under the `detection` and
 * `janFebCombined` of the reporter's entries, in the watchlist's order (for the table's, the order
 * they were added), a later entry's setting winning where two set the same one. Built once per
 * run or request and asked per series.
 */
export function detectionSettingsOf(watchlist: Watchlist, base: DetectionConfig): DetectionFor {
  const byReporter = new Map<string, DetectionConfig>();
  for (const entry of watchlist.entries) {
    if (entry.detection === undefined && entry.janFebCombined === undefined) continue;
    byReporter.set(entry.reporter, withEntry(byReporter.get(entry.reporter) ?? base, entry));
  }
  return (reporter) => byReporter.get(reporter) ?? base;
}

function withEntry(config: DetectionConfig, entry: WatchlistEntry): DetectionConfig {
  const overridden = withOverrides(config, entry.detection);
  if (entry.janFebCombined === undefined) return overridden;
  const others = overridden.janFebCombinedReporters.filter((r) => r !== entry.reporter);
  return { ...overridden, janFebCombinedReporters: entry.janFebCombined ? [...others, entry.reporter] : others };
}
