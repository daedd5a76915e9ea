import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { loadDemoDataSet, loadDemoFigures } from '../../../shared/demo/demo-figures.js';
import { periodRange } from '../../../shared/domain/period.js';
import { runIngest } from '../../../shared/ingest/ingest-run.js';
import { startLocalComtradeServer } from '../../../shared/local/comtrade-server.js';
import { ensureTable } from '../../../shared/local/dynamodb-local.js';
import { ComtradeClient } from '../../../shared/sources/comtrade/comtrade-client.js';
import { ComtradeSource } from '../../../shared/sources/comtrade/comtrade-source.js';
import { createDocumentClient } from '../../../shared/store/client.js';
import { RunRepository } from '../../../shared/store/run-repository.js';
import { SeriesRepository } from '../../../shared/store/series-repository.js';
import { DEFAULT_WATCHLIST, watchlistRequests } from '../../../shared/plan/watchlist.js';
import type { BenchContext, BenchResult } from '../bench-context.js';

/** The demo release (9 partners x 2 flows x 38 months) through the real client: calls per observation. */
export async function ingestPath(context: BenchContext): Promise<BenchResult> {
  const server = await startLocalComtradeServer({ figures: loadDemoFigures() });
  const doc = createDocumentClient(context.dynamo);
  const tableName = `bench-${randomUUID()}`;
  await ensureTable(context.dynamo, tableName);
  const dataSet = loadDemoDataSet();
  const requests = watchlistRequests(DEFAULT_WATCHLIST, periodRange(dataSet.from, dataSet.to));
  const runs = new RunRepository(doc, tableName);
  const ingest = async (onlyNewReleases: boolean, key: string) => {
    const client = new ComtradeClient({ baseUrl: server.baseUrl, minIntervalMs: 0 });
    const start = performance.now();
    const summary = await runIngest({
      source: new ComtradeSource(client),
      requests,
      series: new SeriesRepository(doc, tableName),
      now: () => new Date(),
      run: { key, repository: runs },
      onlyNewReleases,
    });
    return { summary, attempts: client.stats.attempts, seconds: (performance.now() - start) / 1000 };
  };
  try {
    const backfill = await ingest(true, 'backfill');
    const daily = await ingest(true, 'daily');
    return {
      name: 'ingest path: the demo release through the UN Comtrade client into DynamoDB Local',
      figures: [
        `backfill: ${backfill.attempts} HTTP calls (data availability included) for ${backfill.summary.observations} observations, ` +
          `${(backfill.attempts / backfill.summary.observations).toFixed(4)} calls per observation, ${backfill.seconds.toFixed(2)} s`,
        `next daily run, nothing released: ${daily.attempts} calls (availability only), ${daily.summary.calls} data calls, ${daily.summary.writes} writes`,
      ],
      ratio: { label: 'observations per call (backfill)', value: backfill.summary.observations / backfill.attempts },
    };
  } finally {
    doc.destroy();
    await server.stop();
  }
}
