import * as z from '../zod.js';
import type { Source } from './series.js';

/**
 * The upstreams tradewatch fetches on a schedule and from `tradewatch ingest`, as a watchlist entry,
 * a work item and `--source` name them. Each stores its series under its own source, so a figure
 * from one is never merged with another's.
 */
export const upstreamSchema = z.enum(['comtrade', 'comext']);
export type Upstream = z.infer<typeof upstreamSchema>;

export const DEFAULT_UPSTREAM: Upstream = 'comtrade';

/** The source an upstream's series are stored under (`eurostat-comext.EUU.KGZ.export.TOTAL.EUR`). */
export const SERIES_SOURCE: Readonly<Record<Upstream, Source>> = { comtrade: 'comtrade', comext: 'eurostat-comext' };

/** The upstream a watchlist entry, work item or backfill state names: UN Comtrade unless it says otherwise. */
export function upstreamOf(named: { readonly source?: Upstream | undefined }): Upstream {
  return named.source ?? DEFAULT_UPSTREAM;
}
