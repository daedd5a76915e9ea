import { MalformedBodyError, ResilientHttp, type ClientStats, type ResilientHttpOptions } from '../http/resilient-http.js';
import { comtradeResponseSchema, type ComtradeResponse } from './comtrade-schema.js';
import { comtradeDataUrl, KEYED_RECORD_CAP, PREVIEW_RECORD_CAP } from './request-plan.js';


export interface ComtradeClientOptions extends Omit<ResilientHttpOptions, 'upstream' | 'headers' | 'unauthorized'> {
  /** e.g. https://comtradeapi.un.org, or a Comtrade-compatible test server. */
  readonly baseUrl: string;
  /** Subscription key: uses the keyed data endpoint; without one, the public preview (500 records). */
  readonly apiKey?: string | undefined;
  /** Records asked for per call (`maxRecords`); never more than the endpoint allows. */
  readonly maxRecords?: number;
}

/** 401: the key is missing or wrong. Retrying cannot help; the run stops. */
export class ComtradeAuthError extends Error {
  constructor(url: string) {
    super(
      `UN Comtrade refused the subscription key (401) for ${url}. Check the key (COMTRADE_API_KEY locally, ` +
        'or the COMTRADE_API_KEY_SECRET secret on AWS), or remove it to use the keyless preview endpoint.',
    );
    this.name = 'ComtradeAuthError';
  }
}


function parseComtradeBody(body: string): ComtradeResponse {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedBodyError(`the body is not valid JSON (${body.length} bytes, truncated?)`);
  }
  const parsed = comtradeResponseSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MalformedBodyError(`unexpected response shape at "${issue?.path.join('.')}": ${issue?.message}`);
  }
  if (parsed.data.error) throw new Error(`UN Comtrade reported an error: ${parsed.data.error}`);
  return parsed.data;
}

/** The UN Comtrade v1 monthly goods endpoints over a resilient HTTP client. */
export class ComtradeClient {
  private readonly http: ResilientHttp;
  private readonly baseUrl: string;

  constructor(private readonly options: ComtradeClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.http = new ResilientHttp({
      ...options,
      upstream: 'UN Comtrade',
      headers: { Accept: 'application/json', ...(options.apiKey ? { 'Ocp-Apim-Subscription-Key': options.apiKey } : {}) },
      unauthorized: (url) => new ComtradeAuthError(url),
    });
  }

  get stats(): ClientStats {
    return this.http.stats;
  }

  /** The most records one call can return: an answer this long was probably cut. */
  get recordCap(): number {
    const endpointCap = this.options.apiKey ? KEYED_RECORD_CAP : PREVIEW_RECORD_CAP;
    return Math.min(this.options.maxRecords ?? endpointCap, endpointCap);
  }

  /** The URL of a monthly goods data call (keyed endpoint, or the preview without a key). */
  dataUrl(params: Record<string, string>): string {
    return comtradeDataUrl(this.baseUrl, Boolean(this.options.apiKey), params);
  }

  /** The URL of a data availability call (getDa): releases per reporter and month, no data. */
  availabilityUrl(params: Record<string, string>): string {
    const path = this.options.apiKey ? '/data/v1/getDa/C/M/HS' : '/public/v1/getDa/C/M/HS';
    return `${this.baseUrl}${path}?${new URLSearchParams(params).toString()}`;
  }

  getData(params: Record<string, string>): Promise<ComtradeResponse> {
    return this.http.get(this.dataUrl(params), parseComtradeBody);
  }

  getAvailability(params: Record<string, string>): Promise<ComtradeResponse> {
    return this.http.get(this.availabilityUrl(params), parseComtradeBody);
  }
}

