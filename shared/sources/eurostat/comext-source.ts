import type { Period } from '../../domain/period.js';
import { ResilientHttp, UpstreamRequestError, type ResilientHttpOptions } from '../http/resilient-http.js';
import { failedCall, type FetchOptions, type SourceRequest, type SourceResult, type TradeSource } from '../trade-source.js';
import { lastUpdateOf, parseAsyncStatus, parseDataAnswer, type CsvRow } from './comext-answer.js';
import { comextDataUrl, comextLatestUrl, comextSelection, planComextCalls, splitComextCall, type ComextCall } from './comext-request-plan.js';
import { convertRows } from './comext-rows.js';

export { COMEXT_DATASET } from './comext-request-plan.js';

const UPSTREAM = 'Eurostat Comext';
const ASYNC_PATH = '/eurostat/api/comext/dissemination/1.0/async';

export interface ComextSourceOptions extends Omit<ResilientHttpOptions, 'upstream' | 'headers'> {
  /** e.g. https://ec.europa.eu, or a compatible test server. */
  readonly baseUrl: string;
  /** Between two status checks of an extraction Eurostat prepares asynchronously. */
  readonly asyncPollIntervalMs?: number;
  /** How long an asynchronous extraction is waited for before the call counts as failed (made again when the run resumes). */
  readonly asyncMaxWaitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/**
 * Eurostat Comext, dataset DS-045409 (EU trade by partner and product, monthly), through the SDMX
 * 2.1 REST API in SDMX-CSV, as a TradeSource. Values are in euros and keep their currency (EUR).
 * An extraction Comext finds too big (413 EXTRACTION_TOO_BIG) is halved and asked again; one it
 * prepares asynchronously is polled for until available, within a bounded wait.
 */
export class ComextSource implements TradeSource {
  readonly name = 'eurostat-comext' as const;
  readonly http: ResilientHttp;
  private readonly baseUrl: string;
  private readonly pollIntervalMs: number;
  private readonly maxWaitMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(options: ComextSourceOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.pollIntervalMs = options.asyncPollIntervalMs ?? 10_000;
    this.maxWaitMs = options.asyncMaxWaitMs ?? 300_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.http = new ResilientHttp({ minIntervalMs: 1_000, ...options, upstream: UPSTREAM, headers: { Accept: 'text/csv' } });
  }

  plan(request: SourceRequest): string[] {
    return planComextCalls(request, this.baseUrl).map((call) => `GET ${comextDataUrl(this.baseUrl, call)}`);
  }

  /**
   * The release check, one small call: each asked series' latest month with the dataset's
   * `LAST UPDATE`. Every month up to the latest is taken as released at that update (Comext
   * republishes the dataset as a whole, revisions included); later months are not out yet.
   */
  async releases(request: SourceRequest): Promise<Map<Period, string>> {
    const { periods, ...selection } = comextSelection(request);
    const answer = await this.extract(comextLatestUrl(this.baseUrl, selection));
    let latest: Period | undefined;
    let update: string | undefined;
    for (const row of answer) {
      const period = row.record.TIME_PERIOD;
      if (period && /^\d{4}-\d{2}$/.test(period) && (!latest || period > latest)) latest = period;
      const stamp = lastUpdateOf(row);
      if (stamp && (!update || stamp > update)) update = stamp;
    }
    const released = new Map<Period, string>();
    if (!latest) return released;
    for (const period of periods) if (period <= latest) released.set(period, update ?? `latest ${latest}`);
    return released;
  }

  async *fetch(request: SourceRequest, options: FetchOptions = {}): AsyncIterable<SourceResult> {
    const queue = planComextCalls(request, this.baseUrl);
    while (queue.length > 0) {
      const call = queue.shift()!;
      const url = comextDataUrl(this.baseUrl, call);
      if (options.skipCall?.(url)) continue;
      let rows: CsvRow[];
      try {
        rows = await this.extract(url);
      } catch (error) {
        if (!(error instanceof UpstreamRequestError)) throw error;
        if (error.status === 413) {
          const halves = splitComextCall(call);
          if (halves.length > 0) {
            queue.unshift(...halves);
            continue;
          }
          yield failedCall(url, new UpstreamRequestError(url, UPSTREAM, `413 EXTRACTION_TOO_BIG even for ${describe(call)}: nothing smaller can be asked`, 413));
          continue;
        }
        yield failedCall(url, error);
        continue;
      }
      const path = new URL(url);
      yield { call: url, ...convertRows(rows, `GET ${path.pathname}${path.search}`) };
    }
  }

  /** The rows a data URL answers, directly or through the asynchronous API. */
  private async extract(url: string): Promise<CsvRow[]> {
    const answer = await this.http.get(url, parseDataAnswer);
    return 'rows' in answer ? answer.rows : this.awaitAsync(url, answer.queued);
  }

  /** Polls async/status/{key} until the data are AVAILABLE, then downloads async/data/{key}; a wait past the bound fails the call. */
  private async awaitAsync(url: string, key: string): Promise<CsvRow[]> {
    const deadline = this.now() + this.maxWaitMs;
    for (;;) {
      const status = await this.http.get(`${this.baseUrl}${ASYNC_PATH}/status/${key}`, parseAsyncStatus);
      if (status === 'AVAILABLE') break;
      if (status === 'EXPIRED') throw new UpstreamRequestError(url, UPSTREAM, `the asynchronous extraction ${key} expired before it was downloaded`);
      if (this.now() + this.pollIntervalMs > deadline) {
        throw new UpstreamRequestError(url, UPSTREAM, `the asynchronous extraction ${key} was still ${status} after ${this.maxWaitMs < 1_000 ? `${this.maxWaitMs} ms` : `${Math.round(this.maxWaitMs / 1_000)} s`} (it is asked for again when the run resumes)`);
      }
      await this.sleep(this.pollIntervalMs);
    }
    const data = await this.http.get(`${this.baseUrl}${ASYNC_PATH}/data/${key}`, parseDataAnswer);
    if (!('rows' in data)) throw new UpstreamRequestError(url, UPSTREAM, `the asynchronous extraction ${key} answered with another key instead of its data`);
    return data.rows;
  }
}

function describe(call: ComextCall): string {
  return `reporter ${call.reporter}, partner ${call.partners.join('+')}, product ${call.products.join('+')}, flow ${call.flows.join('+')}, ${call.periods.join('+')}`;
}

export { convertRows } from './comext-rows.js';
