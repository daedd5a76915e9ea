import * as z from '../../zod.js';
import { loadCliConfig, type CliConfig } from '../../config/functions.js';
import { cliConfig } from '../store-target.js';
import { DEMO_RELEASED_AT, demoObservationLoader } from '../../demo/demo-figures.js';
import { isDemoData } from '../../demo/illustrative.js';
import { formatChange, formatMargin, formatMoney, formatQuantity, formatUnitValue, formatWeight } from '../../domain/format.js';
import { parseInstant } from '../../domain/instant.js';
import { periodSchema } from '../../domain/period.js';
import { severitySchema } from '../../domain/severity.js';
import { parseSeriesId, type StoredObservation } from '../../domain/series.js';
import { isMirrorId, parseMirrorId, type MirrorMonth } from '../../domain/mirror.js';
import { readMirror } from '../../query/read-mirror.js';
import { readSeries } from '../../query/read-series.js';
import { seriesChart } from '../../query/series-chart.js';
import { seriesView, seriesViewSchema, type SeriesView } from '../../query/series-views.js';
import { writeFile } from 'node:fs/promises';
import { configuredDetection, createReadStore, storedDetection } from '../../wiring.js';
import type { DetectionFor } from '../../domain/detection/index.js';
import { csvCell, table, type Out } from './output.js';

function flag<T>(schema: z.ZodMiniType<T>, name: string, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`--${name} "${String(value)}": ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

const showOptionsSchema = z.object({
  from: z.optional(periodSchema),
  to: z.optional(periodSchema),
  asOf: z.optional(z.string()),
  view: z._default(seriesViewSchema, 'monthly'),
  format: z._default(z.enum(['table', 'csv', 'json']), 'table'),
  demo: z._default(z.boolean(), false),
});
export type ShowOptions = z.input<typeof showOptionsSchema>;

/** `--as-of 2024-04-01` means what was known at the end of that day (UTC); an ISO time is taken as it is. */
export function parseAsOf(value: string): string {
  const parsed = parseInstant(value, 'end');
  if (typeof parsed === 'string') throw new Error(`--as-of "${value}": ${parsed}`);
  return parsed.toISOString();
}

export async function listSeries(options: { reporter?: string; partner?: string; flow?: string; source?: string }, out: Out): Promise<void> {
  const { series } = createReadStore(cliConfig());
  // Every page of the API's own listing, one after another.
  const all = await series.listSeries({
    reporter: options.reporter?.toUpperCase(),
    partner: options.partner?.toUpperCase(),
    flow: options.flow,
    source: options.source,
  });
  if (all.length === 0) {
    out('No series match (is DYNAMODB_ENDPOINT pointing at the right database?).');
    return;
  }
  for (const line of table([['SERIES', 'FROM', 'TO', 'MONTHS'], ...all.map((s) => [s.seriesId, s.firstPeriod, s.lastPeriod, String(s.observationCount)])])) {
    out(line);
  }
}

/** `tradewatch series show`: a stored or derived series, as months, year to date, y/y change or annual totals. */
export async function showSeries(id: string, raw: ShowOptions, out: Out): Promise<void> {
  if (isMirrorId(id)) return showMirror(id, raw, out);
  const key = parseSeriesId(id);
  const options = {
    ...raw,
    from: raw.from === undefined ? undefined : flag(periodSchema, 'from', raw.from),
    to: raw.to === undefined ? undefined : flag(periodSchema, 'to', raw.to),
    view: flag(showOptionsSchema.shape.view, 'view', raw.view),
    format: flag(showOptionsSchema.shape.format, 'format', raw.format),
  };
  const asOf = options.asOf ? parseAsOf(options.asOf) : undefined;
  const config = options.demo ? loadCliConfig() : cliConfig();
  const load = options.demo ? demoObservationLoader() : (seriesId: string) => createReadStore(config).series.getObservations(seriesId);
  const all = await readSeries(id, load, config.groups, asOf);
  if (all.length === 0) {
    const where = options.demo ? 'in the demo data set' : 'stored';
    throw new Error(`no observations ${where} for ${id}${asOf ? ` as of ${asOf}${options.demo ? ` (the demo counts as published ${DEMO_RELEASED_AT})` : ''}` : ''}`);
  }
  const money = (v: number | null) => (v === null ? '-' : formatMoney(v, key.currency));
  const shown = seriesView(all, options.view, { ...options, series: key, detectionFor: await detectionOf(config, options.demo) });
  const rows = shown.view === 'unit-value' ? unitValueRows(shown, money, key.currency) : viewRows(shown, money);
  render(rows, options.format, out);
  if (shown.view === 'unit-value' && options.format === 'table') {
    out(`Value per ${shown.unit} of ${shown.measure}${shown.measure === 'quantity' ? ' (the same unit in every month shown)' : ''}; ~ marks an amount the source estimated.`);
    if (await isDemoData(config.groups)(id, all)) out(`Illustrative data: the demo's values and weights are generated, not published figures.`);
  }
}

/** `tradewatch series show ID~mirror`: both sides of a flow, the gap and the ratio, month by month, year to date, y/y or by year. */
async function showMirror(id: string, raw: ShowOptions, out: Out): Promise<void> {
  const key = parseMirrorId(id);
  const view = flag(showOptionsSchema.shape.view, 'view', raw.view);
  if (view === 'unit-value') throw new Error(`--view ${view}: a mirror series is shown monthly, ytd, yoy or annual (the unit value is a stored series' own: show ${id.replace(/~mirror$/, '')})`);
  const format = flag(showOptionsSchema.shape.format, 'format', raw.format);
  const from = raw.from === undefined ? undefined : flag(periodSchema, 'from', raw.from);
  const to = raw.to === undefined ? undefined : flag(periodSchema, 'to', raw.to);
  const asOf = raw.asOf ? parseAsOf(raw.asOf) : undefined;
  const config = raw.demo ? loadCliConfig() : cliConfig();
  const load = raw.demo ? demoObservationLoader() : (seriesId: string) => createReadStore(config).series.getObservations(seriesId);
  const detection = (await detectionOf(config, raw.demo))(key.reporter);
  const margin = detection.cifFobMargin;
  const mirror = await readMirror(id, load, { margin, view, detection, from, to, asOf });
  const money = (v: number | null) => (v === null ? '-' : formatMoney(v, key.currency));
  const ratio = (v: number | null) => (v === null ? '-' : `${v.toFixed(2)}x`);
  const sides = [`${key.reporter} (${mirror.reporterValuation})`, `${key.partner} (${mirror.partnerValuation})`, `${key.partner} AT ${mirror.reporterValuation}`];
  const sideCells = (m: Omit<MirrorMonth, 'period' | 'covers'>) => [money(m.reporterValue), money(m.partnerValue), money(m.partnerAtReporterBasis), money(m.gap), ratio(m.ratio), m.state];
  const rows: Rows =
    mirror.view === 'yoy'
      ? {
          header: ['MONTH', `${key.reporter} (${mirror.reporterValuation})`, 'CHANGE', `${key.partner} AT ${mirror.reporterValuation}`, 'CHANGE', 'RATIO', 'A YEAR EARLIER'],
          raw: mirror.items.map((c) => ({ ...c })),
          cells: mirror.items.map((c) => [
            c.bucket,
            money(c.reporter?.value ?? null),
            c.reporter ? formatChange(c.reporter.change) : '-',
            money(c.partnerAtReporterBasis?.value ?? null),
            c.partnerAtReporterBasis ? formatChange(c.partnerAtReporterBasis.change) : '-',
            ratio(c.ratio),
            ratio(c.previousRatio),
          ]),
        }
      : mirror.view === 'annual'
        ? { header: ['YEAR', ...sides, 'GAP', 'RATIO', 'STATE'], raw: mirror.items.map((m) => ({ ...m })), cells: mirror.items.map((m) => [String(m.year), ...sideCells(m)]) }
        : { header: ['MONTH', ...sides, 'GAP', 'RATIO', 'STATE'], raw: mirror.items.map((m) => ({ ...m })), cells: mirror.items.map((m) => [m.covers, ...sideCells(m)]) };
  if (format === 'table') {
    const what = { monthly: '', ytd: ', year to date', yoy: ', each against a year earlier', annual: ', complete years' }[mirror.view];
    out(`${mirror.reporterSeriesId} beside ${mirror.partnerSeriesId}${what}: ${key.partner}'s ${mirror.partnerValuation} figure at ${mirror.reporterValuation} with a CIF/FOB margin of ${formatMargin(margin)}; RATIO is ${key.partner}'s figure over ${key.reporter}'s`);
  }
  render(rows, format, out);
}

type Rows = { header: string[]; raw: Record<string, unknown>[]; cells: string[][] };

function unitValueRows(shown: Extract<SeriesView, { view: 'unit-value' }>, money: (v: number | null) => string, currency: string): Rows {
  const amount = (v: number) => (shown.measure === 'net weight' ? formatWeight(v) : formatQuantity(v, shown.unit));
  return {
    header: ['MONTH', 'VALUE', shown.measure === 'net weight' ? 'NET WEIGHT' : `QUANTITY (${shown.unit})`, `PER ${shown.unit.toUpperCase()}`, 'NOTE'],
    raw: shown.items.map((m) => ({ ...m, unit: shown.unit })),
    cells: shown.items.map((m) => [
      m.period,
      money(m.value),
      m.amount === null ? '-' : `${amount(m.amount)}${m.estimated ? ' ~' : ''}`,
      m.unitValue === null ? '-' : formatUnitValue(m.unitValue, currency, shown.unit),
      m.note ?? '',
    ]),
  };
}

function viewRows(shown: Exclude<SeriesView, { view: 'unit-value' }>, money: (v: number | null) => string): Rows {
  switch (shown.view) {
    case 'annual':
      return {
        header: ['YEAR', 'TOTAL', 'CHANGE'],
        raw: shown.items.map((t) => ({ year: t.year, value: t.value, change: t.change ?? null })),
        cells: shown.items.map((t) => [String(t.year), money(t.value), t.change === undefined ? '-' : formatChange(t.change)]),
      };
    case 'yoy':
      return {
        header: ['MONTH', 'VALUE', 'YEAR EARLIER', 'CHANGE'],
        raw: shown.items.map((c) => ({ ...c })),
        cells: shown.items.map((c) => [c.bucket, money(c.value), money(c.previous), formatChange(c.change)]),
      };
    case 'ytd':
      return { header: ['MONTH', 'YEAR TO DATE'], raw: shown.items.map((o) => ({ period: o.period, value: o.value })), cells: shown.items.map((o) => [o.period, money(o.value)]) };
    case 'monthly':
      return {
        header: ['MONTH', 'VALUE', 'STATE', 'REVISIONS'],
        raw: shown.items.map((o) => ({ ...o })),
        cells: shown.items.map((o) => [o.period, money(o.value), o.state, String((o as Partial<StoredObservation>).revisions?.length ?? '-')]),
      };
  }
}

function render(rows: Rows, format: 'table' | 'csv' | 'json', out: Out): void {
  if (format === 'json') {
    out(JSON.stringify(rows.raw, null, 2));
    return;
  }
  if (format === 'csv') {
    const columns = Object.keys(rows.raw[0] ?? {});
    out(columns.join(','));
    for (const row of rows.raw) out(columns.map((c) => csvCell(row[c])).join(','));
    return;
  }
  for (const line of table([rows.header, ...rows.cells])) out(line);
}

/** `tradewatch series chart`: the series (a mirror: both sides and the gap) with its anomalies marked, as an HTML page (embedded SVG) or an SVG. */
export async function chartSeries(id: string, options: { out: string; from?: string; to?: string; demo?: boolean }, out: Out): Promise<void> {
  if (isMirrorId(id)) parseMirrorId(id);
  else parseSeriesId(id);
  const from = options.from === undefined ? undefined : flag(periodSchema, 'from', options.from);
  const to = options.to === undefined ? undefined : flag(periodSchema, 'to', options.to);
  if (!/\.(html?|svg)$/i.test(options.out)) throw new Error(`--out "${options.out}": name an .html or an .svg file`);
  const config = options.demo ? loadCliConfig() : cliConfig();
  const load = options.demo ? demoObservationLoader() : (seriesId: string) => createReadStore(config).series.getObservations(seriesId);
  const format = /\.svg$/i.test(options.out) ? 'svg' : 'html';
  const document = await seriesChart({ id, load, groups: config.groups, detectionFor: await detectionOf(config, options.demo), isIllustrative: isDemoData(config.groups), from, to }, format);
  await writeFile(options.out, document, 'utf8');
  const marked = (document.match(/class="anomaly"/g) ?? []).length;
  out(`Wrote ${options.out} (${format === 'svg' ? 'SVG' : 'HTML with an embedded SVG'}, ${marked} anomal${marked === 1 ? 'y' : 'ies'} marked).`);
}

function sinceFlag(value: string): string {
  const parsed = parseInstant(value, 'start');
  if (typeof parsed === 'string') throw new Error(`--since "${value}": ${parsed}`);
  return parsed.toISOString();
}

function severityFlag(value: string) {
  const parsed = severitySchema.safeParse(value);
  if (!parsed.success) throw new Error(`--severity "${value}": expected info, warning or critical`);
  return parsed.data;
}

/** `tradewatch alerts list`: alerts since a time, of a severity or above, oldest first. */
export async function listAlerts(options: { since?: string; severity?: string }, out: Out): Promise<void> {
  const severity = options.severity === undefined ? undefined : severityFlag(options.severity);
  const since = options.since === undefined ? undefined : sinceFlag(options.since);
  const { alerts } = createReadStore(cliConfig());
  // Every page of the API's own listing, one after another.
  const records = await alerts.list({ since, severity });
  if (records.length === 0) {
    const stored = since || severity ? (await alerts.list()).length : 0;
    const filters = [since && `--since ${options.since}`, severity && `--severity ${severity}`].filter(Boolean).join(' ');
    out(stored > 0 ? `No alerts match ${filters} (${stored} stored in all).` : 'No alerts stored.');
    return;
  }
  for (const line of table([
    ['CREATED', 'SEVERITY', 'STATUS', 'NOTICE', 'SERIES', 'BUCKET', 'CHANGE', 'DELIVERED TO'],
    ...records.map((r) => [
      r.createdAt,
      r.severity,
      r.status,
      r.notice,
      r.seriesId,
      r.anomaly.bucketLabel,
      formatChange(r.anomaly.explanation.change),
      Object.keys(r.deliveries).join(' ') || (r.silence ? `silenced: ${r.silence.reason}` : '-'),
    ]),
  ])) {
    out(line);
  }
}

/** Detection settings as the scheduled runs read them, from the table's watchlist; with --demo (no table) from the configured one. */
export async function detectionOf(config: CliConfig, demo: boolean | undefined): Promise<DetectionFor> {
  return demo ? configuredDetection(config) : storedDetection(createReadStore(config).watchlist, config)();
}
