import type { CliConfig } from '../config/functions.js';
import { manageNotAvailable, type ManageHandler } from './serve.js';

/**
 * THE ONE PLACE the local console routes the watchlist and subscription routes (GET/POST
 * /watchlist, POST /watchlist/preview, DELETE /watchlist/{id}, GET/POST /subscriptions, DELETE
 * /subscriptions/{id}). Until shared/manage/manage-api.ts is merged they answer 501; wiring it is
 * this function's one line: `return (request) => handleManageRequest(<its deps from config>, request);`
 */
export function manageHandlerFor(_config: CliConfig): ManageHandler {
  return manageNotAvailable;
}
