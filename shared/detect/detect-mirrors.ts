import type { Anomaly, DetectionFor, HeldBack } from '../domain/detection/index.js';
import type { DueSeries } from './detect-changes.js';
import { selectionCovers } from '../domain/commodity.js';
import { mirrorId, mirrorProblem, partnerSideKey } from '../domain/mirror.js';
import { scoreMirror } from '../domain/mirror-detection.js';
import { addMonths, type Period } from '../domain/period.js';
import { seriesId, type Observation, type SeriesKey, type StoredFlow } from '../domain/series.js';
import { SERIES_SOURCE } from '../domain/upstream.js';
import type { BackfillRepository } from '../store/backfill-repository.js';
import type { DetectionRepository } from '../store/detection-repository.js';
import type { SeriesMetadata, SeriesReader } from '../store/series-repository.js';

export interface MirrorDetectionInput {
  readonly series: Pick<SeriesReader, 'listSeries' | 'getObservations'>;
  readonly detection: Pick<DetectionRepository, 'progress'>;
  readonly watched?: Pick<BackfillRepository, 'watched'>;
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
export async function storedMirrors(series: Pick<SeriesReader, 'listSeries'>, listed: readonly SeriesMetadata[]) {
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
  const stored: { pair: Pair; exported: SeriesMetadata; imported: SeriesMetadata; version: number }[] = [];
  for (const pair of pairs.values()) {
    const [exported, imported] = [known.get(seriesId(pair.exportSide)), known.get(seriesId(pair.importSide))];
    if (exported && imported) stored.push({ pair, exported, imported, version: exported.version + imported.version });
  }
  return stored;
}

type Pair = { readonly exportSide: SeriesKey & { flow: StoredFlow }; readonly importSide: SeriesKey & { flow: StoredFlow }; readonly id: string };

/**
 * Scores the mirrors the listed series stand in: each pair is scored once, from its export side
 * (exports FOB against the partner's imports CIF: `CHN.KGZ.export~mirror` and `KGZ.CHN.export~mirror`
 * are two flows of goods; `KGZ.CHN.import~mirror` would be the first seen again). Due when either
 * side changed since the mirror was last handled; its news begins where both sides' does.
 */
export async function detectMirrors(input: MirrorDetectionInput, listed: readonly SeriesMetadata[]): Promise<MirrorDetection> {
  const progress = memo((reporter: string) => input.detection.progress(reporter));
  const watchedOf = memo(async (reporter: string) => (input.watched ? await input.watched.watched(reporter) : []));
  const result = { examined: 0, evaluated: 0, anomalies: [] as Anomaly[], history: [] as Anomaly[], heldBack: [] as HeldBack[], observationsById: new Map<string, Observation[]>(), due: [] as DueSeries[] };
  for (const { pair, exported, imported, version } of await storedMirrors(input.series, listed)) {
    const owner = pair.exportSide.reporter;
    if (version <= ((await progress(owner)).handled.get(pair.id) ?? -1)) continue;
    result.due.push({ reporter: owner, seriesId: pair.id, version });

    const [exportObservations, importObservations] = await Promise.all([input.series.getObservations(exported.seriesId), input.series.getObservations(imported.seriesId)]);
    const latest = [...exportObservations, ...importObservations].map((o) => o.period).sort().at(-1);
    if (!latest) continue;
    const scored = scoreMirror(pair.exportSide, exportObservations, importObservations, input.detectionFor(owner), addMonths(latest, -(input.lookbackMonths - 1)));
    result.examined++;
    result.observationsById.set(pair.id, [...scored.ratios]);
    result.evaluated += scored.evaluated;
    result.heldBack.push(...scored.heldBack.map((h) => ({ ...h, seriesId: pair.id })));

    const boundary = await newsFrom(
      [
        { reporter: owner, key: pair.exportSide },
        { reporter: pair.importSide.reporter, key: pair.importSide },
      ],
      progress,
      watchedOf,
    );
    for (const anomaly of scored.anomalies) {
      const isNews = boundary === undefined || (boundary !== 'history' && anomaly.period >= boundary);
      (isNews ? result.anomalies : result.history).push(anomaly);
    }
  }
  return result;
}

type Progress = Awaited<ReturnType<DetectionRepository['progress']>>;
type Watched = Awaited<ReturnType<BackfillRepository['watched']>>;

/** Where the mirror's news begins: where both sides' does (`history` while either side's initial load is not done; undefined when neither is planner-watched). */
async function newsFrom(
  sides: readonly { reporter: string; key: SeriesKey }[],
  progress: (reporter: string) => Promise<Progress>,
  watchedOf: (reporter: string) => Promise<Watched>,
): Promise<Period | 'history' | undefined> {
  const bounds: (Period | 'history' | undefined)[] = [];
  for (const { reporter, key } of sides) {
    const from = (await progress(reporter)).newsFrom.get(seriesId(key));
    const watched = (await watchedOf(reporter)).some(
      (w) => SERIES_SOURCE[w.source] === key.source && w.partner === key.partner && selectionCovers(w.commodity, key.commodity),
    );
    bounds.push(from ?? (watched ? 'history' : undefined));
  }
  if (bounds.includes('history')) return 'history';
  return bounds.filter((b): b is Period => b !== undefined).sort().at(-1);
}

function memo<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let hit = cache.get(key);
    if (!hit) {
      hit = load(key);
      cache.set(key, hit);
    }
    return hit;
  };
}
