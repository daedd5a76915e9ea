/**
 * The HTTP API's routes, and the console's copy of them. On AWS one route has one authorizer, so
 * the console's (a Cognito JWT) sit under CONSOLE_PREFIX beside the IAM routes machines sign; the
 * handlers answer both alike once the prefix is taken off.
 */
export const CONSOLE_PREFIX = '/console';

/** The read routes (shared/query/query-api.ts). */
export const QUERY_ROUTES = ['GET /series', 'GET /series/{id}/observations', 'GET /series/{id}/chart', 'GET /alerts', 'GET /alerts/{key}', 'GET /status'] as const;

/** The watchlist and subscription routes (shared/manage/manage-api.ts). */
export const MANAGE_ROUTES = [
  'GET /watchlist',
  'POST /watchlist/preview',
  'POST /watchlist',
  'DELETE /watchlist/{id}',
  'GET /subscriptions',
  'POST /subscriptions',
  'DELETE /subscriptions/{id}',
] as const;

export function splitRoute(route: string): { method: string; path: string } {
  const [method, path] = route.split(' ');
  return { method: method!, path: path! };
}

/** `GET /console/series` → `GET /series`; other route keys as they are. */
export function withoutConsolePrefix(routeKey: string): string {
  const { method, path } = splitRoute(routeKey);
  return path?.startsWith(`${CONSOLE_PREFIX}/`) ? `${method} ${path.slice(CONSOLE_PREFIX.length)}` : routeKey;
}
