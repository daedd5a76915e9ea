import { seriesTitle } from '../domain/alerts/alert-text.js';
import { renderChartHtml, renderChartSvg, type ChartInput } from '../domain/chart/render.js';
import { comparisonBuckets, detectAnomalies, type Anomaly, type DetectionFor } from '../domain/detection/index.js';
import type { Groups } from '../domain/groups.js';
import { isGroupCode, parseSeriesId, type Observation } from '../domain/series.js';
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
  readonly anomalies: readonly Pick<Anomaly, 'dedupKey' | 'bucketKey' | 'bucketLabel' | 'period' | 'severity' | 'direction' | 'type'>[];
}

export async function seriesChartData(request: ChartRequest): Promise<ChartData> {
  const input = await chartInput(request);
  return {
    title: input.title,
    currency: input.currency,
    illustrative: input.illustrative,
    points: input.points.map(({ key, label, months, value }) => ({ key, label, months, value })),
    anomalies: input.anomalies.map(({ dedupKey, bucketKey, bucketLabel, period, severity, direction, type }) => ({ dedupKey, bucketKey, bucketLabel, period, severity, direction, type })),
  };
}

async function chartInput(request: ChartRequest): Promise<ChartInput> {
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
