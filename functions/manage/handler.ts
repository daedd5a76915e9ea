import type { APIGatewayProxyEventV2WithRequestContext, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadManageConfig } from '../../shared/config/functions.js';
import { callerOf, handleManageRequest } from '../../shared/manage/manage-api.js';
import { observability } from '../../shared/observability.js';
import { manageServices } from '../../shared/wiring.js';

const config = loadManageConfig();
const { logger, count, observe } = observability('manage');
const services = manageServices(config);

type ManageEvent = APIGatewayProxyEventV2WithRequestContext<Parameters<typeof callerOf>[0] & { readonly routeKey: string }>;

/** GET/POST/DELETE /watchlist and /subscriptions: reads for any authenticated caller, writes for IAM callers and console admins. */
export const handler = observe(async (event: ManageEvent): Promise<APIGatewayProxyStructuredResultV2> => {
  const response = await handleManageRequest(services, { ...event, caller: callerOf(event.requestContext) });
  if (response.statusCode >= 400) {
    count('ManageRefused', 1);
    logger.info('Manage request refused', { routeKey: event.routeKey, statusCode: response.statusCode });
  } else if (/^(POST|DELETE) \/(watchlist|subscriptions)(\/\{id\})?$/.test(event.routeKey)) {
    count('ManageChanges', 1);
    logger.info('Watchlist or subscriptions changed', { routeKey: event.routeKey, statusCode: response.statusCode, id: event.pathParameters?.id });
  }
  if (response.body === undefined) return { statusCode: response.statusCode };
  return { statusCode: response.statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response.body) };
});
