import { createHash } from 'node:crypto';
import * as z from '../zod.js';
import { areaInputSchema } from '../domain/countries.js';
import type { Groups } from '../domain/groups.js';
import { instantSchema } from '../domain/instant.js';
import { periodSchema } from '../domain/period.js';
import { severitySchema } from '../domain/severity.js';
import { parseSeriesId, seriesKeySchema } from '../domain/series.js';
import { isMirrorId, parseMirrorId } from '../domain/mirror.js';
import { readMirror } from './read-mirror.js';
import { alertThread } from './alert-thread.js';
import { withoutConsolePrefix } from './console-routes.js';
import { readSeries, UnknownSeriesError } from './read-series.js';
import { seriesChart, seriesChartData } from './series-chart.js';
import { seriesView, seriesViewSchema } from './series-views.js';
import type { LoadDetectionFor } from '../detect/detect-changes.js';
import type { AlertHistory } from '../store/alert-repository.js';
import { alertHeadline, renderEmail, seriesTitle } from '../domain/alerts/alert-text.js';
import { PageStartOutOfRangeError, type Page, type PageRequest } from '../store/seek-page.js';
import type { SeriesReader } from '../store/series-repository.js';
import type { TrackingStatus } from './tracking-status.js';

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
  /** Detection settings per reporter, as the ingest worker applies them (charts mark what it would alert): read by the requests that use them. */
  readonly loadDetectionFor: LoadDetectionFor;
  /** Where tracking stands (see trackingStatus), for one reporter's entries or all. */
  readonly status: (reporter: string | undefined) => Promise<TrackingStatus>;
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
    reporter: z.optional(areaInputSchema),
    partner: z.optional(areaInputSchema),
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
  'GET /series/{id}/chart': z.object({ from: z.optional(periodSchema), to: z.optional(periodSchema), format: z._default(z.enum(['svg', 'json']), 'svg') }),
  'GET /status': z.object({ reporter: z.optional(areaInputSchema) }),
  'GET /alerts': z.object({
    since: z.optional(instantSchema('start')),
    severity: z.optional(severitySchema),
    reporter: z.optional(areaInputSchema),
    partner: z.optional(areaInputSchema),
    commodity: z.optional(seriesKeySchema.shape.commodity),
    direction: z.optional(z.enum(['up', 'down'])),
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

/**
 * A cursor is opaque to clients: base64url of `{"a": <the index sort key the next page starts
 * after>, "h": <fingerprint>}`, the fingerprint a hash of the route, the query's filters (not
 * `limit`: pages may change size) and that key. A cursor used with other filters, or edited,
 * fails the fingerprint and is a 400 naming `cursor`. The hash has no secret, so a determined
 * client can forge one; but the cursor only says where in the query's own key range to start
 * (the partition and the range come from the filters), and a start outside that range is refused
 * by the store, also a 400: a forged cursor reads nothing the query could not.
 */
type Filters = Readonly<Record<string, string | undefined>>;

function fingerprint(route: string, filters: Filters, after: string): string {
  const defined = Object.keys(filters)
    .filter((name) => filters[name] !== undefined)
    .sort()
    .map((name) => [name, filters[name]]);
  return createHash('sha256')
    .update(JSON.stringify([route, defined, after]))
    .digest('base64url')
    .slice(0, 22);
}

export function encodeCursor(route: string, filters: Filters, after: string): string {
  return Buffer.from(JSON.stringify({ a: after, h: fingerprint(route, filters, after) })).toString('base64url');
}

const cursorContent = z.object({ a: z.string().check(z.minLength(1)), h: z.string() });

const badCursor = () => new ClientError(400, 'query parameter "cursor": not a cursor this API handed out for these filters', 'cursor');

function decodeCursor(route: string, filters: Filters, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const decoded = cursorContent.safeParse(json);
  if (!decoded.success || decoded.data.h !== fingerprint(route, filters, decoded.data.a)) throw badCursor();
  return decoded.data.a;
}

/** One API page from one store page: the items, and a cursor when the listing has more. */
async function onePage<T>(route: string, filters: Filters, q: { limit: number; cursor?: string | undefined }, read: (page: PageRequest) => Promise<Page<T>>) {
  const after = decodeCursor(route, filters, q.cursor);
  try {
    const page = await read({ limit: q.limit, after });
    return { items: page.items, nextCursor: page.nextAfter !== undefined ? encodeCursor(route, filters, page.nextAfter) : null };
  } catch (error) {
    if (error instanceof PageStartOutOfRangeError) throw badCursor();
    throw error;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function seriesIdParameter(request: QueryRequest): string {
  const id = request.pathParameters?.id ?? '';
  try {
    if (isMirrorId(id)) parseMirrorId(id);
    else parseSeriesId(id);
  } catch (error) {
    throw new ClientError(400, `path parameter "id": ${(error as Error).message}`, 'id');
  }
  return id;
}

/** The query API's routes: parse and validate, call the store, shape the answer. */
export async function handleQuery(request: QueryRequest, deps: QueryDependencies): Promise<QueryResponse> {
  const query = request.queryStringParameters ?? {};
  const routeKey = withoutConsolePrefix(request.routeKey);
  try {
    switch (routeKey) {
      case 'GET /series': {
        const q = parse('GET /series', query);
        // An empty source filters nothing, as it always has.
        const filters = { reporter: q.reporter, partner: q.partner, flow: q.flow, source: q.source || undefined };
        const page = await onePage(routeKey, filters, q, (page) => deps.series.pageSeries(filters, page));
        return { statusCode: 200, body: { ...page, items: page.items.map((item) => ({ ...item, title: seriesTitle(item) })) } };
      }
      case 'GET /series/{id}/observations': {
        const id = seriesIdParameter(request);
        const q = parse('GET /series/{id}/observations', query);
        const asOf = q.asOf;
        if (isMirrorId(id)) {
          if (q.view === 'unit-value') throw new ClientError(400, `query parameter "view": a mirror series is served monthly, ytd, yoy or annual, not ${q.view}`, 'view');
          const detection = (await deps.loadDetectionFor())(parseMirrorId(id).reporter);
          const { view, ...mirror } = await readMirror(id, (seriesId) => deps.series.getObservations(seriesId), { margin: detection.cifFobMargin, view: q.view, detection, from: q.from, to: q.to, asOf });
          // `view: 'mirror'` as before; which of the mirror's views, in `mirrorView`.
          return { statusCode: 200, body: { ...mirror, ...(asOf ? { asOf } : {}), view: 'mirror', mirrorView: view } };
        }
        const all = await readSeries(id, (seriesId) => deps.series.getObservations(seriesId), deps.groups, asOf);
        if (all.length === 0) throw new ClientError(404, `no observations for ${id}${asOf ? ` as of ${asOf}` : ''}`);
        return { statusCode: 200, body: { seriesId: id, ...(asOf ? { asOf } : {}), ...seriesView(all, q.view, { ...q, series: parseSeriesId(id), detectionFor: await deps.loadDetectionFor() }) } };
      }
      case 'GET /series/{id}/chart': {
        const id = seriesIdParameter(request);
        const q = parse('GET /series/{id}/chart', query);
        const chart = { id, load: (seriesId: string) => deps.series.getObservations(seriesId), groups: deps.groups, detectionFor: await deps.loadDetectionFor(), from: q.from, to: q.to };
        if (q.format === 'json') return { statusCode: 200, body: await seriesChartData(chart) };
        const svg = await seriesChart(chart, 'svg');
        return { statusCode: 200, body: svg, contentType: 'image/svg+xml' };
      }
      case 'GET /alerts': {
        const q = parse('GET /alerts', query);
        const filters = { since: q.since, severity: q.severity, reporter: q.reporter, partner: q.partner, commodity: q.commodity, direction: q.direction };
        const page = await onePage(routeKey, filters, q, (page) => deps.alerts.page(filters, page));
        return { statusCode: 200, body: { ...page, items: page.items.map((alert) => ({ ...alert, title: alertHeadline(alert.anomaly) })) } };
      }
      case 'GET /alerts/{key}': {
        // A dedup key holds '#': clients send it encoded, and a key never holds '%' of its own.
        const raw = request.pathParameters?.key ?? '';
        const key = raw.includes('%') ? safeDecode(raw) : raw;
        const alert = key.length > 0 && key.length <= 500 ? await deps.alerts.get(key) : undefined;
        if (!alert) throw new ClientError(404, `no alert ${JSON.stringify(key.slice(0, 100))}`);
        return { statusCode: 200, body: { ...alert, title: alertHeadline(alert.anomaly), text: renderEmail(alert.anomaly), thread: alertThread(alert) } };
      }
      case 'GET /status': {
        const q = parse('GET /status', query);
        return { statusCode: 200, body: await deps.status(q.reporter) };
      }
      default:
        return { statusCode: 404, body: { error: `no route ${routeKey}` } };
    }
  } catch (error) {
    if (error instanceof ClientError) return { statusCode: error.statusCode, body: { error: error.message, ...(error.parameter ? { parameter: error.parameter } : {}) } };
    if (error instanceof UnknownSeriesError) return { statusCode: 404, body: { error: error.message } };
    throw error;
  }
}
