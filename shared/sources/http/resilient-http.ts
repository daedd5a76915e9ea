/**
 * HTTP GET built for public statistics APIs as they really behave: paced calls, Retry-After
 * honoured on 429 and on 403 (quota), backoff with full jitter on 5xx, network failures, timeouts
 * and malformed bodies, a call budget, and clear errors for what retrying cannot fix.
 */
export interface ResilientHttpOptions {
  /** Names the upstream in error messages, e.g. `UN Comtrade`. */
  readonly upstream: string;
  readonly headers?: Record<string, string>;
  /** Per request, in ms. */
  readonly timeoutMs?: number;
  /** Attempts per call, the first included. */
  readonly maxAttempts?: number;
  /** Minimum time between the starts of two calls, in ms. */
  readonly minIntervalMs?: number;
  /** Base of the exponential backoff, in ms. */
  readonly backoffBaseMs?: number;
  /** A Retry-After longer than this ends the call instead of waiting (e.g. a daily quota). */
  readonly maxRetryAfterMs?: number;
  /** Asked before every attempt; false ends the call with a CallBudgetExhaustedError. */
  readonly budget?: () => Promise<boolean>;
  /**
   * Awaited before every attempt, after the client's own pacing: a pace shared by every process
   * using the same key (several workers at once), where the client's own cannot see the others.
   */
  readonly sharedPace?: () => Promise<void>;
  /** Called before each wait, for progress output and metrics. */
  readonly onRetry?: (event: RetryEvent) => void;
  /** The error for 401: retrying cannot help, the run stops. */
  readonly unauthorized?: (url: string) => Error;
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

/** A call that still failed after every attempt, or a client error that retrying cannot fix. */
export class UpstreamRequestError extends Error {
  constructor(
    readonly url: string,
    upstream: string,
    message: string,
    readonly status?: number,
  ) {
    super(`${upstream} call ${url} failed: ${message}`);
    this.name = 'UpstreamRequestError';
  }
}

/** The daily call budget is used up: the run stops where it is and resumes with the next budget. */
export class CallBudgetExhaustedError extends Error {
  constructor(upstream: string) {
    super(`the daily ${upstream} call budget is used up`);
    this.name = 'CallBudgetExhaustedError';
  }
}

/** Thrown by a body parser: the answer came whole but is not what the API sends. Retried. */
export class MalformedBodyError extends Error {}

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

function excerpt(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export class ResilientHttp {
  readonly stats: ClientStats = {
    calls: 0,
    attempts: 0,
    retries: { 'rate-limited': 0, quota: 0, 'server-error': 0, network: 0, timeout: 0, 'malformed-body': 0 },
    retryAfterWaitMs: 0,
    backoffWaitMs: 0,
  };
  private nextCallAt = 0;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly minIntervalMs: number;
  private readonly backoffBaseMs: number;
  private readonly maxRetryAfterMs: number;

  constructor(private readonly options: ResilientHttpOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? 6;
    this.minIntervalMs = options.minIntervalMs ?? 6_000;
    this.backoffBaseMs = options.backoffBaseMs ?? 1_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
  }

  /** GETs `url` and parses the body, retrying what can succeed on a later attempt. */
  async get<T>(url: string, parse: (body: string) => T): Promise<T> {
    const { upstream } = this.options;
    this.stats.calls++;
    for (let attempt = 1; ; attempt++) {
      if (this.options.budget && !(await this.options.budget())) throw new CallBudgetExhaustedError(upstream);
      await this.pace();
      await this.options.sharedPace?.();
      this.stats.attempts++;
      try {
        return await this.attempt(url, parse);
      } catch (error) {
        if (!(error instanceof RetryableError)) throw error;
        if (attempt >= this.maxAttempts) throw new UpstreamRequestError(url, upstream, `${error.detail} (gave up after ${attempt} attempts)`);
        if (error.retryAfterMs !== undefined && error.retryAfterMs > this.maxRetryAfterMs) {
          throw new UpstreamRequestError(url, upstream, `${error.detail}; Retry-After ${Math.round(error.retryAfterMs / 1000)} s is longer than we wait`);
        }
        const waitMs = error.retryAfterMs ?? this.backoff(attempt);
        this.stats.retries[error.reason]++;
        if (error.retryAfterMs !== undefined) this.stats.retryAfterWaitMs += waitMs;
        else this.stats.backoffWaitMs += waitMs;
        this.options.onRetry?.({ url, attempt, reason: error.reason, waitMs, detail: error.detail });
        await sleep(waitMs);
      }
    }
  }

  private async attempt<T>(url: string, parse: (body: string) => T): Promise<T> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, { headers: this.options.headers ?? {}, signal });
    } catch (error) {
      throw this.transportFailure(error, 'before an answer');
    }
    let body: string;
    try {
      body = await response.text();
    } catch (error) {
      throw this.transportFailure(error, `after status ${response.status}, mid-body`);
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    if (response.status === 401) {
      throw this.options.unauthorized?.(url) ?? new UpstreamRequestError(url, this.options.upstream, `401 ${excerpt(body)}`, 401);
    }
    if (response.status === 429) throw new RetryableError('rate-limited', `429 ${excerpt(body)}`, retryAfterMs);
    if (response.status === 403 && retryAfterMs !== undefined) throw new RetryableError('quota', `403 ${excerpt(body)}`, retryAfterMs);
    if (response.status >= 500) throw new RetryableError('server-error', `${response.status} ${excerpt(body)}`);
    if (!response.ok) throw new UpstreamRequestError(url, this.options.upstream, `${response.status} ${excerpt(body)}`, response.status);
    try {
      return parse(body);
    } catch (error) {
      if (error instanceof MalformedBodyError) throw new RetryableError('malformed-body', error.message);
      throw error;
    }
  }

  private transportFailure(error: unknown, when: string): RetryableError {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') return new RetryableError('timeout', `no complete answer within ${this.timeoutMs} ms`);
    const cause = (error as { cause?: Error }).cause?.message;
    return new RetryableError('network', `connection failed ${when}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`);
  }

  private async pace(): Promise<void> {
    const now = Date.now();
    const waitMs = this.nextCallAt - now;
    this.nextCallAt = Math.max(now, this.nextCallAt) + this.minIntervalMs;
    if (waitMs > 0) await sleep(waitMs);
  }

  /** Exponential backoff with full jitter. */
  private backoff(attempt: number): number {
    return Math.random() * this.backoffBaseMs * 2 ** (attempt - 1);
  }
}
