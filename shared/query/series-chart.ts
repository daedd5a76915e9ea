import { seriesTitle } from '../domain/alerts/alert-text.js';
import { renderChartHtml, renderChartSvg } from '../domain/chart.js';
import { detectAnomalies, type DetectionConfig } from '../domain/detection/index.js';
import type { Groups } from '../domain/groups.js';
import { isGroupCode, parseSeriesId } from '../domain/series.js';
import { readSeries, UnknownSeriesError, type ObservationLoader } from './read-series.js';

export interface ChartRequest {
  readonly id: string;
  readonly load: ObservationLoader;
  readonly groups: Groups;
  /** Detection settings for the series' reporter (the watchlist may override them per reporter). */
  readonly detectionFor: (reporter: string) => DetectionConfig;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/** A series' chart with the anomalies detection finds in its history marked. */
export async function seriesChart(request: ChartRequest, format: 'svg' | 'html'): Promise<string> {
  const key = parseSeriesId(request.id);
  const all = await readSeries(request.id, request.load, request.groups);
  if (all.length === 0) throw new UnknownSeriesError(request.id, 'no observations');
  const { anomalies } = detectAnomalies({ series: key, observations: all }, request.detectionFor(key.reporter));
  const inRange = (period: string) => (!request.from || period >= request.from) && (!request.to || period <= request.to);
  const partnerName = isGroupCode(key.partner) ? (request.groups[key.partner]?.name ?? key.partner) : undefined;
  const input = {
    title: `${seriesTitle(key, partnerName)} (${key.source}, ${key.commodity}, ${key.currency})`,
    currency: key.currency,
    observations: all.filter((o) => inRange(o.period)),
    anomalies: anomalies.filter((a) => inRange(a.period)),
  };
  return format === 'svg' ? renderChartSvg(input) : renderChartHtml(input);
}
