import { bucketOf, type Period } from '../period.js';
import { groupBy } from '../group-by.js';
import { seriesId, type StoredObservation } from '../series.js';
import { hasRevisions, observationAsOf } from '../vintage.js';
import type { Anomaly, Gate, HeldBack } from './anomaly.js';
import type { DetectionConfig, DetectionFor } from './config.js';
import { detectAcross, mergesJanFeb, type AcrossReporters, type SeriesInput } from './detect.js';
import { monthIndex } from './monthly-values.js';
import { partnerSignal } from './partner-signal.js';

export interface BacktestSummary {
  /** What would have fired, oldest bucket first. */
  readonly fired: readonly Anomaly[];
  readonly heldBack: readonly HeldBack[];
  readonly evaluated: number;
  readonly series: number;
  /** Years of series history replayed: months that could be scored (a year-earlier value and enough history), / 12, summed. */
  readonly seriesYears: number;
  /** Events alerted: the buckets of one event (one dedup key) count once, however many months it lasts. */
  readonly events: number;
  /** The noise budget: alerts (events) a subscriber would have received per series and year. */
  readonly alertsPerSeriesYear: number;
  readonly byRule: Readonly<Record<string, number>>;
  readonly byType: Readonly<Record<string, number>>;
  readonly bySeverity: Readonly<Record<string, number>>;
  readonly heldBackByGate: Readonly<Partial<Record<Gate, number>>>;
}

function countBy<T>(items: readonly T[], keys: (item: T) => readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) for (const key of keys(item)) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

/**
 * Replays history bucket by bucket as a live run would have seen it: each bucket is scored only
 * against what came before it. Where a series carries revisions, each bucket is scored on the
 * vintage known when its last month was first published. As a live run (which loads the other
 * reporters' series to its partners), a partner signal over all the inputs lets a move that many
 * reporters made to the same partner count as evidence (see `partnerShare`); the vintages of a
 * revised series are scored against the other series' latest values there.
 */
export function backtest(
  inputs: readonly SeriesInput[],
  detectionFor: DetectionFor,
  window: BacktestWindow = {},
): BacktestSummary {
  const selected = (input: SeriesInput) => !window.seriesId || seriesId(input.series) === window.seriesId;
  const across: AcrossReporters = { partnerSignal: partnerSignal(inputs, detectionFor) };
  // As a live run: each reporter's series together, judged with that reporter's settings.
  const results = [...groupBy(inputs, (i) => i.series.reporter)].flatMap(([reporter, ofReporter]) => {
    const config = detectionFor(reporter);
    const plain = ofReporter.map((i) => (selected(i) && !hasRevisions(i.observations) ? i : asPeerOnly(i)));
    const revised = ofReporter.filter((i) => selected(i) && hasRevisions(i.observations));
    return [
      detectAcross(plain, config, { evaluateFrom: window.from, evaluateTo: window.to }, across),
      ...revised.flatMap((input) => replayVintages(input, ofReporter, config, window, across)),
    ];
  });

  const fired = results.flatMap((r) => r.anomalies).sort((a, b) => a.period.localeCompare(b.period) || a.seriesId.localeCompare(b.seriesId));
  const heldBack = results.flatMap((r) => r.heldBack);
  const events = new Set(fired.map((a) => a.dedupKey)).size;
  const evaluated = results.reduce((sum, r) => sum + r.evaluated, 0);
  const scored = inputs.filter(selected);
  const seriesYears = scored.reduce((sum, input) => sum + scoredMonths(input, detectionFor(input.series.reporter), window) / 12, 0);
  return {
    fired,
    heldBack,
    evaluated,
    series: scored.length,
    seriesYears,
    events,
    alertsPerSeriesYear: seriesYears > 0 ? events / seriesYears : 0,
    byRule: countBy(fired, (a) => a.explanation.rules),
    byType: countBy(fired, (a) => [a.type]),
    bySeverity: countBy(fired, (a) => [a.severity]),
    heldBackByGate: countBy(heldBack, (h) => [h.gate]),
  };
}

export interface BacktestWindow {
  readonly from?: Period | undefined;
  readonly to?: Period | undefined;
  /** Replay only this series (the others still serve as peers). */
  readonly seriesId?: string | undefined;
}

const asPeerOnly = (input: SeriesInput): SeriesInput => ({ ...input, evaluateFrom: '9999-12' });

/** One detection per bucket, each on the data as it stood when that bucket was first published. */
function replayVintages(input: SeriesInput, all: readonly SeriesInput[], config: DetectionConfig, window: BacktestWindow, across: AcrossReporters) {
  const stored = input.observations as readonly StoredObservation[];
  const peers = all.filter((i) => i !== input).map(asPeerOnly);
  const merge = mergesJanFeb(input.series, config);
  const ends = [...new Set(stored.map((o) => bucketOf(o.period, merge).months.at(-1)!))]
    .filter((end) => (!window.from || end >= window.from) && (!window.to || end <= window.to))
    .sort();
  return ends.map((end) => {
    const release = stored.find((o) => o.period === end)?.firstSeenAt;
    const asOf = release ? stored.map((o) => observationAsOf(o, release)) : stored;
    return detectAcross([{ ...input, observations: asOf }, ...peers], config, { evaluateFrom: end, evaluateTo: end }, across);
  });
}

function scoredMonths(input: SeriesInput, config: DetectionConfig, window: BacktestWindow): number {
  const from = window.from ? monthIndex(window.from) : -Infinity;
  const to = window.to ? monthIndex(window.to) : Infinity;
  let months = 0;
  // Months from the first one that has a year-earlier comparison, inside the window.
  const indices = input.observations.map((o) => monthIndex(o.period)).sort((a, b) => a - b);
  const first = indices[0];
  if (first === undefined) return 0;
  for (const m of indices) if (m >= first + 12 + config.minOwnHistoryMonths && m >= from && m <= to) months++;
  return months;
}
