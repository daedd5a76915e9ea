import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { describeIssue } from '../../describe-issue.js';
import * as z from '../../zod.js';
import { periodSchema } from '../../domain/period.js';
import { resolveArea } from '../../domain/countries.js';
import { storableAmountProblem } from '../../domain/quantities.js';
import { seriesId, seriesKeySchema, storableValueProblem, storedFlowSchema, type Observation, type SeriesKey } from '../../domain/series.js';
import type { SeriesBatch } from '../trade-source.js';
import { SeriesBatcher } from '../series-batcher.js';

/**
 * The CSV a user downloads by hand (e.g. from China customs' own portal) and imports:
 *
 *   reporter,partner,flow,period,value,currency,unit[,commodity][,state][,net_weight_kg]
 *   CHN,AZE,export,2024-01,195000,USD,thousand
 *
 * `unit` is explicit (`one`, `thousand`, `million`): values are stored in whole currency units.
 * `state` defaults to `published`; `suppressed` and `not-released` rows leave `value` empty.
 * `net_weight_kg`, optional, is the month's net weight in kilograms (plain digits, not scaled by
 * `unit`); empty is no weight.
 */
export const CSV_COLUMNS = ['reporter', 'partner', 'flow', 'period', 'value', 'currency', 'unit'] as const;
const UNIT_FACTORS = { one: 1, thousand: 1_000, million: 1_000_000 } as const;

/** A combined Jan+Feb row becomes a `combined` January and a February holding both months' value. */
function spread(period: string, reading: Pick<Observation, 'value' | 'state' | 'quantities'>): Observation[] {
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

const OPTIONAL_COLUMNS = ['commodity', 'state', 'net_weight_kg'] as const;

const AREA_HINT = 'an ISO 3166 country code such as AZE or AZ, an M49 number, W00 (also WLD or world) for the world, EUU for the EU27, or TWN (stored as 490, as UN Comtrade files Taiwan)';
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

/** The net weight column: nothing when empty; kg, or why not. */
function parseNetWeight(text: string | undefined): { kg?: number; error?: string } {
  if (text === undefined || text === '') return {};
  if (!PLAIN_DECIMAL.test(text)) return { error: /^-/.test(text) ? 'a net weight cannot be negative' : 'not a plain decimal number of kilograms, e.g. 125000 or 12.5' };
  const kg = Number(text);
  const problem = storableAmountProblem(kg);
  return problem ? { error: `a net weight ${problem}` } : { kg };
}

type RowResult = { readonly key: SeriesKey; readonly observations: Observation[] } | { readonly errors: string[] };

/** One data row, checked field by field; every problem is reported, not only the first. */
function parseRow(record: Record<string, string>): RowResult {
  const fields = fieldsSchema.safeParse(record);
  if (!fields.success) return { errors: fields.error.issues.map((issue) => describeIssue(issue)) };
  const row = fields.data;
  const errors: string[] = [];
  const areas = { reporter: resolveArea(row.reporter)?.code, partner: resolveArea(row.partner)?.code };
  for (const column of ['reporter', 'partner'] as const) {
    if (!areas[column]) errors.push(fieldError(column, row[column], `not a known country or area: expected ${AREA_HINT}`));
  }
  const key = { source: 'csv' as const, reporter: areas.reporter ?? row.reporter, partner: areas.partner ?? row.partner, flow: row.flow, commodity: row.commodity, currency: row.currency };
  const checked = seriesKeySchema.safeParse(key);
  if (!checked.success && errors.length === 0) errors.push(...checked.error.issues.map((issue) => describeIssue(issue)));
  const text = row.value;
  const weight = parseNetWeight(record.net_weight_kg);
  if (weight.error) errors.push(fieldError('net_weight_kg', record.net_weight_kg, weight.error));
  const quantities = weight.kg === undefined ? {} : { quantities: { netWeight: { kg: weight.kg, estimated: false } } };
  let observations: Observation[] = [];
  if (row.state === 'suppressed' || row.state === 'not-released') {
    if (text !== '') errors.push(fieldError('value', text, `must be empty for a ${row.state} month`));
    if (weight.kg !== undefined) errors.push(fieldError('net_weight_kg', record.net_weight_kg, `must be empty for a ${row.state} month`));
    observations = spread(row.period, { value: null, state: row.state });
  } else {
    const value = parseValue(text, row.unit);
    if (typeof value === 'string') errors.push(fieldError('value', text, value));
    else observations = spread(row.period, { value, state: value === 0 ? 'zero' : 'published', ...quantities });
  }
  if (errors.length > 0 || !checked.success) return { errors };
  return { key: checked.data, observations };
}

export interface CsvRowError {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly reason: string;
}

/** One data row as read: its series and months, or why it cannot be stored. */
export type CsvRow =
  | { readonly line: number; readonly key: SeriesKey; readonly observations: readonly Observation[] }
  | { readonly line: number; readonly error: string };

/** The line a record starts on: csv-parse counts to its end, and a quoted field may span lines. */
function firstLine(info: { lines: number }, raw: string): number {
  const body = raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
  return info.lines - (body.match(/\n/g)?.length ?? 0);
}

/**
 * Which months of which series a file has already given: one bit per month since 1900 per
 * series, so a file of millions of rows costs a few hundred bytes per series, not per row.
 */
class MonthsSeen {
  private readonly bits = new Map<string, Uint8Array>();

  /** Marks the months; the first one already seen, if any, instead. */
  add(id: string, periods: readonly string[]): string | undefined {
    const seen = this.bits.get(id) ?? new Uint8Array(((2200 - 1900) * 12) / 8);
    this.bits.set(id, seen);
    const indexes = periods.map((period) => (Number(period.slice(0, 4)) - 1900) * 12 + Number(period.slice(5, 7)) - 1);
    const clash = indexes.findIndex((i) => seen[i >> 3]! & (1 << (i & 7)));
    if (clash >= 0) return periods[clash];
    for (const i of indexes) seen[i >> 3]! |= 1 << (i & 7);
    return undefined;
  }
}

/**
 * The rows of a trade CSV, read as a stream and checked one by one, each with the line it starts
 * on: memory stays flat whatever the file's size. The header says how many fields a row has: a
 * row may leave out trailing optional columns (commodity, state), never more, and never have more
 * fields than the header. A second row for a month of a series is an error on that row.
 */
export async function* readTradeCsv(input: Readable): AsyncGenerator<CsvRow> {
  const parser = input.pipe(parse({ columns: false, info: true, raw: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: true }));
  // pipe() does not pass the file's own errors on (a missing file): the parser ends with them.
  input.on('error', (error) => parser.destroy(error));
  let header: string[] | undefined;
  let trailingOptional = 0;
  const seen = new MonthsSeen();
  try {
    for await (const { record: fields, raw, info } of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
      const line = firstLine(info, raw);
      if (!header) {
        header = fields;
        const missing = CSV_COLUMNS.filter((c) => !fields.includes(c));
        if (missing.length > 0) {
          yield { line, error: `missing column(s): ${missing.join(', ')} (expected ${CSV_COLUMNS.join(',')})` };
          return;
        }
        // A row may stop early only where every column left out is optional.
        trailingOptional = fields.length;
        while (trailingOptional > 0 && (OPTIONAL_COLUMNS as readonly string[]).includes(fields[trailingOptional - 1]!)) trailingOptional--;
        continue;
      }
      if (fields.length > header.length || fields.length < trailingOptional) {
        const leftOut = fields.length < header.length ? `; only trailing optional columns (${header.slice(trailingOptional).join(', ')}) may be left out` : '';
        yield { line, error: `the row has ${fields.length} fields, the header ${header.length}${leftOut}` };
        continue;
      }
      const parsed = parseRow(Object.fromEntries(fields.map((field, i) => [header![i]!, field])));
      if ('errors' in parsed) {
        yield { line, error: parsed.errors.join('; ') };
        continue;
      }
      const clash = seen.add(seriesId(parsed.key), parsed.observations.map((o) => o.period));
      if (clash) yield { line, error: `a second row for ${seriesId(parsed.key)} ${clash}` };
      else yield { line, ...parsed };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).syscall) throw error; // the file, not its content
    const line = (error as { lines?: number }).lines ?? 1;
    yield { line, error: `not readable as CSV: ${(error as Error).message}` };
  }
}

export interface ParsedCsv {
  readonly batches: SeriesBatch[];
  readonly rows: number;
  readonly errors: CsvRowError[];
}

/** A whole CSV text as series (for small files and tests; imports stream with readTradeCsv). */
export async function parseTradeCsv(text: string): Promise<ParsedCsv> {
  const errors: CsvRowError[] = [];
  const batcher = new SeriesBatcher();
  let rows = 0;
  for await (const row of readTradeCsv(Readable.from([text]))) {
    rows++;
    if ('error' in row) {
      errors.push({ line: row.line, reason: row.error });
      continue;
    }
    for (const observation of row.observations) batcher.add(row.key, observation);
  }
  return { batches: batcher.batches(), rows, errors };
}
