import * as z from 'zod';
import { addMonths, periodRange, type Period } from './domain/period.js';
import { storedFlowSchema } from './domain/series.js';
import { detectionOverridesSchema, withOverrides, type DetectionConfig } from './domain/detection/index.js';
import type { SourceRequest } from './sources/trade-source.js';

const iso3 = z.string().regex(/^[A-Z0-9]{3}$/, 'expected an ISO alpha-3 code, e.g. KAZ');

/** What tradewatch follows: per reporter, the partners, flows and commodity to fetch. */
export const watchlistSchema = z.object({
  entries: z
    .array(
      z.object({
        reporter: iso3,
        partners: z.array(iso3).min(1),
        flows: z.array(storedFlowSchema).min(1).default(['export', 'import']),
        commodity: z.string().default('TOTAL'),
        /** Detection settings for this reporter, over the global ones (e.g. a higher floor for a noisy reporter). */
        detection: detectionOverridesSchema.optional(),
      }),
    )
    .min(1),
  /** Trailing months fetched on every run, so revisions are picked up. */
  monthsBack: z.number().int().min(1).max(120).default(24),
});
export type Watchlist = z.infer<typeof watchlistSchema>;

/** China and its neighbours from Türkiye to Kazakhstan: the default, and the demo's. */
export const DEFAULT_WATCHLIST: Watchlist = watchlistSchema.parse({
  entries: [{ reporter: 'CHN', partners: ['KAZ', 'KGZ', 'UZB', 'TJK', 'TKM', 'AZE', 'GEO', 'ARM', 'TUR'] }],
});

/** One source request per watchlist entry, for the given months. */
export function watchlistRequests(watchlist: Watchlist, periods: readonly Period[]): SourceRequest[] {
  return watchlist.entries.map((entry) => ({ ...entry, periods }));
}

/** The trailing window a scheduled run fetches: `monthsBack` months up to the month before `now`. */
export function trailingPeriods(watchlist: Watchlist, now: Date): Period[] {
  const lastMonth = addMonths(`${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`, -1);
  return periodRange(addMonths(lastMonth, -(watchlist.monthsBack - 1)), lastMonth);
}

/** The detection settings for a reporter: the global ones with its watchlist entry's overrides. */
export function detectionConfigFor(watchlist: Watchlist, base: DetectionConfig, reporter: string): DetectionConfig {
  return withOverrides(base, watchlist.entries.find((entry) => entry.reporter === reporter)?.detection);
}
