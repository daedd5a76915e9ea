import { parse } from 'csv-parse/sync';
import { describeIssue } from '../../describe-issue.js';
import * as z from '../../zod.js';
import { periodSchema } from '../../domain/period.js';
import { knownAreaCode } from '../../domain/countries.js';
import { seriesId, seriesKeySchema, storableValueProblem, storedFlowSchema, type Observation, type SeriesKey } from '../../domain/series.js';
import type { SeriesBatch } from '../trade-source.js';

/**
 * The CSV a user downloads by hand (e.g. from China customs' own portal) and imports:
 *
 *   reporter,partner,flow,period,value,currency,unit[,commodity][,state]
 *   CHN,AZE,export,2024-01,195000,USD,thousand
 *
 * `unit` is explicit (`one`, `thousand`, `million`): values are stored in whole currency units.
 * `state` defaults to `published`; `suppressed` and `not-released` rows leave `value` empty.
 */
export const CSV_COLUMNS = ['reporter', 'partner', 'flow', 'period', 'value', 'currency', 'unit'] as const;
const UNIT_FACTORS = { one: 1, thousand: 1_000, million: 1_000_000 } as const;

/** A combined Jan+Feb row becomes a `combined` January and a February holding both months' value. */
function spread(period: string, reading: Pick<Observation, 'value' | 'state'>): Observation[] {
  if (!period.endsWith('..02')) return [{ period, ...reading }];
  const year = period.slice(0, 4);
  return [
    { period: `${year}-01`, value: null, state: 'combined' },
    { period: `${year}-02`, ...reading },
  ];
}

/** An optional column may be absent or left empty; either way it takes `fallback`. */
const optionalColumn = <T extends z.ZodMiniType>(schema: T, fallback: z.util.NoUndefined<z.output<T>>) =>
  z.pipe(
    z.transform((v: unknown) => (v === '' || v === undefined ? undefined : v)),
    z._default(schema, fallback),
  );

const OPTIONAL_COLUMNS = ['commodity', 'state'] as const;

const AREA_HINT = 'an ISO 3166 alpha-3 country code such as AZE, or W00 (also WLD) for the world, EUU for the EU27';
/**
 * The fields whose checks are plain zod, reported as `column: message` like every zod problem;
 * `value`, `reporter` and `partner` are checked after, and reported with the text as written.
 */
const fieldsSchema = z.object({
  reporter: z.string(),
  partner: z.string(),
  flow: storedFlowSchema,
  /** `YYYY-MM`, or `YYYY-01..02` for a January and February published as one value. */
  period: z.union([periodSchema, z.string().check(z.regex(/^\d{4}-01\.\.02$/))], { error: 'expected a month as YYYY-MM (or YYYY-01..02 for a combined Jan+Feb release)' }),
  value: z.string(),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code, e.g. USD')),
  unit: z.enum(['one', 'thousand', 'million']),
  commodity: optionalColumn(z.string(), 'TOTAL'),
  state: optionalColumn(z.enum(['published', 'zero', 'suppressed', 'not-released']), 'published'),
});

/** A problem with one field, shown as `column "value": "<text as in the file>": <reason>`. */
const fieldError = (column: string, text: unknown, reason: string) => `column "${column}": ${JSON.stringify(text === undefined ? '' : String(text))}: ${reason}`;

const PLAIN_DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;
const THOUSANDS_SEPARATED = /^\d{1,3}([,' _\u00a0\u202f.]\d{3})+([.,]\d+)?$/;

/**
 * A decimal text times 10^exponent, shifted as text so that `1.1` thousand is exactly 1100;
 * the text must already be a plain decimal number.
 */
function scaleDecimal(text: string, exponent: number): number {
  const [whole = '', fraction = ''] = text.split('.');
  const digits = `${whole}${fraction.padEnd(exponent, '0')}`;
  return Number(`${digits.slice(0, whole.length + exponent) || '0'}.${digits.slice(whole.length + exponent) || '0'}`);
}

const UNIT_EXPONENTS = { one: 0, thousand: 3, million: 6 } as const satisfies Record<keyof typeof UNIT_FACTORS, number>;

/** Why the `value` text is not a storable trade value in `unit`, or the value. */
function parseValue(text: string, unit: keyof typeof UNIT_FACTORS): number | string {
  if (text === '') return 'a published month needs a value (leave it empty only for a suppressed or not-released month)';
  if (/^-/.test(text) && PLAIN_DECIMAL.test(text.slice(1))) return 'a trade value cannot be negative';
  if (!PLAIN_DECIMAL.test(text) && THOUSANDS_SEPARATED.test(text) && !/^\d+\.\d+$/.test(text)) {
    return `thousands separators are not accepted: write the number with digits only (e.g. ${text.replace(/[,' _\u00a0\u202f.](?=\d{3}(\D|$))/g, '')})`;
  }
  if (!PLAIN_DECIMAL.test(text)) return 'not a plain decimal number: expected digits with an optional decimal point, e.g. 195000 or 1.5';
  const value = scaleDecimal(text, UNIT_EXPONENTS[unit]);
  const problem = storableValueProblem(value);
  if (problem) return unit === 'one' ? problem : `${problem}, once multiplied by the unit (${unit})`;
  return value;
}

type RowResult = { readonly key: SeriesKey; readonly observations: Observation[] } | { readonly errors: string[] };

/** One data row, checked field by field; every problem is reported, not only the first. */
function parseRow(record: Record<string, string>): RowResult {
  const fields = fieldsSchema.safeParse(record);
  if (!fields.success) return { errors: fields.error.issues.map((issue) => describeIssue(issue)) };
  const row = fields.data;
  const errors: string[] = [];
  const areas = { reporter: knownAreaCode(row.reporter), partner: knownAreaCode(row.partner) };
  for (const column of ['reporter', 'partner'] as const) {
    if (!areas[column]) errors.push(fieldError(column, row[column], `not a known country or area: expected ${AREA_HINT}`));
  }
  const key = { source: 'csv' as const, reporter: areas.reporter ?? row.reporter, partner: areas.partner ?? row.partner, flow: row.flow, commodity: row.commodity, currency: row.currency };
  const checked = seriesKeySchema.safeParse(key);
  if (!checked.success && errors.length === 0) errors.push(...checked.error.issues.map((issue) => describeIssue(issue)));
  const text = row.value;
  let observations: Observation[] = [];
  if (row.state === 'suppressed' || row.state === 'not-released') {
    if (text !== '') errors.push(fieldError('value', text, `must be empty for a ${row.state} month`));
    observations = spread(row.period, { value: null, state: row.state });
  } else {
    const value = parseValue(text, row.unit);
    if (typeof value === 'string') errors.push(fieldError('value', text, value));
    else observations = spread(row.period, { value, state: value === 0 ? 'zero' : 'published' });
  }
  if (errors.length > 0 || !checked.success) return { errors };
  return { key: checked.data, observations };
}

export interface CsvRowError {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly reason: string;
}

export interface ParsedCsv {
  readonly batches: SeriesBatch[];
  readonly rows: number;
  readonly errors: CsvRowError[];
}


/** The line a record starts on: csv-parse counts to its end, and a quoted field may span lines. */
function firstLine(info: { lines: number }, raw: string): number {
  const body = raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
  return info.lines - (body.match(/\n/g)?.length ?? 0);
}

/**
 * Parses the whole file, reporting every bad row with its line number and reason. The header
 * says how many fields a row has: a row may leave out trailing optional columns (commodity,
 * state), never more, and never have more fields than the header.
 */
export function parseTradeCsv(text: string): ParsedCsv {
  let records: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    records = parse(text, { columns: false, info: true, raw: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { batches: [], rows: 0, errors: [{ line, reason: `not readable as CSV: ${(error as Error).message}` }] };
  }
  const [headerRecord, ...rows] = records;
  if (!headerRecord) return { batches: [], rows: 0, errors: [] };
  const header = headerRecord.record;
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  if (rows.length > 0 && missing.length > 0) {
    return { batches: [], rows: rows.length, errors: [{ line: firstLine(headerRecord.info, headerRecord.raw), reason: `missing column(s): ${missing.join(', ')} (expected ${CSV_COLUMNS.join(',')})` }] };
  }
  // A row may stop early only where every column left out is optional.
  const trailingOptional = (() => {
    let n = header.length;
    while (n > 0 && (OPTIONAL_COLUMNS as readonly string[]).includes(header[n - 1]!)) n--;
    return n;
  })();
  const errors: CsvRowError[] = [];
  const bySeries = new Map<string, { series: SeriesKey; observations: Map<string, Observation> }>();
  for (const { record: fields, raw, info } of rows) {
    const line = firstLine(info, raw);
    if (fields.length > header.length || fields.length < trailingOptional) {
      const leftOut = fields.length < header.length ? `; only trailing optional columns (${OPTIONAL_COLUMNS.join(', ')}) may be left out` : '';
      errors.push({ line, reason: `the row has ${fields.length} fields, the header ${header.length}${leftOut}` });
      continue;
    }
    const record = Object.fromEntries(fields.map((field, i) => [header[i]!, field]));
    const parsed = parseRow(record);
    if ('errors' in parsed) {
      errors.push({ line, reason: parsed.errors.join('; ') });
      continue;
    }
    const { key, observations } = parsed;
    const id = seriesId(key);
    const entry = bySeries.get(id) ?? { series: key, observations: new Map<string, Observation>() };
    bySeries.set(id, entry);
    const clash = observations.find((o) => entry.observations.has(o.period));
    if (clash) {
      errors.push({ line, reason: `a second row for ${id} ${clash.period}` });
      continue;
    }
    for (const observation of observations) entry.observations.set(observation.period, observation);
  }
  const batches = [...bySeries.values()].map((e) => ({ series: e.series, observations: [...e.observations.values()].sort((a, b) => a.period.localeCompare(b.period)) }));
  return { batches, rows: rows.length, errors };
}
