import { detectAcross, type Anomaly, type DetectionConfig, type HeldBack, type SeriesInput } from '../domain/detection/index.js';
import { groupBy } from '../domain/group-by.js';
import { addMonths, type Period } from '../domain/period.js';
import { parseSeriesId, seriesId, type Observation } from '../domain/series.js';
import type { SeriesReader } from '../store/series-repository.js';
import { loadSeriesWithTurnover } from './load-series.js';

export interface DetectChangesInput {
  readonly series: SeriesReader;
  /** Detection settings per reporter (watchlist entries may override the global ones). */
  readonly detectionFor: (reporter: string) => DetectionConfig;
  /**
   * Per series id, the earliest month that changed (from the ingest run): only those series, and
   * only buckets from that month on, are scored. Undefined scores every series.
   */
  readonly changedFrom?: ReadonlyMap<string, Period>;
  /** Buckets ending more than this many months before a series' latest month are not scored. */
  readonly lookbackMonths: number;
}

export interface DetectionResult {
  readonly seriesExamined: number;
  readonly bucketsEvaluated: number;
  readonly anomalies: readonly Anomaly[];
  /** Buckets that looked anomalous but a gate held back, with the reason. */
  readonly heldBack: readonly HeldBack[];
  /** Every series scored or loaded as a peer, by id: the alert texts draw their sparklines from it. */
  readonly observationsById: ReadonlyMap<string, readonly Observation[]>;
}

/** evaluateFrom for a series loaded only as a peer: never evaluated itself. */
const PEER_ONLY = '9999-12';

/** Scores the changed series (and their trade turnover) against their own history and their peers. */
export async function detectChanges(input: DetectChangesInput): Promise<DetectionResult> {
  const subjects = await loadSubjects(input);
  // Peers never cross reporters, so each reporter is scored with its own settings.
  const results = [...groupBy(subjects, (s) => s.series.reporter)].map(([reporter, inputs]) => detectAcross(inputs, input.detectionFor(reporter)));
  return {
    seriesExamined: subjects.filter((s) => s.evaluateFrom !== PEER_ONLY).length,
    bucketsEvaluated: results.reduce((sum, r) => sum + r.evaluated, 0),
    anomalies: results.flatMap((r) => r.anomalies),
    heldBack: results.flatMap((r) => r.heldBack),
    observationsById: new Map(subjects.map((s) => [seriesId(s.series), s.observations])),
  };
}

/**
 * The series to score: every stored series of a reporter with changes, and their trade turnover.
 * Unchanged ones come along as peers (pooled spreads, totals) without being evaluated themselves.
 */
async function loadSubjects(input: DetectChangesInput): Promise<SeriesInput[]> {
  const changed = input.changedFrom;
  // Only the reporters that changed are listed (their series are each other's peers), not the whole table.
  const reporters = changed ? [...new Set([...changed.keys()].map((id) => parseSeriesId(id).reporter))] : undefined;
  const listed = reporters ? (await Promise.all(reporters.map((reporter) => input.series.listSeries({ reporter })))).flat() : await input.series.listSeries();
  const loaded = await loadSeriesWithTurnover(input.series, listed);
  return loaded.map((entry) => {
    const latest = entry.observations.at(-1)?.period;
    const flows = entry.series.flow === 'trade' ? (['export', 'import'] as const) : [entry.series.flow];
    const changes = flows.map((flow) => changed?.get(seriesId({ ...entry.series, flow }))).filter((p): p is Period => !!p).sort();
    if (!latest || (changed && changes.length === 0)) return { ...entry, evaluateFrom: PEER_ONLY };
    const lookbackStart = addMonths(latest, -(input.lookbackMonths - 1));
    return { ...entry, evaluateFrom: changes[0] && changes[0] > lookbackStart ? changes[0] : lookbackStart };
  });
}
