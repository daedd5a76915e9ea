import { DEFAULT_UPSTREAM, type Upstream } from '../domain/upstream.js';
/**
 * Key shapes of every item type in the single table. This module is the only place that knows
 * them; the README's "Single-table design" section documents the same shapes.
 *
 *   series metadata   pk SERIES#<seriesId>   sk META             gsi1 SERIES#<reporter> / <partner>#<flow>#<commodity>#<source>#<currency>
 *                                                                   gsi2 META / <seriesId>   (gsi2 is keyed on sk and seriesId themselves)
 *                                                                   gsi3 <partner> / <seriesId>   (gsi3 is keyed on partner and seriesId themselves)
 *   observation       pk SERIES#<seriesId>   sk OBS#<YYYY-MM>
 *   reporter index    pk REPORTERS           sk <reporter>
 *   alert             pk ALERT#<dedupKey>    sk ALERT            gsi1 ALERTS / <createdAt>#<dedupKey>   gsi2 ALERT / <seriesId>
 *   pending alert     pk PENDING_ALERTS      sk <dedupKey>       (one per PENDING alert, written and removed in the transaction that changes its status)
 *   silence           pk SILENCE#<id>        sk SILENCE          gsi1 SILENCES / <createdAt>#<id>
 *   ingest run        pk RUN#<runKey>        sk RUN              gsi1 RUNS / <startedAt>#<runKey>
 *   call checkpoint   pk RUN#<runKey>        sk CALL#<sha1 of the call's URL>
 *   failed call       pk RUN#<runKey>        sk FAILED#<sha1 of the call's URL>
 *   quarantined record pk RUN#<runKey>       sk QUARANTINE#<sha1 of the call's URL>#<00000n>
 *   call budget       pk BUDGET#<source>#<YYYY-MM-DD>  sk BUDGET
 *   shared call pace  pk PACE#<source>                  sk PACE
 *   known release     pk RELEASES#<source>#<reporter>   sk <YYYY-MM>
 *   detection handled pk DETECTED#<reporter>    sk <seriesId>   (the series version detection and alerting completed; newsFrom, the first month that is news)
 *   backfill state    pk BACKFILL#<reporter>    sk [<upstream>#]<commodity>#<partner>   (history wanted, chunks done and queued; Comtrade's unprefixed)
 *   migration marker  pk MIGRATIONS            sk <migration name>   (an upgrade of stored data: its progress, then that it is done; `watchlist-seeded` once the deploy's watchlist seeded the table)
 *   watchlist entry   pk WATCHLIST             sk <entry id>         (what the planner follows, read each run)
 *   subscription      pk SUBSCRIPTIONS         sk <subscription id>  (an e-mail or SMS subscriber added without a deploy, with its SNS subscription)
 */
import type { SeriesKey } from '../domain/series.js';

export const seriesPk = (seriesId: string) => `SERIES#${seriesId}`;
export const SERIES_META_SK = 'META';
export const OBSERVATION_SK_PREFIX = 'OBS#';
export const observationSk = (period: string) => `${OBSERVATION_SK_PREFIX}${period}`;
export const periodFromObservationSk = (sk: string) => sk.slice(OBSERVATION_SK_PREFIX.length);

export const REPORTERS_PK = 'REPORTERS';
export const seriesByReporterPk = (reporter: string) => `SERIES#${reporter}`;
export const seriesByReporterSk = (key: SeriesKey) =>
  `${key.partner}#${key.flow}#${key.commodity}#${key.source}#${key.currency}`;
/** The leading fields of seriesByReporterSk that are known, as a begins_with prefix ('' when none). */
export const seriesByReporterSkPrefix = (key: { partner?: string | undefined; flow?: string | undefined }) =>
  key.partner ? `${key.partner}#${key.flow ? `${key.flow}#` : ''}` : '';
/** gsi2's partition of series metadata: the metadata item's own sort key. */
export const SERIES_INDEX_PK = SERIES_META_SK;

export const alertPk = (dedupKey: string) => `ALERT#${dedupKey}`;
export const ALERT_SK = 'ALERT';
export const ALERTS_INDEX_PK = 'ALERTS';
export const alertsIndexSk = (createdAt: string, dedupKey: string) => `${createdAt}#${dedupKey}`;
export const PENDING_ALERTS_PK = 'PENDING_ALERTS';

export const MIGRATIONS_PK = 'MIGRATIONS';
export const WATCHLIST_SEEDED_SK = 'watchlist-seeded';
export const WATCHLIST_PK = 'WATCHLIST';
export const SUBSCRIPTIONS_PK = 'SUBSCRIPTIONS';

export const silencePk = (id: string) => `SILENCE#${id}`;
export const SILENCE_SK = 'SILENCE';
export const SILENCES_INDEX_PK = 'SILENCES';
export const silencesIndexSk = (createdAt: string, id: string) => `${createdAt}#${id}`;

export const runPk = (runKey: string) => `RUN#${runKey}`;
export const RUN_SK = 'RUN';
export const RUNS_INDEX_PK = 'RUNS';
export const runsIndexSk = (startedAt: string, runKey: string) => `${startedAt}#${runKey}`;
export const CALL_SK_PREFIX = 'CALL#';
export const FAILED_CALL_SK_PREFIX = 'FAILED#';
export const QUARANTINE_SK_PREFIX = 'QUARANTINE#';
export const quarantineSk = (call: string, n: number) => `${QUARANTINE_SK_PREFIX}${call}#${String(n).padStart(6, '0')}`;
export const budgetPk = (source: string, day: string) => `BUDGET#${source}#${day}`;
export const BUDGET_SK = 'BUDGET';
export const pacePk = (source: string) => `PACE#${source}`;
export const PACE_SK = 'PACE';
export const releasesPk = (source: string, reporter: string) => `RELEASES#${source}#${reporter}`;
export const detectedPk = (reporter: string) => `DETECTED#${reporter}`;
export const backfillPk = (reporter: string) => `BACKFILL#${reporter}`;
/** UN Comtrade's states keep the key they always had; another upstream's are prefixed with its name, so the same reporter and partner can be watched on both. */
export const backfillSk = (commodity: string, partner: string, upstream: Upstream = DEFAULT_UPSTREAM) => `${upstream === DEFAULT_UPSTREAM ? '' : `${upstream}#`}${commodity}#${partner}`;
