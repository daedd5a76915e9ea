import { renderAlert } from '../domain/alert-text.js';
import { detectAcross, type Anomaly, type DetectionConfig, type HeldBack, type SeriesInput } from '../domain/detection/index.js';
import { addMonths, periodRange, type Period } from '../domain/period.js';
import { comparableValue, seriesId, type Observation } from '../domain/series.js';
import { buildAlertMessage } from '../alerts/alert-message.js';
import { groupBy } from '../domain/group-by.js';
import type { AlertPublisher } from '../alerts/sns-publisher.js';
import type { AlertRecord, AlertRepository } from '../store/alert-repository.js';
import type { SeriesRepository } from '../store/series-repository.js';
import { loadSeriesWithTurnover } from './load-series.js';

export interface DetectAndAlertInput {
  readonly series: SeriesRepository;
  readonly alerts: AlertRepository;
  readonly publisher: AlertPublisher;
  /** Detection settings per reporter (watchlist entries may override the global ones). */
  readonly detectionFor: (reporter: string) => DetectionConfig;
  /**
   * Per series id, the earliest month that changed (from the ingest run): only those series, and
   * only buckets from that month on, are scored. Undefined scores every series.
   */
  readonly changedFrom?: ReadonlyMap<string, Period>;
  /** Buckets ending more than this many months before a series' latest month are not alerted. */
  readonly lookbackMonths: number;
  readonly now: () => Date;
}

export interface DeliveredAlert {
  readonly anomaly: Anomaly;
  readonly messageId: string;
}

export interface DetectAndAlertSummary {
  readonly seriesExamined: number;
  readonly bucketsEvaluated: number;
  readonly anomalies: readonly Anomaly[];
  /** Buckets that looked anomalous but a gate held back, with the reason. */
  readonly heldBack: readonly HeldBack[];
  readonly delivered: readonly DeliveredAlert[];
  /** Anomalies already alerted (or being alerted by another run): not sent again. */
  readonly alreadyHandled: number;
  /** Publishes that failed: left PENDING for the next run. */
  readonly failed: readonly { readonly dedupKey: string; readonly error: string }[];
}

const SPARKLINE_MONTHS = 24;
/** evaluateFrom for a series loaded only as a peer: never evaluated itself. */
const PEER_ONLY = '9999-12';

/** Scores the changed series (and their derived trade turnover) and alerts each anomaly once. */
export async function runDetectAndAlert(input: DetectAndAlertInput): Promise<DetectAndAlertSummary> {
  const subjects = await loadSubjects(input);
  // Peers never cross reporters, so each reporter is scored with its own settings.
  const byReporter = groupBy(subjects, (subject) => subject.series.reporter);
  const results = [...byReporter].map(([reporter, inputs]) => detectAcross(inputs, input.detectionFor(reporter)));
  const detection = {
    anomalies: results.flatMap((r) => r.anomalies),
    heldBack: results.flatMap((r) => r.heldBack),
    evaluated: results.reduce((sum, r) => sum + r.evaluated, 0),
  };
  const anomalies = detection.anomalies;
  const observationsById = new Map(subjects.map((s) => [seriesId(s.series), s.observations]));

  const delivered: DeliveredAlert[] = [];
  const failed: { dedupKey: string; error: string }[] = [];
  let alreadyHandled = 0;
  const deliver = async (record: AlertRecord) => {
    const anomaly = record.anomaly;
    try {
      const rendered = renderAlert(anomaly, sparklineContext(observationsById.get(anomaly.seriesId), anomaly.period));
      const messageId = await input.publisher.publish(buildAlertMessage(anomaly, rendered));
      await input.alerts.markSent(anomaly.dedupKey, messageId, input.now());
      delivered.push({ anomaly, messageId });
    } catch (error) {
      failed.push({ dedupKey: anomaly.dedupKey, error: (error as Error).message });
      await input.alerts.release(anomaly.dedupKey).catch(() => undefined);
    }
  };

  for (const anomaly of anomalies) {
    const record = await input.alerts.claim(anomaly, input.now());
    if (record) await deliver(record);
    else alreadyHandled++;
  }
  // Alerts left PENDING by an earlier run whose publish failed or that died mid-way.
  const handled = new Set(anomalies.map((a) => a.dedupKey));
  for (const pending of await input.alerts.list({ status: 'PENDING' })) {
    if (handled.has(pending.dedupKey)) continue;
    const record = await input.alerts.claim(pending.anomaly, input.now());
    if (record) await deliver(record);
  }
  return {
    seriesExamined: subjects.filter((s) => s.evaluateFrom !== PEER_ONLY).length,
    bucketsEvaluated: detection.evaluated,
    anomalies,
    heldBack: detection.heldBack,
    delivered,
    alreadyHandled,
    failed,
  };
}

/**
 * The series to score: every stored series of a reporter with changes, and their trade turnover.
 * Unchanged ones come along as peers (pooled spreads, totals) without being evaluated themselves.
 */
async function loadSubjects(input: DetectAndAlertInput): Promise<SeriesInput[]> {
  const changed = input.changedFrom;
  const reporters = new Set((await input.series.listSeries()).filter((m) => !changed || changed.has(m.seriesId)).map((m) => m.reporter));
  const loaded = await loadSeriesWithTurnover(input.series, (m) => reporters.has(m.reporter));
  return loaded.map((entry) => {
    const latest = entry.observations.at(-1)?.period;
    const flows = entry.series.flow === 'trade' ? (['export', 'import'] as const) : [entry.series.flow];
    const changes = flows.map((flow) => changed?.get(seriesId({ ...entry.series, flow }))).filter((p): p is Period => !!p).sort();
    if (!latest || (changed && changes.length === 0)) return { ...entry, evaluateFrom: PEER_ONLY };
    const lookbackStart = addMonths(latest, -(input.lookbackMonths - 1));
    return { ...entry, evaluateFrom: changes[0] && changes[0] > lookbackStart ? changes[0] : lookbackStart };
  });
}

function sparklineContext(observations: readonly Observation[] | undefined, period: Period) {
  if (!observations) return {};
  const first = addMonths(period, -(SPARKLINE_MONTHS - 1));
  const byPeriod = new Map(observations.map((o) => [o.period, o]));
  const months = periodRange(first, period);
  return {
    recentValues: months.map((m) => comparableValue(byPeriod.get(m))),
    recentRange: [first, period] as const,
  };
}
