import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { loadIngestConfig } from '../../shared/config/functions.js';
import { processWorkItem } from '../../shared/ingest/process-work-item.js';
import { workItemReport } from '../../shared/ingest/work-item-report.js';
import { observability, type MetricName } from '../../shared/observability.js';
import { readWorkItem } from '../../shared/plan/work-items.js';
import { createAlertPublisher, createStore, createUpstreamSource, storedDetection, storedRoutes } from '../../shared/wiring.js';
import { upstreamOf } from '../../shared/domain/upstream.js';

const config = loadIngestConfig();
const { logger, count, observe } = observability('ingest');
const store = createStore(config);
const worker = { ...store, publisher: createAlertPublisher(config), routes: config.routes, storedRoutes: storedRoutes(store.subscriptions), loadDetectionFor: storedDetection(store.watchlist, config), lookbackMonths: config.alertLookbackMonths };
const processor = new BatchProcessor(EventType.SQS);

/** One work item from the queue: ingest its slice, detect, alert. A failure returns it to the queue alone. */
async function processRecord(record: SQSRecord): Promise<void> {
  try {
    const item = readWorkItem(record.body);
    const upstream = upstreamOf(item);
    const onRetry = ({ reason, attempt, waitMs }: { reason: string; attempt: number; waitMs: number }) => logger.warn('Upstream call retried', { upstream, reason, attempt, waitMs });
    const { client, source } = await createUpstreamSource(config, upstream, store.runs, onRetry);
    const outcome = await processWorkItem(item, { ...worker, sourceFor: () => source });
    const report = workItemReport(item, outcome, client.stats.attempts);
    for (const [metric, value] of Object.entries(report.metrics)) count(metric as MetricName<'ingest'>, value);
    for (const rejected of outcome.ingest.rejected) logger.warn('Upstream record rejected (quarantined)', { upstream, runKey: item.runKey, ...rejected });
    logger.info('Work item done', report.log);
  } catch (error) {
    logger.error('Work item failed; it goes back to the queue', { messageId: record.messageId, error });
    throw error;
  }
}

export const handler = observe((event: SQSEvent) => processPartialResponse(event, processRecord, processor), { coldStart: true });
