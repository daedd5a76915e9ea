import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { periodRange } from '../../../shared/domain/period.js';
import type { SeriesKey } from '../../../shared/domain/series.js';
import { ensureTable } from '../../../shared/local/dynamodb-local.js';
import { createDocumentClient } from '../../../shared/store/client.js';
import { SeriesRepository } from '../../../shared/store/series-repository.js';
import type { BenchContext, BenchResult } from '../bench-context.js';

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A 240-month series read in one Query round trip, against a single GetItem; and the cost of an unchanged release. */
export async function readPath(context: BenchContext): Promise<BenchResult> {
  const doc = createDocumentClient(context.dynamo);
  const tableName = `bench-${randomUUID()}`;
  await ensureTable(context.dynamo, tableName);
  const repository = new SeriesRepository(doc, tableName);
  const key: SeriesKey = { source: 'comtrade', reporter: 'CHN', partner: 'KAZ', flow: 'export', commodity: 'TOTAL', currency: 'USD' };
  const observations = periodRange('2005-01', '2024-12').map((period, i) => ({ period, value: 1e9 + i, state: 'published' as const }));
  const first = await repository.saveObservations(key, observations, '2025-01-20T00:00:00.000Z');
  const again = await repository.saveObservations(key, observations, '2025-01-21T00:00:00.000Z');

  // Count the round trips a read makes by watching the client's middleware.
  let roundTrips = 0;
  doc.middlewareStack.add((next) => async (args) => {
    roundTrips++;
    return next(args);
  });
  const id = 'comtrade.CHN.KAZ.export.TOTAL.USD';
  const runs = 300;
  const queryMs: number[] = [];
  const getMs: number[] = [];
  // DynamoDB Local runs on the JVM: warm it (JIT, caches) well past the measurement's length,
  // so the figures describe steady state and not the emulator's start-up.
  for (let i = 0; i < 4 * runs; i++) {
    await repository.getObservations(id);
    await doc.send(new GetCommand({ TableName: tableName, Key: { pk: `SERIES#${id}`, sk: 'OBS#2024-12' } }));
  }
  roundTrips = 0;
  let months = 0;
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    months = (await repository.getObservations(id)).length;
    queryMs.push(performance.now() - start);
    start = performance.now();
    await doc.send(new GetCommand({ TableName: tableName, Key: { pk: `SERIES#${id}`, sk: 'OBS#2024-12' } }));
    getMs.push(performance.now() - start);
  }
  const queryRoundTrips = (roundTrips - runs) / runs;
  doc.destroy();
  const queryP99 = percentile(queryMs, 99);
  const getP99 = percentile(getMs, 99);
  return {
    name: 'read path: a 240-month series against one GetItem, DynamoDB Local',
    figures: [
      `series read (${months} months): ${queryRoundTrips.toFixed(0)} Query round trip(s), p50 ${percentile(queryMs, 50).toFixed(2)} ms, p99 ${queryP99.toFixed(2)} ms`,
      `single GetItem:                     p50 ${percentile(getMs, 50).toFixed(2)} ms, p99 ${getP99.toFixed(2)} ms (goal: series p99 within 2x)`,
      `writes: first release ${first.writes} items, the same release again ${again.writes} items`,
    ],
    ratio: { label: 'series p99 / GetItem p99', value: queryP99 / getP99 },
  };
}
