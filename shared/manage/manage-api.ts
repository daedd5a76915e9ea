import { describeIssue } from '../describe-issue.js';
import { newSubscriptionSchema } from '../domain/alerts/subscription.js';
import type { QueryRequest, QueryResponse } from '../query/query-api.js';
import type * as z from '../zod.js';
import { listSubscriptions, subscribe, SubscriptionConflictError, unsubscribe, type SubscriptionAdminDependencies } from './subscription-admin.js';
import { addWatchEntry, listWatchEntries, newWatchEntrySchema, previewWatchEntry, removeWatchEntry, type WatchlistAdminDependencies } from './watchlist-admin.js';
import { withoutConsolePrefix } from '../query/console-routes.js';

/** Who is calling: IAM-signed (a machine, an operator) or a console user with their Cognito groups. */
export interface Caller {
  readonly iam: boolean;
  readonly groups: readonly string[];
}

/** A manage API request: the query API's shape, the JSON body, and the caller. */
export interface ManageRequest extends QueryRequest {
  readonly body?: string | undefined;
  readonly isBase64Encoded?: boolean | undefined;
  readonly caller: Caller;
}

export type ManageResponse = Omit<QueryResponse, 'contentType'>;

export interface ManageDependencies {
  readonly watchlist: WatchlistAdminDependencies;
  /** Undefined where no alert topic is configured: the subscription routes answer 503. */
  readonly subscriptions: SubscriptionAdminDependencies | undefined;
}

/** The group whose members may change the watchlist and the subscriptions from the console. */
export const ADMINS_GROUP = 'admins';

/**
 * The caller as API Gateway's HTTP API describes it: an IAM authorizer's context, or a JWT
 * authorizer's claims, where `cognito:groups` arrives as `[admins readers]` (or a bare name).
 */
export function callerOf(requestContext: { readonly authorizer?: { readonly iam?: unknown; readonly jwt?: { readonly claims?: Record<string, unknown> } } } | undefined): Caller {
  const authorizer = requestContext?.authorizer;
  const raw = authorizer?.jwt?.claims?.['cognito:groups'];
  const groups = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean) : [];
  return { iam: authorizer?.iam !== undefined && authorizer.iam !== null, groups };
}

const mayWrite = (caller: Caller) => caller.iam || caller.groups.includes(ADMINS_GROUP);

class ClientError extends Error {
  constructor(
    readonly statusCode: 400 | 403 | 404 | 409 | 503,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

const WRITES = new Set(['POST /watchlist', 'DELETE /watchlist/{id}', 'POST /subscriptions', 'DELETE /subscriptions/{id}']);
const ID = /^[a-f0-9]{12}$/;

function bodyOf<T extends z.ZodMiniType>(request: ManageRequest, schema: T): z.output<T> {
  let json: unknown;
  try {
    const text = request.isBase64Encoded && request.body ? Buffer.from(request.body, 'base64').toString('utf8') : request.body;
    json = JSON.parse(text ?? '');
  } catch {
    throw new ClientError(400, 'body: expected a JSON object', 'body');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const described = describeIssue(issue);
    // The field as described: a union's complaint names the element within it (partners.1).
    const field = issue.path.length > 0 ? described.slice(0, described.indexOf(': ')) : 'body';
    throw new ClientError(400, `body ${issue.path.length > 0 ? described : `(the whole body): ${described}`}`, field);
  }
  return parsed.data;
}

function idOf(request: ManageRequest): string {
  const id = request.pathParameters?.id ?? '';
  if (!ID.test(id)) throw new ClientError(400, `path parameter "id": expected an id as listed (12 hexadecimal characters), got "${id}"`, 'id');
  return id;
}

function subscriptionsOf(deps: ManageDependencies): SubscriptionAdminDependencies {
  if (!deps.subscriptions) throw new ClientError(503, 'no alert topic is configured (ALERT_TOPIC_ARN): subscriptions cannot be managed here');
  return deps.subscriptions;
}

/** The manage API's routes: authorize, parse and validate, call the same services the CLI calls, shape the answer. */
export async function handleManageRequest(deps: ManageDependencies, consoleOrMachineRequest: ManageRequest): Promise<ManageResponse> {
  // The console's JWT-authorized copies (/console/watchlist) are answered as the machines' routes.
  const request = { ...consoleOrMachineRequest, routeKey: withoutConsolePrefix(consoleOrMachineRequest.routeKey) };
  try {
    if (WRITES.has(request.routeKey) && !mayWrite(request.caller)) {
      throw new ClientError(403, `only IAM-signed callers and members of the "${ADMINS_GROUP}" group may change the watchlist and subscriptions`);
    }
    switch (request.routeKey) {
      case 'GET /watchlist':
        return { statusCode: 200, body: await listWatchEntries(deps.watchlist) };
      case 'POST /watchlist/preview':
        return { statusCode: 200, body: await previewWatchEntry(deps.watchlist, bodyOf(request, newWatchEntrySchema)) };
      case 'POST /watchlist': {
        const { entry, preview } = await addWatchEntry(deps.watchlist, bodyOf(request, newWatchEntrySchema));
        return { statusCode: 201, body: { entry, preview } };
      }
      case 'DELETE /watchlist/{id}': {
        const id = idOf(request);
        if (!(await removeWatchEntry(deps.watchlist, id))) throw new ClientError(404, `no watchlist entry ${id}`, 'id');
        return { statusCode: 204, body: undefined };
      }
      case 'GET /subscriptions':
        return { statusCode: 200, body: { subscriptions: await listSubscriptions(subscriptionsOf(deps)) } };
      case 'POST /subscriptions': {
        const admin = subscriptionsOf(deps);
        const { subscription } = await subscribe(admin, bodyOf(request, newSubscriptionSchema));
        return { statusCode: 201, body: { subscription } };
      }
      case 'DELETE /subscriptions/{id}': {
        const id = idOf(request);
        if (!(await unsubscribe(subscriptionsOf(deps), id))) throw new ClientError(404, `no subscription ${id}`, 'id');
        return { statusCode: 204, body: undefined };
      }
      default:
        return { statusCode: 404, body: { error: `no route ${request.routeKey}` } };
    }
  } catch (error) {
    if (error instanceof ClientError) return { statusCode: error.statusCode, body: { error: error.message, ...(error.parameter ? { parameter: error.parameter } : {}) } };
    if (error instanceof SubscriptionConflictError) return { statusCode: 409, body: { error: error.message, parameter: 'endpoint' } };
    throw error;
  }
}
