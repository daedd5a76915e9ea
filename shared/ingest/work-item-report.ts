import { upstreamOf } from '../domain/upstream.js';
import type { MetricName } from '../observability.js';
import type { WorkItem } from '../plan/work-items.js';
import type { WorkItemOutcome } from './process-work-item.js';

const DAY_MS = 86_400_000;

/** What the ingest function counts and logs for a finished work item. */
export function workItemReport(item: WorkItem, outcome: WorkItemOutcome, upstreamCalls: number) {
  const { ingest, detection, lastUpdatedAt } = outcome;
  const metrics: Partial<Record<MetricName<'ingest'>, number>> = {
    [upstreamOf(item) === 'comext' ? 'ComextCalls' : 'ComtradeCalls']: upstreamCalls,
    ObservationsChanged: ingest.inserted + ingest.revised,
    RecordsRejected: ingest.rejected.length,
    AlertsSent: detection.sent.length,
    MessagesPublished: detection.messages.length,
  };
  // Freshness: how long since any series last gained or changed a month.
  if (lastUpdatedAt) metrics.DaysSinceNewData = Math.max(0, (Date.parse(item.scheduledTime) - Date.parse(lastUpdatedAt)) / DAY_MS);
  // A run stopped by the daily call budget is not an error: it stays STOPPED under its key, and
  // the next runs (daily releases, the monthly refresh) pick up what it could not fetch.
  const log = {
    runKey: item.runKey,
    upstream: upstreamOf(item),
    calls: ingest.calls,
    skippedCalls: ingest.skippedCalls,
    inserted: ingest.inserted,
    revised: ingest.revised,
    rejected: ingest.rejected.length,
    ...(ingest.stopped ? { stopped: ingest.stopped } : {}),
    ...(ingest.releases ? { monthsChecked: ingest.releases.checked, monthsReleased: ingest.releases.changed } : {}),
    anomalies: detection.anomalies.length,
    alertsSent: detection.sent.length,
    silenced: detection.silenced.length,
  };
  return { metrics, log };
}
