import type { DetectionConfig } from '../domain/detection/index.js';
import type { Route } from '../alerts/routing.js';
import type { AlertPublisher } from '../alerts/sns-publisher.js';
import type { TradeSource } from '../sources/trade-source.js';
import type { AlertRepository } from '../store/alert-repository.js';
import type { RunRepository } from '../store/run-repository.js';
import type { SeriesRepository } from '../store/series-repository.js';
import type { SilenceRepository } from '../store/silence-repository.js';
import { runDetectAndAlert, type DetectAndAlertSummary } from './detect-and-alert-job.js';
import { runIngest, type IngestSummary } from './ingest-job.js';
import type { WorkItem } from './work-items.js';

export interface WorkerDependencies {
  readonly source: TradeSource;
  readonly series: SeriesRepository;
  readonly alerts: AlertRepository;
  readonly silences: SilenceRepository;
  readonly runs: RunRepository;
  readonly publisher: AlertPublisher;
  readonly routes: readonly Route[];
  readonly detectionFor: (reporter: string) => DetectionConfig;
  readonly lookbackMonths: number;
}

export class PublishFailedError extends Error {}

/**
 * One work item end to end: ingest its slice (resumable under its run key; the daily run only
 * what was released), then detect and alert on what changed. Alerts are claimed exactly once, so
 * workers of the same reporter running side by side never send twice.
 */
export async function processWorkItem(item: WorkItem, deps: WorkerDependencies): Promise<{ ingest: IngestSummary; detection: DetectAndAlertSummary }> {
  const scheduled = new Date(item.scheduledTime);
  const ingest = await runIngest({
    source: deps.source,
    requests: [item.request],
    series: deps.series,
    now: () => scheduled,
    run: { key: item.runKey, repository: deps.runs },
    onlyNewReleases: item.run === 'daily',
  });
  const detection = await runDetectAndAlert({
    series: deps.series,
    alerts: deps.alerts,
    silences: deps.silences,
    publisher: deps.publisher,
    routes: deps.routes,
    detectionFor: deps.detectionFor,
    changedFrom: ingest.changedFrom,
    lookbackMonths: deps.lookbackMonths,
    now: () => new Date(),
  });
  if (detection.failed.length > 0) {
    // The item fails so SQS redelivers it; its run is DONE, so the retry only delivers what is PENDING.
    throw new PublishFailedError(`${detection.failed.length} message(s) could not be published: ${detection.failed[0]!.error}`);
  }
  return { ingest, detection };
}
