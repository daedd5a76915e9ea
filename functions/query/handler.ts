import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadQueryConfig } from '../../shared/config/functions.js';
import { observability } from '../../shared/observability.js';
import { handleQuery } from '../../shared/query/query-api.js';
import { createReadStore, statusOf, storedDetection } from '../../shared/wiring.js';

const config = loadQueryConfig();
const { logger, count, observe } = observability('query');
const store = createReadStore(config);
const reader = { ...store, groups: config.groups, loadDetectionFor: storedDetection(store.watchlist, config), status: statusOf(store, config) };

/** GET /series, /series/{id}/observations, /series/{id}/chart, /alerts, /alerts/{key}, /status behind API Gateway: IAM authorization, and the console's copies under /console with a Cognito JWT. */
export const handler = observe(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const response = await handleQuery(event, reader);
  // API Gateway counts requests by status already; these say how many the checks turned away.
  const refused = response.statusCode >= 400;
  count(refused ? 'QueryRefused' : 'QueryAnswered', 1);
  if (refused) logger.info('Query refused', { routeKey: event.routeKey, statusCode: response.statusCode });
  const body = response.contentType ? String(response.body) : JSON.stringify(response.body);
  return { statusCode: response.statusCode, headers: { 'content-type': response.contentType ?? 'application/json' }, body };
});
