import type { CliConfig } from '../config/functions.js';
import { handleManageRequest } from '../manage/manage-api.js';
import { manageServices } from '../wiring.js';
import type { ManageHandler } from './serve.js';

/**
 * The local console's watchlist and subscription routes: the manage API's own handler over the
 * local store and alert topic. There is no sign-in on 127.0.0.1, so the caller may write, as an
 * IAM-signed one may on AWS.
 */
export function manageHandlerFor(config: CliConfig): ManageHandler {
  const services = manageServices(config);
  return (request) => handleManageRequest(services, { ...request, caller: { iam: true, groups: [] } });
}
