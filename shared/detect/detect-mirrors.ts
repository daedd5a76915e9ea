import { detectAnomalies, mergesJanFeb, withOverrides, type Anomaly, type DetectionConfig, type HeldBack } from '../domain/detection/index.js';
import { selectionCovers } from '../domain/commodity.js';
import {
  mirrorFiguresAt,
  mirrorId,
  mirrorMonths,
  mirrorProblem,
  partnerSideKey,
  ratioObservations,
  valuationOf,
  type MirrorExplanation,
} from '../domain/mirror.js';
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
  readonly detectionFor: (reporter: string) => DetectionConfig;
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
  readonly due: readonly { readonly reporter: string; readonly seriesId: string; readonly version: number }[];
}

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
  const result = { examined: 0, evaluated: 0, anomalies: [] as Anomaly[], history: [] as Anomaly[], heldBack: [] as HeldBack[], observationsById: new Map<string, Observation[]>(), due: [] as MirrorDetection['due'][number][] };
  for (const { pair, exported, imported, version } of await storedMirrors(input.series, listed)) {
    const owner = pair.exportSide.reporter;
    if (version <= ((await progress(owner)).handled.get(pair.id) ?? -1)) continue;
    result.due.push({ reporter: owner, seriesId: pair.id, version });

    const [exportObservations, importObservations] = await Promise.all([input.series.getObservations(exported.seriesId), input.series.getObservations(imported.seriesId)]);
    const config = input.detectionFor(owner);
    const merge = mergesJanFeb(pair.exportSide, config) || [...exportObservations, ...importObservations].some((o) => o.state === 'combined');
    const months = mirrorMonths(exportObservations, importObservations, { reporterFlow: 'export', margin: config.cifFobMargin, mergeJanFeb: merge });
    const ratios = ratioObservations(months, config.minBasePerMonth);
    const latest = months.at(-1)?.period;
    if (!latest) continue;
    result.examined++;
    result.observationsById.set(pair.id, ratios);
    const found = detectAnomalies({ series: pair.exportSide, observations: ratios, evaluateFrom: addMonths(latest, -(input.lookbackMonths - 1)) }, mirrorDetectionConfig(config, owner, merge));
    result.evaluated += found.evaluated;
    result.heldBack.push(...found.heldBack.map((h) => ({ ...h, seriesId: pair.id })));

    const boundary = await newsFrom(
      [
        { reporter: owner, key: pair.exportSide },
        { reporter: pair.importSide.reporter, key: pair.importSide },
      ],
      progress,
      watchedOf,
    );
    for (const anomaly of found.anomalies) {
      const explained = asMirrorAnomaly(anomaly, pair, months, config.cifFobMargin);
      if (!explained) continue;
      const isNews = boundary === undefined || (boundary !== 'history' && anomaly.period >= boundary);
      (isNews ? result.anomalies : result.history).push(explained);
    }
  }
  return result;
}

/** The anomaly of the ratio as the mirror's: its id, its keys, its severity capped, both sides' figures. */
function asMirrorAnomaly(anomaly: Anomaly, pair: Pair, months: ReturnType<typeof mirrorMonths>, margin: number): Anomaly | undefined {
  const current = mirrorFiguresAt(months, anomaly.period, anomaly.bucketLabel);
  const previous = mirrorFiguresAt(months, addMonths(anomaly.period, -12), anomaly.explanation.comparisonLabel);
  if (!current || !previous) return undefined;
  const mirror: MirrorExplanation = {
    reporterSeriesId: seriesId(pair.exportSide),
    partnerSeriesId: seriesId(pair.importSide),
    margin,
    reporterValuation: valuationOf(pair.exportSide.flow),
    current,
    previous,
  };
  const base = seriesId(pair.exportSide);
  const rekey = (key: string) => (key.startsWith(`${base}#`) ? `${pair.id}${key.slice(base.length)}` : key);
  return {
    ...anomaly,
    seriesId: pair.id,
    dedupKey: rekey(anomaly.dedupKey),
    eventKey: rekey(anomaly.eventKey),
    severity: anomaly.severity === 'critical' ? MIRROR_SEVERITY_CAP : anomaly.severity,
    mirror,
  };
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
