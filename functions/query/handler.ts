import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handleQuery } from '../../shared/query/query-api.js';
import { loadQueryConfig } from '../../shared/config/query-config.js';
import { createReadStore } from '../../shared/store/create-store.js';
import { detectionConfigFor } from '../../shared/plan/watchlist.js';

const config = loadQueryConfig();
const logger = new Logger({ serviceName: 'tradewatch' });
const metrics = new Metrics({ namespace: 'tradewatch', serviceName: 'query' });
const store = createReadStore(config);
const detectionFor = (reporter: string) => detectionConfigFor(config.watchlist, config.detection, reporter);

/** GET /series, /series/{id}/observations, /series/{id}/chart, /alerts behind API Gateway (IAM authorization). */
export const handler = middy(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const response = await handleQuery(event, { ...store, groups: config.groups, detectionFor });
  // API Gateway counts requests by status already; these say how many the checks turned away.
  metrics.addMetric(response.statusCode >= 400 ? 'QueryRefused' : 'QueryAnswered', MetricUnit.Count, 1);
  if (response.statusCode >= 400) logger.info('Query refused', { routeKey: event.routeKey, statusCode: response.statusCode });
  if (response.contentType) return { statusCode: response.statusCode, headers: { 'content-type': response.contentType }, body: String(response.body) };
  return { statusCode: response.statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response.body) };
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
