import { renderAlert } from '../domain/alert-text.js';
import { detectAnomalies, type Anomaly, type DetectionConfig } from '../domain/detection.js';
import { addMonths, periodRange, type Period } from '../domain/period.js';
import { comparableValue, seriesId, type Observation, type SeriesKey } from '../domain/series.js';
import { turnover } from '../domain/turnover.js';
import { buildAlertMessage } from '../alerts/alert-message.js';
import type { AlertPublisher } from '../alerts/sns-publisher.js';
import type { AlertRecord, AlertRepository } from '../store/alert-repository.js';
import type { SeriesMetadata, SeriesRepository } from '../store/series-repository.js';

export interface DetectAndAlertInput {
  readonly series: SeriesRepository;
  readonly alerts: AlertRepository;
  readonly publisher: AlertPublisher;
  readonly detection: DetectionConfig;
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
  readonly delivered: readonly DeliveredAlert[];
  /** Anomalies already alerted (or being alerted by another run): not sent again. */
  readonly alreadyHandled: number;
  /** Publishes that failed: left PENDING for the next run. */
  readonly failed: readonly { readonly dedupKey: string; readonly error: string }[];
}

interface Subject {
  readonly key: SeriesKey;
  readonly observations: Observation[];
  readonly changedFrom: Period | undefined;
}

const SPARKLINE_MONTHS = 24;

/** Scores the changed series (and their derived trade turnover) and alerts each anomaly once. */
export async function runDetectAndAlert(input: DetectAndAlertInput): Promise<DetectAndAlertSummary> {
  const subjects = await loadSubjects(input);
  const anomalies: Anomaly[] = [];
  let bucketsEvaluated = 0;
  const observationsById = new Map<string, Observation[]>();
  for (const subject of subjects) {
    const latest = subject.observations.at(-1)?.period;
    if (!latest) continue;
    const lookbackStart = addMonths(latest, -(input.lookbackMonths - 1));
    const evaluateFrom = subject.changedFrom && subject.changedFrom > lookbackStart ? subject.changedFrom : lookbackStart;
    const result = detectAnomalies({ series: subject.key, observations: subject.observations, evaluateFrom }, input.detection);
    bucketsEvaluated += result.evaluated;
    anomalies.push(...result.anomalies);
    observationsById.set(seriesId(subject.key), subject.observations);
  }

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
  return { seriesExamined: subjects.length, bucketsEvaluated, anomalies, delivered, alreadyHandled, failed };
}

async function loadSubjects(input: DetectAndAlertInput): Promise<Subject[]> {
  const all = await input.series.listSeries();
  const changed = input.changedFrom;
  const selected = changed ? all.filter((m) => changed.has(m.seriesId)) : all;
  const subjects: Subject[] = [];
  const byPair = new Map<string, SeriesMetadata[]>();
  for (const metadata of all) {
    const pair = seriesId({ ...metadata, flow: 'trade' });
    byPair.set(pair, [...(byPair.get(pair) ?? []), metadata]);
  }
  const stored = new Map<string, Observation[]>();
  const observationsOf = async (id: string) => {
    const cached = stored.get(id);
    if (cached) return cached;
    const loaded = await input.series.getObservations(id);
    stored.set(id, loaded);
    return loaded;
  };
  for (const metadata of selected) {
    subjects.push({ key: keyOf(metadata), observations: await observationsOf(metadata.seriesId), changedFrom: changed?.get(metadata.seriesId) });
  }
  // Trade turnover: exports + imports of the same source, reporter, partner and commodity.
  for (const members of byPair.values()) {
    const exports = members.find((m) => m.flow === 'export');
    const imports = members.find((m) => m.flow === 'import');
    if (!exports || !imports) continue;
    const changes = [changed?.get(exports.seriesId), changed?.get(imports.seriesId)].filter((p): p is Period => !!p).sort();
    if (changed && changes.length === 0) continue;
    subjects.push({
      key: { ...keyOf(exports), flow: 'trade' },
      observations: turnover(await observationsOf(exports.seriesId), await observationsOf(imports.seriesId)),
      changedFrom: changes[0],
    });
  }
  return subjects;
}

function keyOf(metadata: SeriesMetadata): SeriesKey {
  const { source, reporter, partner, flow, commodity, currency } = metadata;
  return { source, reporter, partner, flow, commodity, currency };
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
