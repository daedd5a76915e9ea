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
import { ALERTS_INDEX_PK, ALERT_SK, REPORTERS_PK, SERIES_META_SK, alertPk, alertsIndexSk, seriesByReporterPk, seriesByReporterSk, seriesPk } from '../../../shared/store/keys.js';
import { SeriesReader } from '../../../shared/store/series-repository.js';
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
  return {
    pk: alertPk(dedupKey),
    sk: ALERT_SK,
    gsi1pk: ALERTS_INDEX_PK,
    gsi1sk: alertsIndexSk(createdAt, dedupKey),
    dedupKey,
    seriesId: anomaly.seriesId,
    bucketKey: anomaly.bucketKey,
    severity,
    status: 'SENT',
    notice: 'alert',
    createdAt,
    updatedAt: createdAt,
    leaseExpiresAt: createdAt,
    attempts: 1,
    version: 1,
    routes: ['feed'],
    deliveries: { feed: `message-${i}` },
    sentAt: createdAt,
    anomaly: { ...anomaly, dedupKey, severity },
  };
}

interface Timing {
  readonly p50: number;
  readonly p99: number;
  readonly queriesPerPage: number;
  readonly items: number;
}

/** `RUNS` requests of one page, after `WARMUP` unmeasured ones; Query calls counted per page. */
async function timePage(counter: { queries: number }, ask: () => Promise<{ statusCode: number; body: unknown }>): Promise<Timing> {
  for (let i = 0; i < WARMUP; i++) await ask();
  const samples: number[] = [];
  counter.queries = 0;
  let items = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const response = await ask();
    samples.push(performance.now() - start);
    if (response.statusCode !== 200) throw new Error(`page answered ${response.statusCode}: ${JSON.stringify(response.body)}`);
    items = (response.body as { items: unknown[] }).items.length;
  }
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), queriesPerPage: counter.queries / RUNS, items };
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

/**
 * `GET /series?limit=100` and `GET /alerts?limit=100` at 1k and 100k stored items: the first page
 * and a middle one (through a cursor), p50 and p99 over 300 requests, and the Query calls each
 * page made. The items are written with batch writes directly in the shape the repositories store
 * (metadata as refreshMetadata writes it, alerts as a sent record), to keep the setup fast.
 */
export async function listPages(context: BenchContext): Promise<BenchResult> {
  const figures: string[] = [];
  const controls: string[] = [];
  const byRoute: Record<string, Record<number, { first: Timing; middle: Timing }>> = { 'GET /series': {}, 'GET /alerts': {} };
  const demo = demoSeries('AZE', 'trade');
  const anomalyTemplate = detectAnomalies({ series: demo.key, observations: demo.observations }).anomalies[0]!;
  for (const size of SIZES) {
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
    figures.push(`${size.toLocaleString('en')} series and ${size.toLocaleString('en')} alerts written with batch writes in ${((performance.now() - setupStart) / 1000).toFixed(0)} s`);
    const counter = countQueries(doc);
    const deps = { series: new SeriesReader(doc, tableName), alerts: new AlertHistory(doc, tableName), groups: DEFAULT_GROUPS, detectionFor: () => defaultDetectionConfig };
    const ask = (routeKey: string, query: Record<string, string>) => handleQuery({ routeKey, queryStringParameters: query }, deps);

    // A middle page's cursor, as the API hands it out for the page ending just before the middle item.
    const middleId = keys.map((k) => seriesId(k)).sort()[size / 2 - 1]!;
    const seriesCursor = encodeCursor('GET /series', {}, { pk: seriesPk(middleId), sk: SERIES_META_SK, seriesId: middleId });
    const middleAlert = alertItem(size / 2 - 1, anomalyTemplate);
    const alertsCursor = encodeCursor('GET /alerts', {}, { pk: String(middleAlert.pk), sk: ALERT_SK, gsi1pk: ALERTS_INDEX_PK, gsi1sk: String(middleAlert.gsi1sk) });
    byRoute['GET /series']![size] = {
      first: await timePage(counter, () => ask('GET /series', { limit: LIMIT })),
      middle: await timePage(counter, () => ask('GET /series', { limit: LIMIT, cursor: seriesCursor })),
    };
    // Control: the same middle page as a key condition (seriesId > the last one) rather than an
    // ExclusiveStartKey, to tell the store's cost of seeking a start key from the page's own.
    const control = await timePage(counter, async () => {
      const result = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: GSI2,
          KeyConditionExpression: 'sk = :pk AND seriesId > :after',
          ExpressionAttributeValues: { ':pk': SERIES_META_SK, ':after': middleId },
          Limit: Number(LIMIT),
        }),
      );
      return { statusCode: 200, body: { items: result.Items ?? [] } };
    });
    controls.push(`control at ${size.toLocaleString('en').padStart(7)}: the middle series page as a key condition (seriesId > last) instead of ExclusiveStartKey: p50 ${control.p50.toFixed(2)} ms, p99 ${control.p99.toFixed(2)} ms`);
    byRoute['GET /alerts']![size] = {
      first: await timePage(counter, () => ask('GET /alerts', { limit: LIMIT })),
      middle: await timePage(counter, () => ask('GET /alerts', { limit: LIMIT, cursor: alertsCursor })),
    };
    doc.destroy();
  }
  figures.push(...controls);
  const ratios: number[] = [];
  for (const [route, bySize] of Object.entries(byRoute)) {
    for (const page of ['first', 'middle'] as const) {
      for (const size of SIZES) {
        const t = bySize[size]![page];
        figures.push(
          `${route}?limit=${LIMIT} ${page} page at ${size.toLocaleString('en').padStart(7)}: ${t.items} items, ${t.queriesPerPage.toFixed(2)} Query/page, p50 ${t.p50.toFixed(2)} ms, p99 ${t.p99.toFixed(2)} ms`,
        );
      }
      const small = bySize[SIZES[0]]![page];
      const large = bySize[SIZES[1]]![page];
      ratios.push(large.p50 / small.p50);
      figures.push(`${route} ${page} page, 100k / 1k: p50 ${(large.p50 / small.p50).toFixed(2)}x, p99 ${(large.p99 / small.p99).toFixed(2)}x (goal ≤ 1.5x)`);
    }
  }
  return {
    name: 'list pages: GET /series and GET /alerts at 1k and 100k stored items, DynamoDB Local',
    figures,
    ratio: { label: 'worst p50 of a page at 100k / at 1k', value: Math.max(...ratios) },
  };
}
