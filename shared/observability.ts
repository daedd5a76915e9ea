import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';

/** The CloudWatch namespace of tradewatch's own metrics; the stack's alarms read it from here. */
export const METRIC_NAMESPACE = 'tradewatch';

export type FunctionName = 'plan' | 'ingest' | 'query' | 'drop' | 'manage';

/** The metrics each function logs (as EMF), by name: the alarms on them are built from the same names. */
export const METRICS = {
  plan: ['WorkItemsQueued'],
  ingest: ['ComtradeCalls', 'ComextCalls', 'ObservationsChanged', 'RecordsRejected', 'AlertsSent', 'MessagesPublished', 'DaysSinceNewData'],
  query: ['QueryAnswered', 'QueryRefused'],
  drop: ['FilesImported', 'FilesRejected'],
  manage: ['ManageChanges', 'ManageRefused'],
} as const satisfies Record<FunctionName, readonly string[]>;

export type MetricName<F extends FunctionName> = (typeof METRICS)[F][number];

/** A function's metric as CloudWatch receives it from the EMF Powertools logs: the alarms on it are built from this. */
export function publishedMetric<F extends FunctionName>(fn: F, name: MetricName<F>) {
  return { namespace: METRIC_NAMESPACE, metricName: name, dimensionsMap: { service: fn } };
}

/** One function's logger and metrics, with the `service` dimension set to the function's name. */
export function observability<F extends FunctionName>(name: F) {
  const logger = new Logger({ serviceName: 'tradewatch' });
  const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: name });
  return {
    logger,
    metrics,
    /** Counts under one of the function's own metric names. */
    count: (metric: MetricName<F>, value: number) => metrics.addMetric(metric, MetricUnit.Count, value),
    /** The handler with the Lambda context in every log line and the metrics flushed after each call. */
    observe: <E, R>(handler: (event: E) => Promise<R>, options: { coldStart?: boolean } = {}) =>
      middy(handler)
        .use(injectLambdaContext(logger))
        .use(logMetrics(metrics, { captureColdStartMetric: options.coldStart ?? false })),
  };
}
