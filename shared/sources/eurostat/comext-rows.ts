import * as z from '../../zod.js';
import { periodSchema } from '../../domain/period.js';
import { seriesId, storableValueProblem, type Observation, type SeriesKey } from '../../domain/series.js';
import { SeriesBatcher } from '../series-batcher.js';
import { countryPair, UNKNOWN_COUNTRY } from '../country-pair.js';
import type { RejectedRecord, SeriesBatch } from '../trade-source.js';
import type { CsvRow } from './comext-answer.js';
import { storedCode } from './comext-codes.js';
import { COMEXT_INDICATOR } from './comext-request-plan.js';

const comextArea = z.string().check(z.regex(/^[A-Z0-9_]{2,20}$/, 'expected a Comext reporter or partner code, e.g. DE or EU27_2020'));

const rowSchema = z.object({
  freq: z.literal('M'),
  reporter: comextArea,
  partner: comextArea,
  product: z.string().check(z.regex(/^(TOTAL|\d{2,6})$/, 'expected TOTAL or an HS code of 2 to 6 digits')),
  flow: z.enum(['1', '2']),
  indicators: z.literal(COMEXT_INDICATOR),
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

/**
 * SDMX-CSV rows into series, in euros (EUR is part of each series' identity); a row that does not
 * validate (or whose value cannot be stored) is rejected with its field and value.
 */
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
    const pair = countryPair((code: string) => {
      const stored = storedCode(code);
      return stored ? { iso3: stored } : undefined;
    }, row.reporter, row.partner);
    if ('unknown' in pair) {
      rejected.push({ where: at, field: pair.unknown, value: row[pair.unknown], reason: UNKNOWN_COUNTRY });
      continue;
    }
    const series: SeriesKey = { source: 'eurostat-comext', ...pair, flow: row.flow === '2' ? 'export' : 'import', commodity: row.product, currency: 'EUR' };
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
