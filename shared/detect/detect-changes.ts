import { detectAcross, littleBeforeMuchAfter, partnerSignal, type AcrossReporters, type Anomaly, type DetectionFor, type HeldBack, type SeriesInput } from '../domain/detection/index.js';
import { groupBy } from '../domain/group-by.js';
import type { Period } from '../domain/period.js';
import { seriesId, type Observation, type SeriesKey } from '../domain/series.js';
import type { AlertHistory } from '../store/alert-repository.js';
import type { BackfillRepository } from '../store/backfill-repository.js';
import type { DetectionRepository } from '../store/detection-repository.js';
import type { SeriesMetadata, SeriesReader } from '../store/series-repository.js';
import { detectMirrors, mirrorReporters, storedMirrors } from './detect-mirrors.js';
import { loadSeriesWithTurnover } from './load-series.js';
import { asPeerOnly, isScored, withLookback } from './lookback.js';
import { loadPartnerPeers, rescorePeers } from './partner-peers.js';
import { newsBy, readProgress } from './progress.js';

export interface DetectChangesInput {
  readonly series: SeriesReader;
  /** What detection has handled so far, per series, and where each series' news begins. */
  readonly detection: Pick<DetectionRepository, 'progress'>;
  /** The partners the planner watches (their series' first load is history); without it, every month is news. */
  readonly watched?: Pick<BackfillRepository, 'watched'>;
  /** The reporters to look at (their series are each other's peers); every stored reporter when unset. */
  readonly reporters?: readonly string[];
  /** Detection settings per reporter (watchlist entries may override the global ones). */
  readonly detectionFor: DetectionFor;
  /** Buckets ending more than this many months before a series' latest month are not scored. */
  readonly lookbackMonths: number;
  /** The alert records, when alerting follows: another reporter's partner-wide event already recorded is not scored again. */
  readonly alerts?: Pick<AlertHistory, 'known'>;
}

/** Reads the detection settings per reporter for one run or request: the watchlist they come from may change between runs. */
export type LoadDetectionFor = () => Promise<DetectionFor>;

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

/**
 * Scores every series that changed since detection last handled it (and their trade turnover)
 * against their own history and their peers. What is due comes from the store, so a change whose
 * alerting was cut short by any crash is still due on the next run for its reporter.
 *
 * The other reporters' series to the same partners come along too (see partner-peers.ts): their
 * moves are the partner-wide evidence `tradewatch evaluate` judges with, and a move this run's data
 * complete across reporters is called on their series as well, whatever order the reporters arrived in.
 */
export async function detectChanges(input: DetectChangesInput): Promise<DetectionResult> {
  // Only the reporters asked about are listed, not the whole table.
  const ofReporters = input.reporters
    ? (await Promise.all([...new Set(input.reporters)].map((reporter) => input.series.listSeries({ reporter })))).flat()
    : await input.series.listSeries();
  const reporters = new Set(ofReporters.map((s) => s.reporter));
  // Mirrors (each side as its partner reports it) are due on their own: either side may have changed.
  // Their sides' reporters' progress is read with the listed reporters', once.
  const storedPairs = await storedMirrors(input.series, ofReporters);
  const progress = await readProgress(input, new Set([...reporters, ...mirrorReporters(storedPairs)]));
  const unestablished = ofReporters
    .filter((s) => progress.isWatched(s) && !progress.newsFrom.has(s.seriesId))
    .map((s) => ({ reporter: s.reporter, seriesId: s.seriesId, source: s.source, partner: s.partner, commodity: s.commodity, lastPeriod: s.lastPeriod }));
  const due = ofReporters.filter((s) => s.version > (progress.handled.get(s.seriesId) ?? -1));
  const mirrors = await detectMirrors(input, storedPairs, progress);
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
  const peers = await loadPartnerPeers(input.series, subjects.filter(isScored), reporters);
  const across: AcrossReporters = { partnerSignal: partnerSignal([...subjects, ...peers], input.detectionFor) };
  // Peers of one reporter share its settings; across reporters only the partner signal is shared.
  const results = [...groupBy(subjects, (s) => s.series.reporter)].map(([reporter, inputs]) => detectAcross(inputs, input.detectionFor(reporter), {}, across));
  const anomalies = results.flatMap((r) => r.anomalies);
  const isNews = newsBy(progress);
  const rescored = await rescorePeers(input, peers, across);
  const observed = [...subjects, ...peers, ...rescored.context];
  const scored = subjects.filter(isScored);
  // A screening rule: what it finds holds as of the latest release, so it is news however old the months behind it.
  const patterns = patternFindings(scored, input.detectionFor, progress.askedFrom);
  return withMirrors({
    seriesExamined: scored.length,
    bucketsEvaluated: results.reduce((sum, r) => sum + r.evaluated, 0),
    anomalies: [...anomalies.filter(isNews), ...rescored.anomalies, ...patterns],
    history: anomalies.filter((a) => !isNews(a)),
    unestablished,
    heldBack: results.flatMap((r) => r.heldBack),
    observationsById: new Map(observed.map((s) => [seriesId(s.series), s.observations])),
    due: due.map((s) => ({ reporter: s.reporter, seriesId: s.seriesId, version: s.version })),
  });
}

/**
 * The little-before-much-after findings of the scored series whose reporter's settings switch the
 * rule on. `askedFrom` says from which month a month without a row means none was traded (false: for no
 * month yet, its history still loading); for a series the planner does not watch, from its first
 * stored month.
 */
function patternFindings(scored: readonly SeriesInput[], detectionFor: DetectionFor, askedFrom: (key: SeriesKey) => Period | undefined | false): Anomaly[] {
  return scored.flatMap((subject) => {
    const rule = detectionFor(subject.series.reporter).littleBeforeMuchAfter;
    if (!rule || subject.series.flow === 'trade') return [];
    const from = askedFrom(subject.series);
    const covered = from === false ? undefined : (from ?? subject.observations[0]?.period);
    return littleBeforeMuchAfter(subject.series, subject.observations, rule, covered) ?? [];
  });
}

/**
 * The series to score: the due ones and the trade turnover of their pairs, each over its last
 * `lookbackMonths`; the reporters' other series come along as peers (pooled spreads, totals).
 */
async function loadSubjects(input: DetectChangesInput, listed: readonly SeriesMetadata[], due: ReadonlySet<string>): Promise<SeriesInput[]> {
  const loaded = await loadSeriesWithTurnover(input.series, listed);
  return loaded.map((entry) => {
    const flows = entry.series.flow === 'trade' ? (['export', 'import'] as const) : [entry.series.flow];
    const isDue = flows.some((flow) => due.has(seriesId({ ...entry.series, flow })));
    return isDue ? withLookback(entry, input.lookbackMonths) : asPeerOnly(entry);
  });
}

