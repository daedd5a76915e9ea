import { createHash } from 'node:crypto';
import * as z from '../zod.js';
import { expandWatchlist, watchlistEntryInputSchema, type Watchlist, type WatchlistEntryInput, type WatchlistInput } from './watchlist.js';

/** A watchlist entry as the table keeps it: the entry as written (normalized), its id and when it was added. */
export const watchEntrySchema = z.object({ ...watchlistEntryInputSchema.def.shape, id: z.string().check(z.minLength(1)), addedAt: z.iso.datetime() });
export type WatchEntry = z.infer<typeof watchEntrySchema>;

/**
 * An entry's id, from what it watches: the same entry added twice (a retried request, the seed
 * written by two planner runs at once) is one entry.
 */
export function watchEntryId(entry: WatchlistEntryInput): string {
  const { source, reporter, partners, flows, commodity, janFebCombined, detection } = entry;
  const canonical = JSON.stringify({ source: source ?? 'comtrade', reporter, partners: partners === '*' ? '*' : [...partners].sort(), flows: [...flows].sort(), commodity, janFebCombined, detection });
  return createHash('sha1').update(canonical).digest('hex').slice(0, 12);
}

export function toWatchEntry(entry: WatchlistEntryInput, addedAt: Date): WatchEntry {
  return { ...entry, id: watchEntryId(entry), addedAt: addedAt.toISOString() };
}

/** Without the id and time: the entry as the watchlist's schema reads it. */
export function entryInput(entry: WatchEntry): WatchlistEntryInput {
  const { id: _id, addedAt: _addedAt, ...input } = entry;
  return input;
}

/** The stored entries as the jobs work from them (`*` expanded), with the configured trailing window and history. */
export function watchlistOf(entries: readonly WatchEntry[], window: Pick<WatchlistInput, 'monthsBack' | 'historyMonths'>): Watchlist {
  return expandWatchlist({ entries: entries.map(entryInput), monthsBack: window.monthsBack, historyMonths: window.historyMonths });
}
