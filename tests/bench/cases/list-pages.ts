import { storedAlertItem } from '../../support/stored-alert-item.js';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { defaultDetectionConfig, detectAnomalies, type Anomaly } from '../../../shared/domain/detection/index.js';
import { seriesId, type SeriesKey } from '../../../shared/domain/series.js';
import { ensureTable } from '../../../shared/local/dynamodb-local.js';
import { DEFAULT_GROUPS } from '../../../shared/domain/groups.js';
import { encodeCursor, handleQuery } from '../../../shared/query/query-api.js';
import { AlertHistory } from '../../../shared/store/alert-repository.js';
import { batchPut } from '../../../shared/store/batch-writer.js';
import { createDocumentClient } from '../../../shared/store/client.js';
import { REPORTERS_PK, SERIES_META_SK, seriesByReporterPk, seriesByReporterSk, seriesPk } from '../../../shared/store/keys.js';
import { SeriesReader } from '../../../shared/store/series-repository.js';
import { RunRepository } from '../../../shared/store/run-repository.js';
import { BackfillRepository } from '../../../shared/store/backfill-repository.js';
import { WatchlistReader } from '../../../shared/store/watchlist-repository.js';
import { loadQueryConfig } from '../../../shared/config/functions.js';
import { statusOf } from '../../../shared/wiring.js';
import { GSI2 } from '../../../shared/store/table-definition.js';
import { demoSeries } from '../../support/demo-series.js';
import type { BenchContext, BenchResult } from '../bench-context.js';

const SIZES = [1_000, 100_000] as const;
const RUNS = 300;
const WARMUP = 300;
const LIMIT = '100';

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const code = (n: number) => `Q${String(n).padStart(2, '0')}`;

/** `count` series keys over 20 reporters, 50 partners, both flows and as many commodities as it takes. */
function seriesKeys(count: number): SeriesKey[] {
  return Array.from({ length: count }, (_, i) => ({
    source: 'comtrade',
    reporter: code(i % 20),
    partner: code(Math.floor(i / 20) % 50),
    flow: Math.floor(i / 1000) % 2 === 0 ? 'export' : 'import',
    commodity: `C${String(Math.floor(i / 2000)).padStart(4, '0')}`,
    currency: 'USD',
  }));
}

/** The metadata item exactly as SeriesRepository's refreshMetadata stores it (and the reporter registry beside it). */
function metadataItem(key: SeriesKey): Record<string, unknown> {
  return {
    pk: seriesPk(seriesId(key)),
    sk: SERIES_META_SK,
    gsi1pk: seriesByReporterPk(key.reporter),
    gsi1sk: seriesByReporterSk(key),
    ...key,
    seriesId: seriesId(key),
    firstPeriod: '2005-01',
    lastPeriod: '2024-12',
    observationCount: 240,
    updatedAt: '2025-01-20T00:00:00.000Z',
    observationsVersion: 240,
  };
}

/** An alert record as AlertRepository stores it once sent, with a small anomaly. */
function alertItem(i: number, anomaly: Anomaly): Record<string, unknown> {
  const dedupKey = `comtrade.CHN.${code(i % 50)}.export.TOTAL.USD#${i}#yoy-robust-z`;
  const createdAt = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
  const severity = (['info', 'warning', 'critical'] as const)[i % 3]!;
  return storedAlertItem({ anomaly, dedupKey, createdAt, severity, status: 'SENT', routes: ['feed'], deliveries: { feed: `message-${i}` } });
}

interface Timing {
  readonly p50: number;
  readonly p99: number;
  readonly queriesPerPage: number;
  readonly items: number;
}

type Ask = () => Promise<{ statusCode: number; body: unknown }>;

/** One table's side of a timed page: how to ask for it, and the Query calls its client made. */
interface Side {
  readonly ask: Ask;
  readonly counter: { queries: number };
}

/**
 * The same page at each size, `RUNS` requests each after `WARMUP` unmeasured ones, the sizes
 * taking turns request by request (which one goes first alternating), so that the load of a
 * shared machine, which comes and goes over seconds, weighs on both alike and the ratio is the
 * page's own. Query calls are counted per page.
 */
async function timeSideBySide(sides: readonly Side[]): Promise<Timing[]> {
  for (let i = 0; i < WARMUP; i++) for (const side of sides) await side.ask();
  const samples = sides.map(() => [] as number[]);
  const items = sides.map(() => 0);
  for (const side of sides) side.counter.queries = 0;
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 === 0 ? sides.map((_, n) => n) : sides.map((_, n) => sides.length - 1 - n);
    for (const n of order) {
      const start = performance.now();
      const response = await sides[n]!.ask();
      samples[n]!.push(performance.now() - start);
      if (response.statusCode !== 200) throw new Error(`page answered ${response.statusCode}: ${JSON.stringify(response.body)}`);
      items[n] = (response.body as { items: unknown[] }).items.length;
    }
  }
  return sides.map((side, n) => ({ p50: percentile(samples[n]!, 50), p99: percentile(samples[n]!, 99), queriesPerPage: side.counter.queries / RUNS, items: items[n]! }));
}

function countQueries(doc: DynamoDBDocumentClient): { queries: number } {
  const counter = { queries: 0 };
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') counter.queries++;
      return next(args);
    },
    { step: 'initialize' },
  );
  return counter;
}

/** The old way of starting a page, for comparison: the middle series page through an ExclusiveStartKey. */
function exclusiveStartKeyPage(doc: DynamoDBDocumentClient, tableName: string, middleId: string): Ask {
  return async () => {
    const result = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: GSI2,
        KeyConditionExpression: 'sk = :pk',
        ExpressionAttributeValues: { ':pk': SERIES_META_SK },
        ExclusiveStartKey: { pk: seriesPk(middleId), sk: SERIES_META_SK, seriesId: middleId },
        Limit: Number(LIMIT),
      }),
    );
    return { statusCode: 200, body: { items: result.Items ?? [] } };
  };
}

const PAGES = ['first', 'middle', 'last'] as const;
type PageName = (typeof PAGES)[number];
const ROUTES = ['GET /series', 'GET /alerts'] as const;

/** A table of `size` series and `size` alerts, and each page of each route as a request. */
async function fixture(context: BenchContext, size: number, anomalyTemplate: Anomaly) {
  const doc = createDocumentClient(context.dynamo);
  const tableName = `bench-${randomUUID()}`;
  await ensureTable(context.dynamo, tableName);
  const keys = seriesKeys(size);
  const setupStart = performance.now();
  await batchPut(doc, tableName, [
    ...keys.map(metadataItem),
    ...[...new Set(keys.map((k) => k.reporter))].map((reporter) => ({ pk: REPORTERS_PK, sk: reporter, updatedAt: '2025-01-20T00:00:00.000Z' })),
    ...Array.from({ length: size }, (_, i) => alertItem(i, anomalyTemplate)),
  ]);
  const written = `${size.toLocaleString('en')} series and ${size.toLocaleString('en')} alerts written with batch writes in ${((performance.now() - setupStart) / 1000).toFixed(0)} s`;
  const counter = countQueries(doc);
  const deps = { series: new SeriesReader(doc, tableName), alerts: new AlertHistory(doc, tableName), status: statusOf({ series: new SeriesReader(doc, tableName), watchlist: new WatchlistReader(doc, tableName), runs: new RunRepository(doc, tableName), backfill: new BackfillRepository(doc, tableName) }, loadQueryConfig({})), groups: DEFAULT_GROUPS, loadDetectionFor: async () => () => defaultDetectionConfig };
  const ask = (routeKey: string, cursor: string | undefined): Ask => () => handleQuery({ routeKey, queryStringParameters: { limit: LIMIT, ...(cursor ? { cursor } : {}) } }, deps);
  // Cursors as the API hands them out for the page ending just before the middle item, and before the last full page.
  const ids = keys.map((k) => seriesId(k)).sort();
  const before: Record<PageName, number | undefined> = { first: undefined, middle: size / 2 - 1, last: size - Number(LIMIT) - 1 };
  const cursorOf: Record<(typeof ROUTES)[number], (i: number) => string> = {
    'GET /series': (i) => encodeCursor('GET /series', {}, ids[i]!),
    'GET /alerts': (i) => encodeCursor('GET /alerts', {}, String(alertItem(i, anomalyTemplate).gsi1sk)),
  };
  const page = (route: (typeof ROUTES)[number], name: PageName): Side => {
    const i = before[name];
    return { ask: ask(route, i === undefined ? undefined : cursorOf[route](i)), counter };
  };
  return { written, page, startKeyPage: { ask: exclusiveStartKeyPage(doc, tableName, ids[before.middle!]!), counter }, close: () => doc.destroy() };
}

/**
 * `GET /series?limit=100` and `GET /alerts?limit=100` at 1k and 100k stored items, both tables in
 * the one DynamoDB Local: the first page, the middle one and the last full one (the last two
 * through a cursor as the API hands it out for the page before), p50 and p99 over 300 requests
 * at each size, taken in turns (timeSideBySide), and the Query calls each page made. The items
 * are written with batch writes directly in the shape the repositories store (metadata as
 * refreshMetadata writes it, alerts as a sent record), to keep the setup fast.
 */
export async function listPages(context: BenchContext): Promise<BenchResult> {
  const demo = demoSeries('AZE', 'trade');
  const anomalyTemplate = detectAnomalies({ series: demo.key, observations: demo.observations }).anomalies[0]!;
  const tables = [];
  for (const size of SIZES) tables.push(await fixture(context, size, anomalyTemplate));
  const figures = tables.map((t) => t.written);
  const ratios: number[] = [];
  const queriesPerPage = new Set<number>();
  try {
    for (const route of ROUTES) {
      const lines: string[] = [];
      for (const page of PAGES) {
        const [small, large] = await timeSideBySide(tables.map((t) => t.page(route, page)));
        for (const [size, t] of [[SIZES[0], small!], [SIZES[1], large!]] as const) {
          queriesPerPage.add(t.queriesPerPage);
          figures.push(`${route}?limit=${LIMIT} ${page.padEnd(6)} page at ${size.toLocaleString('en').padStart(7)}: ${t.items} items, p50 ${t.p50.toFixed(2)} ms, p99 ${t.p99.toFixed(2)} ms`);
        }
        ratios.push(large!.p50 / small!.p50);
        lines.push(`${route} ${page.padEnd(6)} page, 100k / 1k: p50 ${(large!.p50 / small!.p50).toFixed(2)}x, p99 ${(large!.p99 / small!.p99).toFixed(2)}x (goal ≤ 1.5x)`);
      }
      figures.push(...lines);
    }
    figures.push(`Queries per page: ${[...queriesPerPage].map((n) => String(Number(n.toFixed(2)))).join(', ')}`);
    const [small, large] = await timeSideBySide(tables.map((t) => t.startKeyPage));
    figures.push(`control: the middle series page through an ExclusiveStartKey, as pages started before: p50 ${small!.p50.toFixed(2)} ms at 1k, ${large!.p50.toFixed(2)} ms at 100k (${(large!.p50 / small!.p50).toFixed(2)}x)`);
  } finally {
    for (const t of tables) t.close();
  }
  return {
    name: 'list pages: GET /series and GET /alerts at 1k and 100k stored items, DynamoDB Local',
    figures,
    ratio: { label: 'worst p50 of a page at 100k / at 1k', value: Math.max(...ratios) },
  };
}
