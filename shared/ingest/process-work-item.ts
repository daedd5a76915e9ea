import { upstreamOf, type Upstream } from '../domain/upstream.js';
import type { TradeSource } from '../sources/trade-source.js';
import type { BackfillRepository } from '../store/backfill-repository.js';
import type { RunRepository } from '../store/run-repository.js';
import type { SeriesRepository } from '../store/series-repository.js';
import { runDetectAndAlert, type DetectAndAlertInput, type DetectAndAlertSummary } from '../alerts/alert-job.js';
import { runIngest, type IngestSummary } from './ingest-run.js';
import type { WorkItem } from '../plan/work-items.js';
import type { LoadDetectionFor } from '../detect/detect-changes.js';

/** What detection and alerting need (bar the per-run parts), plus the sources and the run records. */
export interface WorkerDependencies extends Omit<DetectAndAlertInput, 'reporters' | 'now' | 'series' | 'watched' | 'establishNewsFor' | 'detectionFor'> {
  /** Detection settings per reporter, read once per item: an entry saved since the last item applies to this one. */
  readonly loadDetectionFor: LoadDetectionFor;
  readonly series: SeriesRepository;
  /** The source an item names (UN Comtrade or Eurostat Comext), built for that item. */
  readonly sourceFor: (upstream: Upstream) => TradeSource;
  readonly runs: RunRepository;
  /** The planner's backfill states: a backfill item records its chunk done; detection reads which partners are watched. */
  readonly backfill: Pick<BackfillRepository, 'markDone' | 'watched'>;
}

export class PublishFailedError extends Error {}

export interface WorkItemOutcome {
  readonly ingest: IngestSummary;
  readonly detection: DetectAndAlertSummary;
  /** When any series last gained or changed a month (the freshness alarm watches it). */
  readonly lastUpdatedAt: string | undefined;
}

/**
 * One work item end to end: ingest its slice (resumable under its run key; the daily run only
 * what was released), then detect and alert on what changed. Alerts are claimed exactly once, so
 * workers of the same reporter running side by side never send twice. History is not news: a
 * backfill chunk, and a watched series' initial load, are recorded as handled without alerting.
 */
export async function processWorkItem(item: WorkItem, deps: WorkerDependencies): Promise<WorkItemOutcome> {
  const scheduled = new Date(item.scheduledTime);
  const upstream = upstreamOf(item);
  const source = deps.sourceFor(upstream);
  const ingest = await runIngest({
    source,
    requests: [item.request],
    series: deps.series,
    now: () => scheduled,
    run: { key: item.runKey, repository: deps.runs },
    onlyNewReleases: item.run === 'daily',
  });
  // Only a run stored whole counts: one cut short by the budget or a failed call resumes under its key later.
  const storedWhole = ingest.alreadyDone === true || (!ingest.stopped && ingest.failedCalls.length === 0);
  if (item.history && storedWhole) await deps.backfill.markDone(upstream, item.request.reporter, item.request.commodity, item.request.partners, item.history.chunk);
  // The partners' newest year of history stored whole: their series have had their initial load, so news starts after it.
  const completesInitialLoad = storedWhole && item.history?.establishesNews === true;
  const detection = await runDetectAndAlert({
    series: deps.series,
    alerts: deps.alerts,
    silences: deps.silences,
    publisher: deps.publisher,
    routes: deps.routes,
    ...(deps.storedRoutes ? { storedRoutes: deps.storedRoutes } : {}),
    detectionFor: await deps.loadDetectionFor(),
    detection: deps.detection,
    watched: deps.backfill,
    ...(completesInitialLoad ? { establishNewsFor: { source: source.name, ...item.request } } : {}),
    // Whatever of this reporter is due: this run's changes, and any an earlier run left unalerted.
    reporters: [item.request.reporter],
    lookbackMonths: deps.lookbackMonths,
    now: () => new Date(),
  });
  if (detection.failed.length > 0) {
    // The item fails so SQS redelivers it; its run is DONE, so the retry only delivers what is PENDING.
    throw new PublishFailedError(`${detection.failed.length} message(s) could not be published: ${detection.failed[0]!.error}`);
  }
  return { ingest, detection, lastUpdatedAt: await deps.series.lastUpdatedAt() };
}
