/**
 * Key shapes of every item type in the single table. This module is the only place that knows
 * them; the README's "Single-table design" section documents the same shapes.
 *
 *   series metadata   pk SERIES#<seriesId>   sk META             gsi1 SERIES#<reporter> / <partner>#<flow>#<commodity>#<source>#<currency>
 *   observation       pk SERIES#<seriesId>   sk OBS#<YYYY-MM>
 *   reporter index    pk REPORTERS           sk <reporter>
 *   alert             pk ALERT#<dedupKey>    sk ALERT            gsi1 ALERTS / <createdAt>#<dedupKey>
 *   silence           pk SILENCE#<id>        sk SILENCE          gsi1 SILENCES / <createdAt>#<id>
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

export const alertPk = (dedupKey: string) => `ALERT#${dedupKey}`;
export const ALERT_SK = 'ALERT';
export const ALERTS_INDEX_PK = 'ALERTS';
export const alertsIndexSk = (createdAt: string, dedupKey: string) => `${createdAt}#${dedupKey}`;

export const silencePk = (id: string) => `SILENCE#${id}`;
export const SILENCE_SK = 'SILENCE';
export const SILENCES_INDEX_PK = 'SILENCES';
export const silencesIndexSk = (createdAt: string, id: string) => `${createdAt}#${id}`;
