import { parse } from 'csv-parse/sync';
import * as z from '../../zod.js';
import { countryByIso2, countryByIso3 } from '../../domain/countries.js';
import { periodSchema } from '../../domain/period.js';
import { seriesId, storableValueProblem, type Observation, type SeriesKey, type StoredFlow } from '../../domain/series.js';
import { MalformedBodyError, ResilientHttp, UpstreamRequestError, type ResilientHttpOptions } from '../http/resilient-http.js';
import { InvalidRequestError, MAX_PERIODS_PER_CALL } from '../comtrade/request-plan.js';
import { failedCall, type FetchOptions, type RejectedRecord, type SeriesBatch, type SourceRequest, type SourceResult, type TradeSource } from '../trade-source.js';
import { SeriesBatcher } from '../series-batcher.js';
import { countryPair, UNKNOWN_COUNTRY } from '../country-pair.js';

/**
 * Eurostat Comext, dataset DS-045409 (EU trade by partner and product, monthly), through the SDMX
 * 2.1 REST API in SDMX-CSV. Values are in euros and keep their currency (EUR). The key is
 * freq.reporter.partner.product.flow.indicators, with flow 1 = import and 2 = export, and
 * reporters and partners as two-letter codes; several values of a dimension are joined with `+`.
 */
export const COMEXT_DATASET = 'DS-045409';
const FLOW_CODES: Record<StoredFlow, string> = { import: '1', export: '2' };
const INDICATOR = 'VALUE_IN_EUROS';

const rowSchema = z.object({
  freq: z.literal('M'),
  reporter: z.string().check(z.regex(/^[A-Z]{2}$/, 'expected a two-letter reporter code')),
  partner: z.string().check(z.regex(/^[A-Z]{2}$/, 'expected a two-letter partner code')),
  product: z.string().check(z.minLength(1)),
  flow: z.enum(['1', '2']),
  indicators: z.literal(INDICATOR),
  TIME_PERIOD: periodSchema,
  OBS_VALUE: z.string().check(
    z.superRefine((v, ctx) => {
      if (v === '') return;
      const problem = /^\s*$/.test(v) || !Number.isFinite(Number(v)) ? 'expected a non-negative number or nothing' : storableValueProblem(Number(v));
      if (problem) ctx.addIssue({ code: 'custom', input: v, message: problem });
    }),
  ),
  OBS_FLAG: z.optional(z.string()),
});

function twoLetter(iso3: string, role: 'reporter' | 'partner'): string {
  const country = countryByIso3(iso3);
  if (!country) throw new InvalidRequestError(`unknown ${role} "${iso3}": not in the reference list of countries`);
  return country.iso2;
}

export interface ComextSourceOptions extends Omit<ResilientHttpOptions, 'upstream' | 'headers'> {
  /** e.g. https://ec.europa.eu, or a compatible test server. */
  readonly baseUrl: string;
}

export class ComextSource implements TradeSource {
  readonly name = 'eurostat-comext' as const;
  readonly http: ResilientHttp;
  private readonly baseUrl: string;

  constructor(options: ComextSourceOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.http = new ResilientHttp({ minIntervalMs: 1_000, ...options, upstream: 'Eurostat Comext', headers: { Accept: 'text/csv' } });
  }

  private urls(request: SourceRequest): string[] {
    const reporter = twoLetter(request.reporter, 'reporter');
    const partners = request.partners.map((p) => twoLetter(p, 'partner')).join('+');
    const flows = request.flows.map((f) => FLOW_CODES[f]).join('+');
    const periods = [...new Set(request.periods)].sort();
    const urls: string[] = [];
    for (let i = 0; i < periods.length; i += MAX_PERIODS_PER_CALL) {
      const chunk = periods.slice(i, i + MAX_PERIODS_PER_CALL);
      const key = ['M', reporter, partners, request.commodity, flows, INDICATOR].join('.');
      const query = new URLSearchParams({ format: 'SDMX-CSV', startPeriod: chunk[0]!, endPeriod: chunk.at(-1)! });
      urls.push(`${this.baseUrl}/eurostat/api/comext/dissemination/sdmx/2.1/data/${COMEXT_DATASET}/${key}?${query.toString()}`);
    }
    return urls;
  }

  plan(request: SourceRequest): string[] {
    return this.urls(request).map((url) => `GET ${url}`);
  }

  async *fetch(request: SourceRequest, options: FetchOptions = {}): AsyncIterable<SourceResult> {
    for (const url of this.urls(request)) {
      if (options.skipCall?.(url)) continue;
      let rows: CsvRow[];
      try {
        rows = await this.http.get(url, parseSdmxCsv);
      } catch (error) {
        if (!(error instanceof UpstreamRequestError)) throw error;
        yield failedCall(url, error);
        continue;
      }
      const path = new URL(url);
      yield { call: url, ...convertRows(rows, `GET ${path.pathname}${path.search}`) };
    }
  }
}

export type CsvRow = { record: Record<string, string>; line: number };

function parseSdmxCsv(body: string): CsvRow[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(body, { columns: true, info: true, skip_empty_lines: true, bom: true });
  } catch (error) {
    throw new MalformedBodyError(`the body is not readable SDMX-CSV (${(error as Error).message})`);
  }
  if (records.length > 0 && !('OBS_VALUE' in records[0]!.record)) throw new MalformedBodyError('the SDMX-CSV has no OBS_VALUE column');
  return records.map(({ record, info }) => ({ record, line: info.lines }));
}

/** SDMX-CSV rows into series; a row that does not validate (or whose value cannot be stored) is rejected with its field and value. */
export function convertRows(rows: readonly CsvRow[], where: string): { batches: SeriesBatch[]; rejected: RejectedRecord[] } {
  const rejected: RejectedRecord[] = [];
  const batcher = new SeriesBatcher();
  for (const { record, line } of rows) {
    const parsed = rowSchema.safeParse(record);
    const at = `${where} line ${line}`;
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? '(row)');
      rejected.push({ where: at, field, value: record[field], reason: issue.message });
      continue;
    }
    const row = parsed.data;
    const pair = countryPair(countryByIso2, row.reporter, row.partner);
    if ('unknown' in pair) {
      rejected.push({ where: at, field: pair.unknown, value: row[pair.unknown], reason: UNKNOWN_COUNTRY });
      continue;
    }
    const series: SeriesKey = {
      source: 'eurostat-comext',
      ...pair,
      flow: row.flow === '2' ? 'export' : 'import',
      commodity: row.product,
      currency: 'EUR',
    };
    const observation: Observation =
      row.OBS_VALUE === ''
        ? { period: row.TIME_PERIOD, value: null, state: row.OBS_FLAG === 'c' ? 'suppressed' : 'not-released' }
        : { period: row.TIME_PERIOD, value: Number(row.OBS_VALUE), state: Number(row.OBS_VALUE) === 0 ? 'zero' : 'published' };
    const earlier = batcher.add(series, observation);
    if (earlier) {
      const id = seriesId(series);
      rejected.push({ where: at, field: 'OBS_VALUE', value: row.OBS_VALUE, reason: `a second, different row for ${id} ${observation.period} (first: ${earlier.value})`, seriesId: id, period: observation.period });
    }
  }
  return { batches: batcher.batches(), rejected };
}

