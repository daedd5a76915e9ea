import { parse } from 'csv-parse/sync';
import { describeIssue } from '../../describe-issue.js';
import * as z from '../../zod.js';
import { periodSchema } from '../../domain/period.js';
import { seriesId, seriesKeySchema, storedFlowSchema, type Observation, type SeriesKey } from '../../domain/series.js';
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
    z.transform((v: unknown) => (v === '' ? undefined : v)),
    z._default(schema, fallback),
  );

const rowSchema = z.pipe(
  z.object({
    reporter: z.string().check(z.regex(/^[A-Z0-9]{3}$/, 'expected an ISO alpha-3 code, e.g. CHN')),
    partner: z.string().check(z.regex(/^[A-Z0-9]{3}$/, 'expected an ISO alpha-3 code, e.g. AZE')),
    flow: storedFlowSchema,
    /** `YYYY-MM`, or `YYYY-01..02` for a January and February published as one value. */
    period: z.union([periodSchema, z.string().check(z.regex(/^\d{4}-01\.\.02$/))], { error: 'expected a month as YYYY-MM (or YYYY-01..02 for a combined Jan+Feb release)' }),
    value: z.string(),
    currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code, e.g. USD')),
    unit: z.enum(['one', 'thousand', 'million']),
    commodity: optionalColumn(z.string(), 'TOTAL'),
    state: optionalColumn(z.enum(['published', 'zero', 'suppressed', 'not-released']), 'published'),
  }),
  z.transform((row, ctx): { key: SeriesKey; observations: Observation[] } => {
    const key = { source: 'csv' as const, reporter: row.reporter, partner: row.partner, flow: row.flow, commodity: row.commodity, currency: row.currency };
    const checked = seriesKeySchema.safeParse(key);
    if (!checked.success) {
      ctx.issues.push({ code: 'custom', input: row, message: describeIssue(checked.error.issues[0]!) });
      return z.NEVER;
    }
    if (row.state === 'suppressed' || row.state === 'not-released') {
      if (row.value.trim() !== '') ctx.issues.push({ code: 'custom', input: row.value, message: `value: must be empty for a ${row.state} month` });
      return { key: checked.data, observations: spread(row.period, { value: null, state: row.state }) };
    }
    const number = Number(row.value.replace(/[ _]/g, ''));
    if (row.value.trim() === '' || !Number.isFinite(number) || number < 0) {
      ctx.issues.push({ code: 'custom', input: row.value, message: `value: "${row.value}" is not a non-negative number` });
      return z.NEVER;
    }
    const value = number * UNIT_FACTORS[row.unit];
    return { key: checked.data, observations: spread(row.period, { value, state: value === 0 ? 'zero' : 'published' }) };
  }),
);

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


/** Parses the whole file, reporting every bad row with its line number and reason. */
export function parseTradeCsv(text: string): ParsedCsv {
  let records: { record: Record<string, string>; info: { lines: number; invalid_field_length: number } }[];
  try {
    records = parse(text, { columns: true, info: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: true });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { batches: [], rows: 0, errors: [{ line, reason: `not readable as CSV: ${(error as Error).message}` }] };
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  if (records.length > 0 && missing.length > 0) {
    return { batches: [], rows: records.length, errors: [{ line: 1, reason: `missing column(s): ${missing.join(', ')} (expected ${CSV_COLUMNS.join(',')})` }] };
  }
  const errors: CsvRowError[] = [];
  const bySeries = new Map<string, { series: SeriesKey; observations: Map<string, Observation> }>();
  let wrongLengthSoFar = 0;
  for (const { record, info } of records) {
    if (info.invalid_field_length > wrongLengthSoFar) {
      wrongLengthSoFar = info.invalid_field_length;
      errors.push({ line: info.lines, reason: `the row does not have the header's ${header.length} fields` });
      continue;
    }
    const parsed = rowSchema.safeParse(record);
    if (!parsed.success) {
      errors.push({ line: info.lines, reason: parsed.error.issues.map((issue) => describeIssue(issue)).join('; ') });
      continue;
    }
    const { key, observations } = parsed.data;
    const id = seriesId(key);
    const entry = bySeries.get(id) ?? { series: key, observations: new Map<string, Observation>() };
    bySeries.set(id, entry);
    const clash = observations.find((o) => entry.observations.has(o.period));
    if (clash) {
      errors.push({ line: info.lines, reason: `a second row for ${id} ${clash.period}` });
      continue;
    }
    for (const observation of observations) entry.observations.set(observation.period, observation);
  }
  const batches = [...bySeries.values()].map((e) => ({ series: e.series, observations: [...e.observations.values()].sort((a, b) => a.period.localeCompare(b.period)) }));
  return { batches, rows: records.length, errors };
}
