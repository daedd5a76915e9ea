import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import * as z from '../../shared/zod.js';
import { loadConfig } from '../../shared/config/config.js';
import { planWorkItems } from '../../shared/plan/work-items.js';
import { trailingPeriods } from '../../shared/plan/watchlist.js';

const config = loadConfig();
const logger = new Logger({ serviceName: 'tradewatch' });
const metrics = new Metrics({ namespace: 'tradewatch', serviceName: 'plan' });
const sqs = new SQSClient({ region: config.region });
if (!config.workQueueUrl) throw new Error('WORK_QUEUE_URL is not set: there is no queue to plan the run onto');
const queueUrl = config.workQueueUrl;

/** The input EventBridge Scheduler sends; `scheduledTime` is the run's idempotency key. */
export const scheduledRunSchema = z.object({
  run: z._default(z.enum(['daily', 'monthly-refresh']), 'daily'),
  scheduledTime: z.iso.datetime({ offset: true }),
});

/** Splits the watchlist into work items on the queue; ingest workers take it from there. */
export const handler = middy(async (event: unknown) => {
  const run = scheduledRunSchema.parse(event);
  const items = planWorkItems(config.watchlist, trailingPeriods(config.watchlist, new Date(run.scheduledTime)), run.run, run.scheduledTime);
  for (let i = 0; i < items.length; i += 10) {
    const batch = items.slice(i, i + 10);
    const result = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch.map((item, j) => ({ Id: String(j), MessageBody: JSON.stringify(item) })) }),
    );
    if (result.Failed?.length) throw new Error(`${result.Failed.length} work item(s) were not queued: ${result.Failed[0]!.Message}`);
  }
  metrics.addMetric('WorkItemsQueued', MetricUnit.Count, items.length);
  logger.info('Run planned', { run: run.run, scheduledTime: run.scheduledTime, workItems: items.length });
  return { workItems: items.length };
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
