import * as z from '../../zod.js';
import { loadCliConfig } from '../../config/functions.js';
import { cliConfig } from '../store-target.js';
import { demoSeriesInputs } from '../../demo/demo-figures.js';
import { backtest, type BacktestSummary } from '../../domain/detection/index.js';
import { formatChange, formatMoney } from '../../domain/format.js';
import { periodSchema } from '../../domain/period.js';
import { parseSeriesId, seriesId } from '../../domain/series.js';
import { loadSeriesWithTurnover } from '../../detect/load-series.js';
import { createReadStore } from '../../wiring.js';
import { detectionOf } from './query.js';
import { csvCell, table, type Out } from './output.js';

export const backtestOptionsSchema = z
  .object({
    id: z.optional(z.string()),
    all: z._default(z.boolean(), false),
    from: z.optional(periodSchema),
    to: z.optional(periodSchema),
    format: z._default(z.enum(['table', 'csv', 'json']), 'table'),
    demo: z._default(z.boolean(), false),
  })
  .check(
    z.refine((o) => Boolean(o.id) !== o.all, { message: 'name one series ID, or --all (not both)' }),
    z.refine((o) => !o.from || !o.to || o.from <= o.to, { message: '--from is after --to' }),
  );
export type BacktestOptions = z.input<typeof backtestOptionsSchema>;

/** `tradewatch backtest`: how the detector would have behaved on stored (or the demo's) history. */
export async function runBacktest(raw: BacktestOptions, out: Out): Promise<void> {
  const parsed = backtestOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = issue.path.length > 0 ? `--${String(issue.path[0])}: ` : '';
    throw new Error(`${flag}${issue.message}`);
  }
  const options = parsed.data;
  if (options.id) parseSeriesId(options.id);
  const config = options.demo ? loadCliConfig() : cliConfig();
  const inputs = options.demo ? demoSeriesInputs() : await loadSeriesWithTurnover(createReadStore(config).series);
  if (options.id && !inputs.some((i) => seriesId(i.series) === options.id)) {
    throw new Error(`no series ${options.id} ${options.demo ? 'in the demo data set' : 'is stored'}`);
  }
  const summary = backtest(inputs, await detectionOf(config, options.demo), { from: options.from, to: options.to, seriesId: options.id });
  render(summary, options.format, out);
}

const CSV_COLUMNS = ['period', 'bucket', 'series', 'type', 'severity', 'change', 'value', 'comparison_value', 'z', 'rules'] as const;

function render(summary: BacktestSummary, format: 'table' | 'csv' | 'json', out: Out): void {
  if (format === 'json') {
    out(JSON.stringify(summary, null, 2));
    return;
  }
  if (format === 'csv') {
    out(CSV_COLUMNS.join(','));
    for (const a of summary.fired) {
      const e = a.explanation;
      out([a.period, a.bucketLabel, a.seriesId, a.type, a.severity, e.change.toFixed(4), e.value, e.comparisonValue, e.z.toFixed(2), e.rules.join(' ')].map(csvCell).join(','));
    }
    return;
  }
  out(`Replayed ${summary.series} series (${summary.seriesYears.toFixed(1)} series-years), ${summary.evaluated} buckets scored.`);
  out('');
  if (summary.fired.length === 0) out('Nothing would have fired.');
  else {
    out('Would have fired:');
    for (const line of table([
      ['BUCKET', 'SERIES', 'TYPE', 'SEVERITY', 'CHANGE', 'VALUE', 'Z'],
      ...summary.fired.map((a) => [
        a.bucketLabel,
        a.seriesId,
        a.type,
        a.severity,
        formatChange(a.explanation.change),
        formatMoney(a.explanation.value, a.series.currency),
        a.explanation.z.toFixed(1),
      ]),
    ])) {
      out(`  ${line}`);
    }
  }
  const counts = (record: Readonly<Record<string, number | undefined>>) =>
    Object.entries(record).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  out('');
  out(`Noise budget: ${summary.alertsPerSeriesYear.toFixed(3)} alerts per series-year (${summary.fired.length} alerts)`);
  out(`By rule:      ${counts(summary.byRule)}`);
  out(`By type:      ${counts(summary.byType)}`);
  out(`By severity:  ${counts(summary.bySeverity)}`);
  out(`Held back:    ${counts(summary.heldBackByGate)}`);
}
