import { comtradeResponseSchema, type ComtradeResponse } from './comtrade-schema.js';

export interface ComtradeClientOptions {
  /** e.g. https://comtradeapi.un.org, or a Comtrade-compatible test server. */
  readonly baseUrl: string;
  /** Subscription key: uses the keyed data endpoint; without one, the public preview (500 records). */
  readonly apiKey?: string | undefined;
  /** Per request, in ms. */
  readonly timeoutMs?: number;
  /** Attempts per call, the first included. */
  readonly maxAttempts?: number;
  /** Minimum time between the starts of two calls, in ms (client-side pacing). */
  readonly minIntervalMs?: number;
  /** Base of the exponential backoff for 5xx, network errors, timeouts and malformed bodies. */
  readonly backoffBaseMs?: number;
  /** A Retry-After longer than this ends the call instead of waiting (e.g. a daily quota). */
  readonly maxRetryAfterMs?: number;
  /** Records asked for per call (`maxRecords`); never more than the endpoint allows. */
  readonly maxRecords?: number;
  /** Asked before every attempt; false ends the call with a CallBudgetExhaustedError. */
  readonly budget?: () => Promise<boolean>;
  /** Called before each wait, for progress output and metrics. */
  readonly onRetry?: (event: RetryEvent) => void;
}

export type RetryReason = 'rate-limited' | 'quota' | 'server-error' | 'network' | 'timeout' | 'malformed-body';

export interface RetryEvent {
  readonly url: string;
  readonly attempt: number;
  readonly reason: RetryReason;
  readonly waitMs: number;
  readonly detail: string;
}

export interface ClientStats {
  calls: number;
  attempts: number;
  retries: Record<RetryReason, number>;
  /** Total time spent honouring Retry-After headers, in ms. */
  retryAfterWaitMs: number;
  backoffWaitMs: number;
}

/** 401: the key is missing or wrong. Retrying cannot help; the run stops. */
export class ComtradeAuthError extends Error {
  constructor(url: string) {
    super(
      `UN Comtrade refused the subscription key (401) for ${url}. Check the key (COMTRADE_API_KEY locally, ` +
        'or the SSM parameter / secret on AWS), or remove it to use the keyless preview endpoint.',
    );
    this.name = 'ComtradeAuthError';
  }
}

/** A call that still failed after every attempt, or a client error that retrying cannot fix. */
export class ComtradeRequestError extends Error {
  constructor(
    readonly url: string,
    message: string,
    readonly status?: number,
  ) {
    super(`UN Comtrade call ${url} failed: ${message}`);
    this.name = 'ComtradeRequestError';
  }
}

/** The daily call budget is used up: the run stops where it is and resumes with the next budget. */
export class CallBudgetExhaustedError extends Error {
  constructor() {
    super('the daily UN Comtrade call budget is used up');
    this.name = 'CallBudgetExhaustedError';
  }
}

class RetryableError extends Error {
  constructor(
    readonly reason: RetryReason,
    readonly detail: string,
    readonly retryAfterMs?: number,
  ) {
    super(detail);
  }
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const PREVIEW_RECORD_CAP = 500;
export const KEYED_RECORD_CAP = 100_000;

/**
 * HTTP client for the UN Comtrade v1 monthly goods data, built for how the API really behaves:
 * paced calls, Retry-After honoured on 429 and 403, backoff with jitter on 5xx and network
 * failures, a timeout on every request, and 401 ending the run.
 */
export class ComtradeClient {
  readonly stats: ClientStats = {
    calls: 0,
    attempts: 0,
    retries: { 'rate-limited': 0, quota: 0, 'server-error': 0, network: 0, timeout: 0, 'malformed-body': 0 },
    retryAfterWaitMs: 0,
    backoffWaitMs: 0,
  };
  private nextCallAt = 0;
  private readonly options: Required<Omit<ComtradeClientOptions, 'apiKey' | 'onRetry' | 'maxRecords' | 'budget'>> &
    Pick<ComtradeClientOptions, 'apiKey' | 'onRetry' | 'maxRecords' | 'budget'>;

  constructor(options: ComtradeClientOptions) {
    this.options = {
      timeoutMs: 30_000,
      maxAttempts: 6,
      minIntervalMs: 6_000,
      backoffBaseMs: 1_000,
      maxRetryAfterMs: 120_000,
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
    };
  }

  /** The most records one call can return: an answer this long was probably cut. */
  get recordCap(): number {
    const endpointCap = this.options.apiKey ? KEYED_RECORD_CAP : PREVIEW_RECORD_CAP;
    return Math.min(this.options.maxRecords ?? endpointCap, endpointCap);
  }

  /** The URL of a monthly goods data call (keyed endpoint, or the preview without a key). */
  dataUrl(params: Record<string, string>): string {
    const path = this.options.apiKey ? '/data/v1/get/C/M/HS' : '/public/v1/preview/C/M/HS';
    return `${this.options.baseUrl}${path}?${new URLSearchParams(params).toString()}`;
  }

  /** The URL of a data availability call (getDa): releases per reporter and month, no data. */
  availabilityUrl(params: Record<string, string>): string {
    const path = this.options.apiKey ? '/data/v1/getDa/C/M/HS' : '/public/v1/getDa/C/M/HS';
    return `${this.options.baseUrl}${path}?${new URLSearchParams(params).toString()}`;
  }

  async getData(params: Record<string, string>): Promise<ComtradeResponse> {
    return this.get(this.dataUrl(params));
  }

  async getAvailability(params: Record<string, string>): Promise<ComtradeResponse> {
    return this.get(this.availabilityUrl(params));
  }

  private async get(url: string): Promise<ComtradeResponse> {
    this.stats.calls++;
    for (let attempt = 1; ; attempt++) {
      if (this.options.budget && !(await this.options.budget())) throw new CallBudgetExhaustedError();
      await this.pace();
      this.stats.attempts++;
      try {
        return await this.attempt(url);
      } catch (error) {
        if (!(error instanceof RetryableError)) throw error;
        if (attempt >= this.options.maxAttempts) {
          throw new ComtradeRequestError(url, `${error.detail} (gave up after ${attempt} attempts)`);
        }
        const waitMs = error.retryAfterMs ?? this.backoff(attempt);
        if (error.retryAfterMs !== undefined && error.retryAfterMs > this.options.maxRetryAfterMs) {
          throw new ComtradeRequestError(url, `${error.detail}; Retry-After ${Math.round(error.retryAfterMs / 1000)} s is longer than we wait`);
        }
        this.stats.retries[error.reason]++;
        if (error.retryAfterMs !== undefined) this.stats.retryAfterWaitMs += waitMs;
        else this.stats.backoffWaitMs += waitMs;
        this.options.onRetry?.({ url, attempt, reason: error.reason, waitMs, detail: error.detail });
        await sleep(waitMs);
      }
    }
  }

  private async attempt(url: string): Promise<ComtradeResponse> {
    let response: Response;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.options.apiKey) headers['Ocp-Apim-Subscription-Key'] = this.options.apiKey;
    let body: string;
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      response = await fetch(url, { headers, signal });
    } catch (error) {
      throw this.transportFailure(error, 'before an answer');
    }
    try {
      body = await response.text();
    } catch (error) {
      throw this.transportFailure(error, `after status ${response.status}, mid-body`);
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    if (response.status === 401) throw new ComtradeAuthError(url);
    if (response.status === 429) throw new RetryableError('rate-limited', `429 ${excerpt(body)}`, retryAfterMs);
    if (response.status === 403 && retryAfterMs !== undefined) {
      throw new RetryableError('quota', `403 ${excerpt(body)}`, retryAfterMs);
    }
    if (response.status >= 500) throw new RetryableError('server-error', `${response.status} ${excerpt(body)}`);
    if (!response.ok) throw new ComtradeRequestError(url, `${response.status} ${excerpt(body)}`, response.status);

    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new RetryableError('malformed-body', `the body is not valid JSON (${body.length} bytes, truncated?)`);
    }
    const parsed = comtradeResponseSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RetryableError('malformed-body', `unexpected response shape at "${issue?.path.join('.')}": ${issue?.message}`);
    }
    if (parsed.data.error) throw new ComtradeRequestError(url, `the API reported an error: ${parsed.data.error}`);
    return parsed.data;
  }

  private transportFailure(error: unknown, when: string): RetryableError {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new RetryableError('timeout', `no complete answer within ${this.options.timeoutMs} ms`);
    }
    const cause = (error as { cause?: Error }).cause?.message;
    return new RetryableError('network', `connection failed ${when}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`);
  }

  private async pace(): Promise<void> {
    const now = Date.now();
    const waitMs = this.nextCallAt - now;
    this.nextCallAt = Math.max(now, this.nextCallAt) + this.options.minIntervalMs;
    if (waitMs > 0) await sleep(waitMs);
  }

  /** Exponential backoff with full jitter. */
  private backoff(attempt: number): number {
    return Math.random() * this.options.backoffBaseMs * 2 ** (attempt - 1);
  }
}

function excerpt(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
