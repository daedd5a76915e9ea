import * as z from '../zod.js';
import { countryCodeSchema } from '../domain/codes.js';
import type { Groups } from '../domain/groups.js';
import { instantSchema } from '../domain/instant.js';
import { periodSchema } from '../domain/period.js';
import { severitySchema } from '../domain/severity.js';
import { parseSeriesId } from '../domain/series.js';
import { readSeries, UnknownSeriesError } from './read-series.js';
import { seriesChart } from './series-chart.js';
import { seriesView, seriesViewSchema } from './series-views.js';
import type { DetectionConfig } from '../domain/detection/index.js';
import type { AlertHistory } from '../store/alert-repository.js';
import type { SeriesReader } from '../store/series-repository.js';

/** What the HTTP API needs of an API Gateway request. */
export interface QueryRequest {
  readonly routeKey: string;
  readonly pathParameters?: Record<string, string | undefined> | undefined;
  readonly queryStringParameters?: Record<string, string | undefined> | undefined;
}

export interface QueryResponse {
  readonly statusCode: number;
  /** JSON unless `contentType` says otherwise (the chart is SVG). */
  readonly body: unknown;
  readonly contentType?: 'image/svg+xml';
}

export interface QueryDependencies {
  readonly series: SeriesReader;
  readonly alerts: AlertHistory;
  readonly groups: Groups;
  /** Detection settings per reporter, as the ingest worker applies them: charts mark what it would alert. */
  readonly detectionFor: (reporter: string) => DetectionConfig;
}

/** A client mistake, answered 4xx with a message naming the parameter. */
class ClientError extends Error {
  constructor(
    readonly statusCode: 400 | 404,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

const limit = z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(500)), 100);
const cursor = z.optional(z.string().check(z.maxLength(1000)));

const schemas = {
  'GET /series': z.object({
    reporter: z.optional(countryCodeSchema),
    partner: z.optional(countryCodeSchema),
    flow: z.optional(z.enum(['export', 'import'])),
    source: z.optional(z.string().check(z.maxLength(40))),
    limit,
    cursor,
  }),
  'GET /series/{id}/observations': z.object({
    from: z.optional(periodSchema),
    to: z.optional(periodSchema),
    /** What was known then: a bare date means the end of that day (as in the CLI). */
    asOf: z.optional(instantSchema('end')),
    view: z._default(seriesViewSchema, 'monthly'),
  }),
  'GET /series/{id}/chart': z.object({ from: z.optional(periodSchema), to: z.optional(periodSchema) }),
  'GET /alerts': z.object({
    since: z.optional(instantSchema('start')),
    severity: z.optional(severitySchema),
    limit,
    cursor,
  }),
} as const;

function parse<K extends keyof typeof schemas>(route: K, query: Record<string, string | undefined>): z.infer<(typeof schemas)[K]> {
  const result = schemas[route].safeParse(query);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const parameter = String(issue.path[0] ?? 'query');
    throw new ClientError(400, `query parameter "${parameter}": ${issue.message}`, parameter);
  }
  return result.data as z.infer<(typeof schemas)[K]>;
}

/** Opaque to clients: the position after which the next page starts. */
export function encodeCursor(position: string): string {
  return Buffer.from(JSON.stringify({ after: position })).toString('base64url');
}

function decodeCursor(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof decoded.after === 'string') return decoded.after;
  } catch {
    // fall through to the client error below
  }
  throw new ClientError(400, 'query parameter "cursor": not a cursor this API handed out', 'cursor');
}

function page<T>(items: readonly T[], positionOf: (item: T) => string, after: string | undefined, size: number) {
  const start = after === undefined ? 0 : items.findIndex((item) => positionOf(item) > after);
  const rest = start < 0 ? [] : items.slice(start);
  const chosen = rest.slice(0, size);
  const next = rest.length > size ? encodeCursor(positionOf(chosen.at(-1)!)) : null;
  return { items: chosen, nextCursor: next };
}

function seriesIdParameter(request: QueryRequest): string {
  const id = request.pathParameters?.id ?? '';
  try {
    parseSeriesId(id);
  } catch (error) {
    throw new ClientError(400, `path parameter "id": ${(error as Error).message}`, 'id');
  }
  return id;
}

/** The query API's routes: parse and validate, call the store, shape the answer. */
export async function handleQuery(request: QueryRequest, deps: QueryDependencies): Promise<QueryResponse> {
  const query = request.queryStringParameters ?? {};
  try {
    switch (request.routeKey) {
      case 'GET /series': {
        const q = parse('GET /series', query);
        const all = (await deps.series.listSeries(q.reporter ? { reporter: q.reporter } : {}))
          .filter((s) => (!q.partner || s.partner === q.partner) && (!q.flow || s.flow === q.flow) && (!q.source || s.source === q.source))
          .sort((a, b) => a.seriesId.localeCompare(b.seriesId));
        return { statusCode: 200, body: page(all, (s) => s.seriesId, decodeCursor(q.cursor), q.limit) };
      }
      case 'GET /series/{id}/observations': {
        const id = seriesIdParameter(request);
        const q = parse('GET /series/{id}/observations', query);
        const asOf = q.asOf;
        const all = await readSeries(id, (seriesId) => deps.series.getObservations(seriesId), deps.groups, asOf);
        if (all.length === 0) throw new ClientError(404, `no observations for ${id}${asOf ? ` as of ${asOf}` : ''}`);
        return { statusCode: 200, body: { seriesId: id, ...(asOf ? { asOf } : {}), ...seriesView(all, q.view, q) } };
      }
      case 'GET /series/{id}/chart': {
        const id = seriesIdParameter(request);
        const q = parse('GET /series/{id}/chart', query);
        const svg = await seriesChart({ id, load: (seriesId) => deps.series.getObservations(seriesId), groups: deps.groups, detectionFor: deps.detectionFor, from: q.from, to: q.to }, 'svg');
        return { statusCode: 200, body: svg, contentType: 'image/svg+xml' };
      }
      case 'GET /alerts': {
        const q = parse('GET /alerts', query);
        const records = await deps.alerts.list({ ...(q.since ? { since: q.since } : {}), ...(q.severity ? { severity: q.severity } : {}) });
        return { statusCode: 200, body: page(records, (r) => `${r.createdAt}#${r.dedupKey}`, decodeCursor(q.cursor), q.limit) };
      }
      default:
        return { statusCode: 404, body: { error: `no route ${request.routeKey}` } };
    }
  } catch (error) {
    if (error instanceof ClientError) return { statusCode: error.statusCode, body: { error: error.message, ...(error.parameter ? { parameter: error.parameter } : {}) } };
    if (error instanceof UnknownSeriesError) return { statusCode: 404, body: { error: error.message } };
    throw error;
  }
}
