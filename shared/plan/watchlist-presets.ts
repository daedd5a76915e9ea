import * as z from '../zod.js';
import { DEFAULT_WATCHLIST_INPUT, watchlistInputSchema, type WatchlistInput } from './watchlist.js';

/** The reporters the CHPL's transit pattern is watched from: the EU, the US, China, Türkiye and the UAE. */
const CHPL_REPORTERS = ['EUU', 'USA', 'CHN', 'TUR', 'ARE'];
/** Russia's neighbours and trade hubs the authorities name for diversion of CHPL items. */
const CHPL_TRANSIT_PARTNERS = ['ARM', 'GEO', 'KAZ', 'KGZ', 'UZB', 'TJK', 'TKM', 'AZE', 'BLR', 'ARE', 'TUR'];

/**
 * Watchlists by name, for `--watchlist NAME`, `WATCHLIST=NAME` and the deploy's `"watchlist":"NAME"`.
 * `chpl-transit`: each reporter's exports of the 50 Common High Priority List codes to the transit
 * partners (itself left out), one Comtrade call per reporter and 12 months (50 codes × 11 partners
 * × 12 months = 6,600 rows, well inside the 100,000-row cap), with the little-before-much-after
 * rule on from March 2022: the pattern the authorities flag, a partner that took little of an item
 * in the year before Russia's invasion and much after.
 */
export const WATCHLIST_PRESETS: Readonly<Record<string, WatchlistInput>> = {
  'china-neighbours': DEFAULT_WATCHLIST_INPUT,
  'chpl-transit': watchlistInputSchema.parse({
    entries: CHPL_REPORTERS.map((reporter) => ({
      reporter,
      partners: CHPL_TRANSIT_PARTNERS.filter((p) => p !== reporter),
      flows: ['export'],
      commodity: 'CHPL',
      detection: { littleBeforeMuchAfter: { date: '2022-03' } },
    })),
  }),
};

export const presetNameSchema = z.string().check(
  z.refine((name) => name in WATCHLIST_PRESETS, `expected a preset watchlist: ${Object.keys(WATCHLIST_PRESETS).join(', ')}`),
);

/** A watchlist as configured: a preset's name, or the watchlist itself. */
export const watchlistOrPresetSchema = z.union([z.pipe(presetNameSchema, z.transform((name: string) => WATCHLIST_PRESETS[name]!)), watchlistInputSchema]);
