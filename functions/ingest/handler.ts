import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { loadConfig } from '../../shared/config/config.js';
import { processWorkItem } from '../../shared/ingest/process-work-item.js';
import { readWorkItem } from '../../shared/plan/work-items.js';
import { createAlertPublisher, createComtradeSource, dailyCallBudget } from '../../shared/wiring.js';
import { createStore } from '../../shared/store/create-store.js';
import { detectionConfigFor } from '../../shared/plan/watchlist.js';

const config = loadConfig();
const logger = new Logger({ serviceName: 'tradewatch' });
const metrics = new Metrics({ namespace: 'tradewatch', serviceName: 'ingest' });
const store = createStore(config);
const publisher = createAlertPublisher(config);
const processor = new BatchProcessor(EventType.SQS);

async function comtradeKey(): Promise<string | undefined> {
  const secret = config.comtrade.apiKeySecret;
  if (!secret) return config.comtrade.apiKey;
  // Cached across invocations for an hour; the key never enters environment variables or logs.
  const key = await getSecret(secret, { maxAge: 3600 });
  if (typeof key !== 'string' || key.trim() === '') throw new Error(`Secret ${secret} holds no text: store the UN Comtrade key as its plain-text value`);
  return key.trim();
}

/** One work item from the queue: ingest its slice, detect, alert. A failure returns it to the queue alone. */
async function processRecord(record: SQSRecord): Promise<void> {
  try {
    await processWorkItemRecord(record);
  } catch (error) {
    logger.error('Work item failed; it goes back to the queue', { messageId: record.messageId, error });
    throw error;
  }
}

async function processWorkItemRecord(record: SQSRecord): Promise<void> {
  const item = readWorkItem(record.body);
  const { client, source } = createComtradeSource(
    config,
    await comtradeKey(),
    (retry) => logger.warn('Comtrade call retried', { reason: retry.reason, attempt: retry.attempt, waitMs: retry.waitMs }),
    dailyCallBudget(config, store.runs),
  );
  const { ingest, detection } = await processWorkItem(item, {
    ...store,
    source,
    publisher,
    routes: config.routes,
    detectionFor: (reporter) => detectionConfigFor(config.watchlist, config.detection, reporter),
    lookbackMonths: config.alertLookbackMonths,
  });
  for (const rejected of ingest.rejected) logger.warn('Comtrade record rejected (quarantined)', { runKey: item.runKey, ...rejected });
  // Freshness: how long since any series last gained or changed a month (an alarm watches it).
  const newest = await store.series.lastUpdatedAt();
  if (newest) metrics.addMetric('DaysSinceNewData', MetricUnit.Count, Math.max(0, (Date.parse(item.scheduledTime) - Date.parse(newest)) / 86_400_000));
  metrics.addMetric('ComtradeCalls', MetricUnit.Count, client.stats.attempts);
  metrics.addMetric('ObservationsChanged', MetricUnit.Count, ingest.inserted + ingest.revised);
  metrics.addMetric('RecordsRejected', MetricUnit.Count, ingest.rejected.length);
  metrics.addMetric('AlertsSent', MetricUnit.Count, detection.sent.length);
  metrics.addMetric('MessagesPublished', MetricUnit.Count, detection.messages.length);
  logger.info('Work item done', {
    runKey: item.runKey,
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
  });
  // A run stopped by the daily call budget is not an error: it stays STOPPED under its key, and
  // the next runs (daily releases, the monthly refresh) pick up what it could not fetch.
}

export const handler = middy((event: SQSEvent) => processPartialResponse(event, processRecord, processor))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
