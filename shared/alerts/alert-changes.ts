import { detectChanges, type DetectChangesInput, type LoadDetectionFor } from '../detect/detect-changes.js';
import type { Anomaly } from '../domain/detection/index.js';
import { formatChange } from '../domain/format.js';
import type { Route } from '../domain/alerts/routing.js';
import type { AlertRepository } from '../store/alert-repository.js';
import type { DetectionRepository } from '../store/detection-repository.js';
import type { SilenceRepository } from '../store/silence-repository.js';
import { runDetectAndAlert, type DetectAndAlertSummary } from './alert-job.js';
import type { AlertPublisher } from './sns-publisher.js';

/** What detecting and alerting after a store needs: the store's parts, the settings, and where alerts go. */
export interface Alerting extends Omit<DetectChangesInput, 'reporters' | 'detectionFor'> {
  /** Detection settings per reporter, read once per call (the table's watchlist may change between calls). */
  readonly loadDetectionFor: LoadDetectionFor;
  readonly alerts: AlertRepository;
  readonly detection: DetectionRepository;
  readonly silences: SilenceRepository;
  readonly routes: readonly Route[];
  /** The stored subscriptions' routes, read each run (see AlertJobInput). */
  readonly storedRoutes?: () => Promise<readonly Route[]>;
  /** No publisher (no topic): anomalies are found and reported, and stay due for a run that has one. */
  readonly publisher: AlertPublisher | undefined;
  readonly now: () => Date;
}

export type AlertChangesOutcome =
  | { readonly published: false; readonly seriesExamined: number; readonly anomalies: readonly Anomaly[] }
  | ({ readonly published: true } & DetectAndAlertSummary);

/** Some alerts could not be published: they stay PENDING and their series due, so the next run sends them. */
export class AlertsNotPublishedError extends Error {
  constructor(readonly failed: DetectAndAlertSummary['failed']) {
    super(`${failed.length} message(s) could not be published (${failed[0]?.error ?? 'unknown error'})`);
    this.name = 'AlertsNotPublishedError';
  }
}

/**
 * What `import`, `ingest` and a dropped file do after storing, as the scheduled runs do: detect on
 * what changed for these reporters and alert each anomaly once per route. Exactly once comes from
 * the store (alert-job.ts), so calling this again after any failure sends only what is missing.
 */
export async function alertChanges(alerting: Alerting, reporters: readonly string[]): Promise<AlertChangesOutcome> {
  const detectionFor = await alerting.loadDetectionFor();
  if (!alerting.publisher) {
    const found = await detectChanges({ ...alerting, detectionFor, reporters });
    return { published: false, seriesExamined: found.seriesExamined, anomalies: found.anomalies };
  }
  return { published: true, ...(await runDetectAndAlert({ ...alerting, detectionFor, publisher: alerting.publisher, reporters })) };
}

/** Throws when a publish failed, so the caller's retry (the same command, Lambda's) sends what is missing. */
export function assertAllPublished(outcome: AlertChangesOutcome): void {
  if (outcome.published && outcome.failed.length > 0) throw new AlertsNotPublishedError(outcome.failed);
}

const anomalies = (n: number) => `${n} anomal${n === 1 ? 'y' : 'ies'}`;

/** The outcome as a person reads it: a summary line, then one line per anomaly. */
export function describeAlertChanges(outcome: AlertChangesOutcome): string[] {
  const summary = outcome.published
    ? `Detected ${anomalies(outcome.anomalies.length)} in ${outcome.seriesExamined} changed series; ` +
      `${outcome.sent.length} alert(s) sent as ${outcome.messages.length} message(s), ${outcome.silenced.length} silenced, ${outcome.alreadyHandled} already alerted, ${outcome.failed.length} failed.`
    : `Detected ${anomalies(outcome.anomalies.length)} in ${outcome.seriesExamined} changed series; not alerted: no alert topic (set ALERT_TOPIC_ARN, or run \`npm start -- --keep-running\`), so they stay due.`;
  return [summary, ...outcome.anomalies.map((a) => `  ${a.severity.toUpperCase()} ${a.seriesId} ${a.bucketLabel} ${formatChange(a.explanation.change)} y/y`)];
}
