import { detectAcross, littleBeforeMuchAfter, type Anomaly, type DetectionConfig, type HeldBack, type SeriesInput } from '../domain/detection/index.js';
import { selectionCovers } from '../domain/commodity.js';
import { groupBy } from '../domain/group-by.js';
import { addMonths, type Period } from '../domain/period.js';
import { parseSeriesId, seriesId, type Observation, type SeriesKey } from '../domain/series.js';
import { SERIES_SOURCE } from '../domain/upstream.js';
import type { BackfillRepository } from '../store/backfill-repository.js';
import type { DetectionRepository } from '../store/detection-repository.js';
import type { SeriesMetadata, SeriesReader } from '../store/series-repository.js';
import { detectMirrors } from './detect-mirrors.js';
import { loadSeriesWithTurnover } from './load-series.js';

export interface DetectChangesInput {
  readonly series: SeriesReader;
  /** What detection has handled so far, per series, and where each series' news begins. */
  readonly detection: Pick<DetectionRepository, 'progress'>;
  /** The partners the planner watches (their series' first load is history); without it, every month is news. */
  readonly watched?: Pick<BackfillRepository, 'watched'>;
  /** The reporters to look at (their series are each other's peers); every stored reporter when unset. */
  readonly reporters?: readonly string[];
  /** Detection settings per reporter (watchlist entries may override the global ones). */
  readonly detectionFor: (reporter: string) => DetectionConfig;
  /** Buckets ending more than this many months before a series' latest month are not scored. */
  readonly lookbackMonths: number;
}

/** A stored series' version that detection scored: mark it handled once its alerts are out. */
export interface DueSeries {
  readonly reporter: string;
  readonly seriesId: string;
  readonly version: number;
}

export interface DetectionResult {
  readonly seriesExamined: number;
  readonly bucketsEvaluated: number;
  /** Anomalies in news: months after their series' initial load. */
  readonly anomalies: readonly Anomaly[];
  /** Anomalies in history (backfilled months, a series' initial load, revisions of either): recorded as handled, never alerted. */
  readonly history: readonly Anomaly[];
  /** Planner-watched series whose news has no start yet: the load that completes their initial load establishes it. */
  readonly unestablished: readonly UnestablishedSeries[];
  /** Buckets that looked anomalous but a gate held back, with the reason. */
  readonly heldBack: readonly HeldBack[];
  /** Every series scored or loaded as a peer, by id: the alert texts draw their sparklines from it. */
  readonly observationsById: ReadonlyMap<string, readonly Observation[]>;
  /** The stored series scored, at the version scored. */
  readonly due: readonly DueSeries[];
}

export interface UnestablishedSeries {
  readonly reporter: string;
  readonly seriesId: string;
  readonly source: string;
  readonly partner: string;
  readonly commodity: string;
  readonly lastPeriod: Period;
}

/** evaluateFrom for a series loaded only as a peer: never evaluated itself. */
const PEER_ONLY = '9999-12';

/**
 * Scores every series that changed since detection last handled it (and their trade turnover)
 * against their own history and their peers. What is due comes from the store, so a change whose
 * alerting was cut short by any crash is still due on the next run for its reporter.
 */
export async function detectChanges(input: DetectChangesInput): Promise<DetectionResult> {
  // Only the reporters asked about are listed, not the whole table.
  const ofReporters = input.reporters
    ? (await Promise.all([...new Set(input.reporters)].map((reporter) => input.series.listSeries({ reporter })))).flat()
    : await input.series.listSeries();
  const reporters = new Set(ofReporters.map((s) => s.reporter));
  const handled = new Map<string, number>();
  const newsFrom = new Map<string, Period>();
  // Per series source, reporter and partner, the commodity selections watched (TOTAL, a code, a level such as AG2, a list).
  const watched = new Map<string, { readonly selection: string; readonly coveredFrom?: Period }[]>();
  const pairKey = (source: string, reporter: string, partner: string) => `${source}#${reporter}#${partner}`;
  for (const reporter of reporters) {
    const progress = await input.detection.progress(reporter);
    for (const [id, version] of progress.handled) handled.set(id, version);
    for (const [id, from] of progress.newsFrom) newsFrom.set(id, from);
    for (const { source, commodity, partner, coveredFrom } of input.watched ? await input.watched.watched(reporter) : []) {
      // A partner watched on one upstream says nothing of the other's series: each has its own initial load.
      const pair = pairKey(SERIES_SOURCE[source], reporter, partner);
      watched.set(pair, [...(watched.get(pair) ?? []), { selection: commodity, ...(coveredFrom ? { coveredFrom } : {}) }]);
    }
  }
  const watchesOf = (s: Pick<SeriesMetadata, 'source' | 'reporter' | 'commodity' | 'partner'>) =>
    (watched.get(pairKey(s.source, s.reporter, s.partner)) ?? []).filter(({ selection }) => selectionCovers(selection, s.commodity));
  const isWatched = (s: Pick<SeriesMetadata, 'source' | 'reporter' | 'commodity' | 'partner'>) => watchesOf(s).length > 0;
  const unestablished = ofReporters
    .filter((s) => isWatched(s) && !newsFrom.has(s.seriesId))
    .map((s) => ({ reporter: s.reporter, seriesId: s.seriesId, source: s.source, partner: s.partner, commodity: s.commodity, lastPeriod: s.lastPeriod }));
  const due = ofReporters.filter((s) => s.version > (handled.get(s.seriesId) ?? -1));
  // Mirrors (each side as its partner reports it) are due on their own: either side may have changed.
  const mirrors = await detectMirrors(input, ofReporters);
  const withMirrors = (result: DetectionResult): DetectionResult => ({
    ...result,
    seriesExamined: result.seriesExamined + mirrors.examined,
    bucketsEvaluated: result.bucketsEvaluated + mirrors.evaluated,
    anomalies: [...result.anomalies, ...mirrors.anomalies],
    history: [...result.history, ...mirrors.history],
    heldBack: [...result.heldBack, ...mirrors.heldBack],
    observationsById: new Map([...result.observationsById, ...mirrors.observationsById]),
    due: [...result.due, ...mirrors.due],
  });
  if (due.length === 0) return withMirrors({ seriesExamined: 0, bucketsEvaluated: 0, anomalies: [], history: [], unestablished, heldBack: [], observationsById: new Map(), due: [] });

  const subjects = await loadSubjects(input, ofReporters, new Set(due.map((s) => s.seriesId)));
  // Peers never cross reporters, so each reporter is scored with its own settings.
  const results = [...groupBy(subjects, (s) => s.series.reporter)].map(([reporter, inputs]) => detectAcross(inputs, input.detectionFor(reporter)));
  const anomalies = results.flatMap((r) => r.anomalies);
  const news = newsBoundary(newsFrom, (id) => isWatched(parseSeriesId(id)));
  const scored = subjects.filter((s) => s.evaluateFrom !== PEER_ONLY);
  // A screening rule: what it finds holds as of the latest release, so it is news however old the months behind it.
  const patterns = patternFindings(scored, input.detectionFor, (key) => {
    const watches = watchesOf(key);
    // Planner-watched: asked about from the start of its gapless history; otherwise from its first stored month.
    return watches.length > 0 ? (watches.map((w) => w.coveredFrom).find((from) => from !== undefined) ?? false) : undefined;
  });
  return withMirrors({
    seriesExamined: scored.length,
    bucketsEvaluated: results.reduce((sum, r) => sum + r.evaluated, 0),
    anomalies: [...anomalies.filter((a) => isNews(a, news)), ...patterns],
    history: anomalies.filter((a) => !isNews(a, news)),
    unestablished,
    heldBack: results.flatMap((r) => r.heldBack),
    observationsById: new Map(subjects.map((s) => [seriesId(s.series), s.observations])),
    due: due.map((s) => ({ reporter: s.reporter, seriesId: s.seriesId, version: s.version })),
  });
}

/**
 * The little-before-much-after findings of the scored series whose reporter's settings switch the
 * rule on. `askedFrom` says from which month a month without a row means none was traded (false: for no
 * month yet, its history still loading); for a series the planner does not watch, from its first
 * stored month.
 */
function patternFindings(scored: readonly SeriesInput[], detectionFor: (reporter: string) => DetectionConfig, askedFrom: (key: SeriesKey) => Period | undefined | false): Anomaly[] {
  return scored.flatMap((subject) => {
    const rule = detectionFor(subject.series.reporter).littleBeforeMuchAfter;
    if (!rule || subject.series.flow === 'trade') return [];
    const from = askedFrom(subject.series);
    const covered = from === false ? undefined : (from ?? subject.observations[0]?.period);
    return littleBeforeMuchAfter(subject.series, subject.observations, rule, covered) ?? [];
  });
}

/** Where a series' news begins: a month, `history` (its initial load is not done), or undefined (not watched: every month is news). */
type NewsBoundary = (seriesId: string) => Period | 'history' | undefined;

function newsBoundary(newsFrom: ReadonlyMap<string, Period>, watched: (seriesId: string) => boolean): NewsBoundary {
  const stored = (id: string) => newsFrom.get(id) ?? (watched(id) ? 'history' : undefined);
  return (id) => {
    const key = parseSeriesId(id);
    if (key.flow !== 'trade') return stored(id);
    // Turnover is news only where both its flows are.
    const bounds = (['export', 'import'] as const).map((flow) => stored(seriesId({ ...key, flow })));
    if (bounds.includes('history')) return 'history';
    const months = bounds.filter((b): b is Period => b !== undefined).sort();
    return months.at(-1);
  };
}

function isNews(anomaly: Anomaly, boundary: NewsBoundary): boolean {
  const from = boundary(anomaly.seriesId);
  return from === undefined || (from !== 'history' && anomaly.period >= from);
}

/**
 * The series to score: the due ones and the trade turnover of their pairs, each over its last
 * `lookbackMonths`; the reporters' other series come along as peers (pooled spreads, totals).
 */
async function loadSubjects(input: DetectChangesInput, listed: readonly SeriesMetadata[], due: ReadonlySet<string>): Promise<SeriesInput[]> {
  const loaded = await loadSeriesWithTurnover(input.series, listed);
  return loaded.map((entry) => {
    const latest = entry.observations.at(-1)?.period;
    const flows = entry.series.flow === 'trade' ? (['export', 'import'] as const) : [entry.series.flow];
    const isDue = flows.some((flow) => due.has(seriesId({ ...entry.series, flow })));
    if (!latest || !isDue) return { ...entry, evaluateFrom: PEER_ONLY };
    return { ...entry, evaluateFrom: addMonths(latest, -(input.lookbackMonths - 1)) };
  });
}
