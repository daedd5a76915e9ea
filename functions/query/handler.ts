import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config.js';
import { handleQuery } from '../../shared/query/query-api.js';
import { createReadStore } from '../../shared/services.js';

const config = loadConfig();
const logger = new Logger({ serviceName: 'tradewatch' });
const store = createReadStore(config);

/** GET /series, /series/{id}/observations, /alerts behind API Gateway (IAM authorization). */
export const handler = middy(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const response = await handleQuery(event, { ...store, groups: config.groups, detection: config.detection });
  if (response.statusCode >= 400) logger.info('Query refused', { routeKey: event.routeKey, statusCode: response.statusCode });
  if (response.contentType) return { statusCode: response.statusCode, headers: { 'content-type': response.contentType }, body: String(response.body) };
  return { statusCode: response.statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response.body) };
}).use(injectLambdaContext(logger));
