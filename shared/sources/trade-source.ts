import type { Period } from '../domain/period.js';
import type { Observation, SeriesKey, Source, StoredFlow } from '../domain/series.js';

/** What to fetch: one reporter's trade with some partners, flows and months. */
export interface SourceRequest {
  /** ISO alpha-3, e.g. CHN. */
  readonly reporter: string;
  readonly partners: readonly string[];
  readonly flows: readonly StoredFlow[];
  readonly periods: readonly Period[];
  /** TOTAL or an HS code. */
  readonly commodity: string;
}

/** Observations of one series from one upstream response. */
export interface SeriesBatch {
  readonly series: SeriesKey;
  readonly observations: Observation[];
}

/** An upstream record that failed validation: kept for inspection, never silently dropped. */
export interface RejectedRecord {
  /** Which call and which record, e.g. `GET /data/v1/get/C/M/HS?… record 17`. */
  readonly where: string;
  readonly field: string;
  readonly value: unknown;
  readonly reason: string;
  /** The series and month the record was for, where the record says (it is asked for again). */
  readonly seriesId?: string;
  readonly period?: string;
}

/** The outcome of one upstream call. */
export interface SourceResult {
  readonly call: string;
  readonly batches: SeriesBatch[];
  readonly rejected: RejectedRecord[];
  /** The call failed every attempt: nothing came of it, and the run goes on with the next. */
  readonly failed?: string;
}

/** What a source yields for a call that failed every attempt (the run records it and goes on). */
export function failedCall(call: string, error: Error): SourceResult {
  return { call, batches: [], rejected: [], failed: error.message };
}

export interface FetchOptions {
  /** Calls (by URL) a resumed run has already completed: not made again. */
  readonly skipCall?: (url: string) => boolean;
}

/** One adapter per upstream system; each returns validated observations. */
export interface TradeSource {
  readonly name: Source;
  /** The calls `fetch` would make, as `GET url` lines (for --dry-run). */
  plan(request: SourceRequest): string[];
  fetch(request: SourceRequest, options?: FetchOptions): AsyncIterable<SourceResult>;
  /**
   * When each of the request's months was last released (for its reporter), for sources that
   * publish it: a run then fetches only what is new or revised. A month not in the map is not out yet.
   */
  releases?(request: SourceRequest): Promise<Map<Period, string>>;
}
