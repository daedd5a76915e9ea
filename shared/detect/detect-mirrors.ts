import type { Anomaly, DetectionFor, HeldBack } from '../domain/detection/index.js';
import type { DueSeries } from './detect-changes.js';
import { mirrorId, mirrorProblem, partnerSideKey } from '../domain/mirror.js';
import { scoreMirror } from '../domain/mirror-detection.js';
import { addMonths } from '../domain/period.js';
import { seriesId, type Observation, type SeriesKey, type StoredFlow } from '../domain/series.js';
import type { SeriesMetadata, SeriesReader } from '../store/series-repository.js';
import { isNews, jointBoundary, storedBoundary, type Progress } from './progress.js';

export interface MirrorDetectionInput {
  readonly series: Pick<SeriesReader, 'getObservations'>;
  readonly detectionFor: DetectionFor;
  readonly lookbackMonths: number;
}

export interface MirrorDetection {
  readonly examined: number;
  readonly evaluated: number;
  readonly anomalies: readonly Anomaly[];
  readonly history: readonly Anomaly[];
  readonly heldBack: readonly HeldBack[];
  /** Each mirror scored, its ratio month by month (the alert's sparkline). */
  readonly observationsById: ReadonlyMap<string, readonly Observation[]>;
  /** Mirrors scored, at their version: the sum of both sides' versions, so a change to either makes it due again. */
  readonly due: readonly DueSeries[];
}

/**
 * The mirrors the listed series stand in whose both sides are stored, once each, with their version.
 * A side not listed is another reporter's series to a listed reporter: those are read with one
 * paged Query per listed reporter and source on the partner index, not one read per series.
 */
export async function storedMirrors(series: Pick<SeriesReader, 'listSeries'>, listed: readonly SeriesMetadata[]): Promise<StoredMirror[]> {
  const pairs = new Map<string, Pair>();
  for (const s of listed) {
    if (s.flow === 'trade' || mirrorProblem(s)) continue;
    const key = { source: s.source, reporter: s.reporter, partner: s.partner, flow: s.flow, commodity: s.commodity, currency: s.currency };
    const exportSide = key.flow === 'export' ? key : partnerSideKey(key);
    pairs.set(mirrorId(exportSide), { exportSide, importSide: partnerSideKey(exportSide), id: mirrorId(exportSide) });
  }
  const known = new Map(listed.map((s) => [s.seriesId, s]));
  // Each missing side's partner is a listed reporter: its series are in that partner's gsi3 partition.
  const toRead = new Map<string, { source: string; partner: string }>();
  for (const { exportSide, importSide } of pairs.values()) {
    for (const side of [exportSide, importSide]) {
      if (!known.has(seriesId(side))) toRead.set(`${side.source}#${side.partner}`, { source: side.source, partner: side.partner });
    }
  }
  for (const filter of toRead.values()) for (const found of await series.listSeries(filter)) known.set(found.seriesId, found);
  const stored: StoredMirror[] = [];
  for (const pair of pairs.values()) {
    const [exported, imported] = [known.get(seriesId(pair.exportSide)), known.get(seriesId(pair.importSide))];
    if (exported && imported) stored.push({ pair, exported, imported, version: exported.version + imported.version });
  }
  return stored;
}

/** A mirror whose both sides are stored, at its version: the sum of both sides' versions. */
export interface StoredMirror {
  readonly pair: Pair;
  readonly exported: SeriesMetadata;
  readonly imported: SeriesMetadata;
  readonly version: number;
}

type Pair = { readonly exportSide: SeriesKey & { flow: StoredFlow }; readonly importSide: SeriesKey & { flow: StoredFlow }; readonly id: string };

/**
 * Scores the mirrors the listed series stand in: each pair is scored once, from its export side
 * (exports FOB against the partner's imports CIF: `CHN.KGZ.export~mirror` and `KGZ.CHN.export~mirror`
 * are two flows of goods; `KGZ.CHN.import~mirror` would be the first seen again). Due when either
 * side changed since the mirror was last handled; its news begins where both sides' does.
 */
export async function detectMirrors(input: MirrorDetectionInput, mirrors: readonly StoredMirror[], progress: Progress): Promise<MirrorDetection> {
  const result = { examined: 0, evaluated: 0, anomalies: [] as Anomaly[], history: [] as Anomaly[], heldBack: [] as HeldBack[], observationsById: new Map<string, Observation[]>(), due: [] as DueSeries[] };
  for (const { pair, exported, imported, version } of mirrors) {
    const owner = pair.exportSide.reporter;
    if (version <= (progress.handled.get(pair.id) ?? -1)) continue;
    result.due.push({ reporter: owner, seriesId: pair.id, version });

    const [exportObservations, importObservations] = await Promise.all([input.series.getObservations(exported.seriesId), input.series.getObservations(imported.seriesId)]);
    const latest = [...exportObservations, ...importObservations].map((o) => o.period).sort().at(-1);
    if (!latest) continue;
    const scored = scoreMirror(pair.exportSide, exportObservations, importObservations, input.detectionFor(owner), addMonths(latest, -(input.lookbackMonths - 1)));
    result.examined++;
    result.observationsById.set(pair.id, [...scored.ratios]);
    result.evaluated += scored.evaluated;
    result.heldBack.push(...scored.heldBack.map((h) => ({ ...h, seriesId: pair.id })));

    // The mirror's news begins where both sides' does.
    const boundary = jointBoundary([storedBoundary(progress, pair.exportSide), storedBoundary(progress, pair.importSide)]);
    for (const anomaly of scored.anomalies) (isNews(anomaly, () => boundary) ? result.anomalies : result.history).push(anomaly);
  }
  return result;
}

/** The reporters of both sides of each mirror: whose progress mirror detection reads. */
export function mirrorReporters(mirrors: readonly StoredMirror[]): string[] {
  return mirrors.flatMap(({ pair }) => [pair.exportSide.reporter, pair.importSide.reporter]);
}
