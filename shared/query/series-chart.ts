import { seriesTitle } from '../domain/alerts/alert-text.js';
import { renderChartHtml, renderChartSvg, type ChartInput } from '../domain/chart/render.js';
import { comparisonBuckets, detectAnomalies, type Anomaly, type DetectionFor } from '../domain/detection/index.js';
import { formatMargin } from '../domain/format.js';
import type { Groups } from '../domain/groups.js';
import { isMirrorId, mirrorMonths, valuationOf } from '../domain/mirror.js';
import { scoreMirror } from '../domain/mirror-detection.js';
import { bucketOf } from '../domain/period.js';
import { isGroupCode, parseSeriesId, seriesId, type Observation } from '../domain/series.js';
import { loadMirrorSides } from './read-mirror.js';
import { readSeries, UnknownSeriesError, type ObservationLoader } from './read-series.js';

export interface ChartRequest {
  readonly id: string;
  readonly load: ObservationLoader;
  readonly groups: Groups;
  /** Detection settings for the series' reporter (the watchlist may override them per reporter). */
  readonly detectionFor: DetectionFor;
  /**
   * Whether these months are the bundled demo's generated figures, for the chart to say so. Unset
   * where no demo data can be (a deployed table).
   */
  readonly isIllustrative?: ((id: string, observations: readonly Observation[]) => Promise<boolean>) | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/**
 * A series' chart with the anomalies detection finds in its history marked, drawn in the buckets
 * detection compares (one Jan-Feb point for a reporter that publishes the two months together).
 * A bucket counts as its last month for the range, as in the views.
 */
export async function seriesChart(request: ChartRequest, format: 'svg' | 'html'): Promise<string> {
  const input = await chartInput(request);
  return format === 'svg' ? renderChartSvg(input) : renderChartHtml(input);
}

/** What the chart shows, as data: for a client that draws it itself (the console). */
export interface ChartData {
  readonly title: string;
  readonly currency: string;
  readonly illustrative: boolean;
  readonly points: readonly { readonly key: string; readonly label: string; readonly months: readonly string[]; readonly value: number | undefined }[];
  /** The points' line as a legend names it, where there are more lines. */
  readonly lineLabel?: string;
  /** More lines, a value per point (a mirror: the partner's figure at the reporter's basis, and the gap). */
  readonly lines?: readonly { readonly label: string; readonly values: readonly (number | null)[] }[];
  readonly anomalies: readonly Pick<Anomaly, 'dedupKey' | 'bucketKey' | 'bucketLabel' | 'period' | 'severity' | 'direction' | 'type'>[];
}

export async function seriesChartData(request: ChartRequest): Promise<ChartData> {
  const input = await chartInput(request);
  return {
    title: input.title,
    currency: input.currency,
    illustrative: input.illustrative,
    points: input.points.map(({ key, label, months, value }) => ({ key, label, months, value })),
    ...(input.lines ? { lineLabel: input.lineLabel, lines: input.lines.map((line) => ({ label: line.label, values: line.values.map((v) => v ?? null) })) } : {}),
    anomalies: input.anomalies.map(({ dedupKey, bucketKey, bucketLabel, period, severity, direction, type }) => ({ dedupKey, bucketKey, bucketLabel, period, severity, direction, type })),
  };
}

async function chartInput(request: ChartRequest): Promise<ChartInput> {
  if (isMirrorId(request.id)) return mirrorChartInput(request);
  const key = parseSeriesId(request.id);
  const all = await readSeries(request.id, request.load, request.groups);
  if (all.length === 0) throw new UnknownSeriesError(request.id, 'no observations');
  const detection = request.detectionFor(key.reporter);
  const { anomalies } = detectAnomalies({ series: key, observations: all }, detection);
  const inRange = (period: string) => (!request.from || period >= request.from) && (!request.to || period <= request.to);
  const points = comparisonBuckets({ series: key, observations: all }, detection)
    .filter(({ bucket }) => inRange(bucket.months[bucket.months.length - 1]!))
    .map(({ bucket, value }) => ({ key: bucket.key, label: bucket.label, months: bucket.months, value }));
  const partnerName = isGroupCode(key.partner) ? (request.groups[key.partner]?.name ?? key.partner) : undefined;
  const input: ChartInput = {
    title: `${seriesTitle(key, partnerName)} (${key.source}, ${key.commodity}, ${key.currency})`,
    currency: key.currency,
    points,
    anomalies: anomalies.filter((a) => inRange(a.period)),
    illustrative: (await request.isIllustrative?.(request.id, all)) ?? false,
  };
  return input;
}

/**
 * A mirror's chart: the reporter's figure, the partner's at the reporter's basis and the gap, in
 * the buckets detection compares the ratio in, with the anomalies detection finds in the ratio
 * marked on the reporter's line (the alert's bucket, whichever side moved).
 */
async function mirrorChartInput(request: ChartRequest): Promise<ChartInput> {
  const { key, partnerKey, reporter, partner } = await loadMirrorSides(request.id, request.load);
  // A pair is scored from its export side, as detection scores it.
  const [exportSide, exports, imports] = key.flow === 'export' ? [key, reporter, partner] : [partnerKey, partner, reporter];
  const detection = request.detectionFor(exportSide.reporter);
  const scored = scoreMirror(exportSide, exports, imports, detection);
  const inRange = (period: string) => (!request.from || period >= request.from) && (!request.to || period <= request.to);
  const rows = mirrorMonths(reporter, partner, { reporterFlow: key.flow, margin: detection.cifFobMargin, mergeJanFeb: scored.mergeJanFeb }).filter((m) => m.state !== 'combined' && inRange(m.period));
  const known = (v: number | null) => v ?? undefined;
  const points = rows.map((m) => {
    const bucket = bucketOf(m.period, m.covers !== m.period);
    return { key: bucket.key, label: bucket.label, months: bucket.months, value: known(m.reporterValue) };
  });
  const valuation = valuationOf(key.flow);
  return {
    title: `${seriesTitle(key)} beside ${seriesTitle(partnerKey)} (mirror; ${key.source}, ${key.commodity}, ${key.currency})`,
    currency: key.currency,
    points,
    lineLabel: `${key.reporter}'s figure (${valuation})`,
    lines: [
      { label: `${key.partner}'s figure at ${valuation} (${formatMargin(detection.cifFobMargin)} CIF/FOB margin)`, values: rows.map((m) => known(m.partnerAtReporterBasis)) },
      { label: `Gap (${key.reporter}'s less ${key.partner}'s)`, values: rows.map((m) => known(m.gap)) },
    ],
    anomalies: scored.anomalies.filter((a) => inRange(a.period)),
    illustrative: (await request.isIllustrative?.(seriesId(key), reporter)) ?? false,
  };
}
