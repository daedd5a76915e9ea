import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { describeIssue } from '../../describe-issue.js';
import * as z from '../../zod.js';
import { detectionConfigSchema, type SeriesInput } from '../../domain/detection/index.js';
import { evaluate, labelFileSchema, type Evaluation } from '../../domain/detection/evaluate.js';
import { groupBy } from '../../domain/group-by.js';
import { periodSchema } from '../../domain/period.js';
import { seriesId, seriesKeySchema, storedFlowSchema, type SeriesKey } from '../../domain/series.js';
import { csvCell, table, type Out } from './output.js';

export const evaluateOptionsSchema = z.object({
  series: z.string().check(z.minLength(1)),
  events: z.string().check(z.minLength(1)),
  format: z._default(z.enum(['table', 'csv', 'json']), 'table'),
  /** Detection settings over the defaults, as JSON (the DETECTION variable's form). */
  detection: z.optional(z.string()),
});
export type EvaluateOptions = z.input<typeof evaluateOptionsSchema>;

const UNIT_FACTORS = { one: 1, thousand: 1_000, million: 1_000_000 } as const;

/** A row of the import CSV format, monthly values only; `EUU` (the EU27 aggregate) is a reporter like any other. */
const rowSchema = z.object({
  reporter: z.string().check(z.regex(/^[A-Z0-9]{3}$/, 'expected a 3-letter code, e.g. DEU or EUU')),
  partner: z.string().check(z.regex(/^[A-Z0-9]{3}$/, 'expected a 3-letter code, e.g. RUS')),
  flow: storedFlowSchema,
  period: periodSchema,
  value: z.pipe(
    z.string(),
    z.transform((v, ctx) => {
      const n = Number(v.replace(/[ _]/g, ''));
      if (v.trim() === '' || !Number.isFinite(n) || n < 0) {
        ctx.issues.push({ code: 'custom', input: v, message: `"${v}" is not a non-negative number` });
        return z.NEVER;
      }
      return n;
    }),
  ),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code, e.g. EUR')),
  unit: z.enum(['one', 'thousand', 'million']),
});

/** Series from CSV text in the import format (header first), as `csv` series; throws naming the first bad line. */
export function seriesFromCsv(text: string): SeriesInput[] {
  const records = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  const rows = records.map((record, i) => {
    const parsed = rowSchema.safeParse(record);
    if (!parsed.success) throw new Error(`line ${i + 2}: ${describeIssue(parsed.error.issues[0]!)}`);
    const row = parsed.data;
    const key: SeriesKey = seriesKeySchema.parse({ source: 'csv', reporter: row.reporter, partner: row.partner, flow: row.flow, commodity: 'TOTAL', currency: row.currency });
    const value = row.value * UNIT_FACTORS[row.unit];
    return { key, observation: { period: row.period, value, state: value === 0 ? ('zero' as const) : ('published' as const) } };
  });
  return [...groupBy(rows, (r) => seriesId(r.key)).values()].map((ofSeries) => ({
    series: ofSeries[0]!.key,
    observations: ofSeries.map((r) => r.observation).sort((a, b) => a.period.localeCompare(b.period)),
  }));
}

/** `tradewatch evaluate`: detection judged against labelled events, on series from a CSV file. */
export async function runEvaluate(raw: EvaluateOptions, out: Out): Promise<void> {
  const parsed = evaluateOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${issue.path.length > 0 ? `--${String(issue.path[0])}: ` : ''}${issue.message}`);
  }
  const options = parsed.data;
  const inputs = seriesFromCsv(await readFile(options.series, 'utf8'));
  const labels = labelFileSchema.safeParse(JSON.parse(await readFile(options.events, 'utf8')));
  if (!labels.success) throw new Error(`--events ${options.events}: ${describeIssue(labels.error.issues[0]!)}`);
  const settings = detectionConfigSchema.safeParse(options.detection ? JSON.parse(options.detection) : {});
  if (!settings.success) throw new Error(`--detection: ${describeIssue(settings.error.issues[0]!)}`);
  render(evaluate(inputs, labels.data, settings.data), inputs.length, options.format, out);
}

const pct = (x: number) => `${(x * 100).toFixed(0)} %`;

function render(e: Evaluation, series: number, format: 'table' | 'csv' | 'json', out: Out): void {
  if (format === 'json') {
    out(JSON.stringify(e, null, 2));
    return;
  }
  if (format === 'csv') {
    out('label,series,direction,window_from,window_to,hit,first_alert,lag_months,type,type_as_expected,held_back_by');
    for (const o of e.outcomes) {
      out([o.label, o.seriesId, o.direction, o.window.from, o.window.to, o.hit, o.firstAlert, o.lagMonths, o.type, o.typeAsExpected, o.heldBackBy.join(' ')].map(csvCell).join(','));
    }
    return;
  }
  out(`Evaluated ${series} series (${e.noise.seriesYears.toFixed(1)} series-years), ${e.alerts} alert buckets in ${e.noise.events} events.`);
  out('');
  for (const line of table([
    ['EVENT', 'SERIES', 'CALLED', 'RECALL', 'TYPED', 'MEAN LAG', 'MAX LAG'],
    ...e.labels.map((l) => [
      l.id,
      String(l.series),
      String(l.hits),
      pct(l.recall),
      l.typedAsExpected === undefined ? '-' : `${l.typedAsExpected}/${l.series}`,
      l.meanLagMonths === undefined ? '-' : `${l.meanLagMonths.toFixed(1)} mo`,
      l.maxLagMonths === undefined ? '-' : `${l.maxLagMonths} mo`,
    ]),
  ])) {
    out(`  ${line}`);
  }
  const misses = e.outcomes.filter((o) => !o.hit);
  if (misses.length > 0) {
    out('');
    out('Missed:');
    for (const o of misses) out(`  ${o.label}  ${o.seriesId}${o.heldBackBy.length > 0 ? `  (held back: ${o.heldBackBy.join(', ')})` : ''}`);
  }
  out('');
  for (const b of e.baseEffects) {
    out(`Base effects (${b.id}): ${b.alerts} alerts, ${b.namingBase} naming the base, ${b.critical} critical, ${b.criticalOnBaseOnly} critical on the base alone`);
  }
  const n = e.noise;
  out(`Outside labelled windows: ${n.eventsOutside} events over ${n.seriesYearsOutside.toFixed(1)} series-years = ${n.perSeriesYearOutside.toFixed(3)} per series-year (all events: ${n.perSeriesYear.toFixed(3)} per series-year)`);
  const gates = Object.entries(e.heldBack.byGate).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  out(`Held back:  ${e.heldBack.total} moves (${gates}); ${e.heldBack.inEventWindows.length} inside labelled event windows`);
}
