import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import * as z from 'zod';
import { loadConfig } from '../../shared/config.js';
import { runDetectAndAlert } from '../../shared/jobs/detect-and-alert-job.js';
import { runIngest } from '../../shared/jobs/ingest-job.js';
import { createAlertPublisher, createComtradeSource, createStore, dailyCallBudget } from '../../shared/services.js';
import { detectionConfigFor, trailingPeriods, watchlistRequests } from '../../shared/watchlist.js';

const config = loadConfig();
const logger = new Logger({ serviceName: 'tradewatch' });
const metrics = new Metrics({ namespace: 'tradewatch', serviceName: 'ingest' });
const store = createStore(config);
const publisher = createAlertPublisher(config);

/** The input EventBridge Scheduler sends; `scheduledTime` is the run's idempotency key. */
export const scheduledRunSchema = z.object({
  run: z.enum(['daily', 'monthly-refresh']).default('daily'),
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
});

async function comtradeKey(): Promise<string | undefined> {
  if (!config.comtrade.apiKeyParameter) return config.comtrade.apiKey;
  // Cached across invocations; the key never enters environment variables or logs.
  return getParameter(config.comtrade.apiKeyParameter, { decrypt: true, maxAge: 3600 });
}

export const handler = middy(async (event: unknown) => {
  const run = scheduledRunSchema.parse(event ?? {});
  const now = run.scheduledTime ? new Date(run.scheduledTime) : new Date();
  const { client, source } = createComtradeSource(
    config,
    await comtradeKey(),
    (retry) => logger.warn('Comtrade call retried', { reason: retry.reason, attempt: retry.attempt, waitMs: retry.waitMs }),
    dailyCallBudget(config, store.runs),
  );
  const periods = trailingPeriods(config.watchlist, now);
  const ingest = await runIngest({
    source,
    requests: watchlistRequests(config.watchlist, periods),
    series: store.series,
    // The scheduled time, not the wall clock: a retried or duplicated run of the same schedule writes the same items.
    now: () => now,
    // ...and is the run's key: a run that died resumes where it stopped, a finished one is not repeated.
    run: { key: `${run.run}-${now.toISOString()}`, repository: store.runs },
    // Daily: only what UN Comtrade says was released since (cheap when nothing changed); monthly: the whole window.
    onlyNewReleases: run.run === 'daily',
  });
  for (const rejected of ingest.rejected) logger.warn('Comtrade record rejected', { ...rejected });
  const detection = await runDetectAndAlert({
    ...store,
    publisher,
    routes: config.routes,
    detectionFor: (reporter) => detectionConfigFor(config.watchlist, config.detection, reporter),
    changedFrom: ingest.changedFrom,
    lookbackMonths: config.alertLookbackMonths,
    now: () => new Date(),
  });
  // Freshness: how long since any series last gained or changed a month (an alarm watches it).
  const newest = (await store.series.listSeries()).reduce((latest, s) => (s.updatedAt > latest ? s.updatedAt : latest), '');
  const daysSinceNewData = newest ? (now.getTime() - Date.parse(newest)) / 86_400_000 : Number.POSITIVE_INFINITY;
  if (Number.isFinite(daysSinceNewData)) metrics.addMetric('DaysSinceNewData', MetricUnit.Count, Math.max(0, daysSinceNewData));
  metrics.addMetric('ComtradeCalls', MetricUnit.Count, client.stats.attempts);
  metrics.addMetric('ObservationsChanged', MetricUnit.Count, ingest.inserted + ingest.revised);
  metrics.addMetric('RecordsRejected', MetricUnit.Count, ingest.rejected.length);
  metrics.addMetric('AlertsSent', MetricUnit.Count, detection.sent.length);
  metrics.addMetric('MessagesPublished', MetricUnit.Count, detection.messages.length);
  metrics.addMetric('AlertPublishFailures', MetricUnit.Count, detection.failed.length);
  const summary = {
    run: run.run,
    periods: `${periods[0]}..${periods.at(-1)}`,
    calls: ingest.calls,
    observations: ingest.observations,
    inserted: ingest.inserted,
    revised: ingest.revised,
    rejected: ingest.rejected.length,
    skippedCalls: ingest.skippedCalls,
    ...(ingest.stopped ? { stopped: ingest.stopped } : {}),
    ...(ingest.alreadyDone ? { alreadyDone: true } : {}),
    ...(ingest.releases ? { monthsChecked: ingest.releases.checked, monthsReleased: ingest.releases.changed } : {}),
    anomalies: detection.anomalies.length,
    alertsSent: detection.sent.length,
    messagesPublished: detection.messages.length,
    silenced: detection.silenced.length,
    alertFailures: detection.failed.length,
  };
  logger.info('Scheduled run finished', summary);
  if (detection.failed.length > 0) {
    // Fail the invocation so the error alarm fires; the alerts stay PENDING for the next run.
    throw new Error(`${detection.failed.length} message(s) could not be published: ${detection.failed[0]!.error}`);
  }
  return summary;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
