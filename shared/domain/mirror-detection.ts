import { detectAnomalies, mergesJanFeb, withOverrides, type Anomaly, type DetectionConfig, type HeldBack } from './detection/index.js';
import { mirrorFiguresAt, mirrorId, mirrorMonths, partnerSideKey, ratioObservations, valuationOf, type MirrorExplanation, type MirrorMonth } from './mirror.js';
import { addMonths, type Period } from './period.js';
import { seriesId, type Observation, type SeriesKey, type StoredFlow } from './series.js';

/**
 * The highest an alert on a gap between two agencies' figures goes: it is a lead to look into
 * (re-exports, under-invoicing, transit, a change of method), never an emergency by itself.
 */
const MIRROR_SEVERITY_CAP = 'warning';

/**
 * The gap's change is scored as the y/y log change of the ratio, with the general detection
 * settings: the money gates have no meaning on a ratio (materiality is the floor on the sides,
 * see ratioObservations), and a ratio's level is 1, not US$5m.
 */
export function mirrorDetectionConfig(config: DetectionConfig, owner: string, mergeJanFeb: boolean): DetectionConfig {
  const merged = withOverrides(config, { minBasePerMonth: 0, minAbsoluteChangePerMonth: 0, minShareOfTotal: 0, priorSpreadLevel: 1 });
  return { ...merged, janFebCombinedReporters: mergeJanFeb ? [...merged.janFebCombinedReporters, owner] : merged.janFebCombinedReporters.filter((r) => r !== owner) };
}

export interface ScoredMirror {
  /** Both sides month by month, January merged into February where detection compares them as one. */
  readonly months: readonly MirrorMonth[];
  readonly mergeJanFeb: boolean;
  /** The ratio as scored, month by month. */
  readonly ratios: readonly Observation[];
  readonly evaluated: number;
  readonly heldBack: readonly HeldBack[];
  /** The ratio's anomalies as the mirror's: its id and keys, severity capped, both sides' figures. */
  readonly anomalies: readonly Anomaly[];
}

/**
 * Scores one mirror from its export side (exports FOB against the partner's imports CIF), as
 * detection does and as its chart marks it: the y/y change of the ratio, over the reporter's
 * buckets (Jan-Feb where the exporter combines them, or where either side published them as one).
 */
export function scoreMirror(
  exportSide: SeriesKey & { flow: StoredFlow },
  exports: readonly Observation[],
  imports: readonly Observation[],
  config: DetectionConfig,
  evaluateFrom?: Period,
): ScoredMirror {
  const mergeJanFeb = mergesJanFeb(exportSide, config) || [...exports, ...imports].some((o) => o.state === 'combined');
  const months = mirrorMonths(exports, imports, { reporterFlow: 'export', margin: config.cifFobMargin, mergeJanFeb });
  const ratios = ratioObservations(months, config.minBasePerMonth);
  const found = detectAnomalies({ series: exportSide, observations: ratios, ...(evaluateFrom ? { evaluateFrom } : {}) }, mirrorDetectionConfig(config, exportSide.reporter, mergeJanFeb));
  const anomalies = found.anomalies.flatMap((anomaly) => asMirrorAnomaly(anomaly, exportSide, months, config.cifFobMargin) ?? []);
  return { months, mergeJanFeb, ratios, evaluated: found.evaluated, heldBack: found.heldBack, anomalies };
}

/** The anomaly of the ratio as the mirror's: its id, its keys, its severity capped, both sides' figures. */
function asMirrorAnomaly(anomaly: Anomaly, exportSide: SeriesKey & { flow: StoredFlow }, months: readonly MirrorMonth[], margin: number): Anomaly | undefined {
  const current = mirrorFiguresAt(months, anomaly.period, anomaly.bucketLabel);
  const previous = mirrorFiguresAt(months, addMonths(anomaly.period, -12), anomaly.explanation.comparisonLabel);
  if (!current || !previous) return undefined;
  const mirror: MirrorExplanation = {
    reporterSeriesId: seriesId(exportSide),
    partnerSeriesId: seriesId(partnerSideKey(exportSide)),
    margin,
    reporterValuation: valuationOf(exportSide.flow),
    current,
    previous,
  };
  const base = seriesId(exportSide);
  const id = mirrorId(exportSide);
  const rekey = (key: string) => (key.startsWith(`${base}#`) ? `${id}${key.slice(base.length)}` : key);
  return {
    ...anomaly,
    seriesId: id,
    dedupKey: rekey(anomaly.dedupKey),
    eventKey: rekey(anomaly.eventKey),
    severity: anomaly.severity === 'critical' ? MIRROR_SEVERITY_CAP : anomaly.severity,
    mirror,
  };
}
