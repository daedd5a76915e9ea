import { expect } from 'vitest';
import { loadDemoDataSet, loadDemoFigures } from '../../shared/demo/demo-figures.js';
import type { LocalAlertTopic } from '../../shared/local/local-alerts.js';
import type { SeriesRepository } from '../../shared/store/series-repository.js';
import { periodRange } from '../../shared/domain/period.js';
import { startLocalComtradeServer, type LocalComtradeServerOptions } from '../../shared/local/comtrade-server.js';
import { DEFAULT_WATCHLIST, watchlistRequests } from '../../shared/plan/watchlist.js';

/** A local Comtrade-shaped server serving the demo data set. */
export function startDemoComtrade(options: Omit<LocalComtradeServerOptions, 'figures'> = {}) {
  return startLocalComtradeServer({ figures: loadDemoFigures(), ...options });
}

/** The demo's watchlist over the whole data set: 9 partners x 2 flows x 38 months. */
export function demoRequests() {
  const dataSet = loadDemoDataSet();
  return watchlistRequests(DEFAULT_WATCHLIST, periodRange(dataSet.from, dataSet.to));
}

/**
 * After the whole demo release went through ingest, detection and alerting: every series stored
 * once with all its months, and the feed route told of Azerbaijan (exports and turnover) only.
 */
export async function expectDemoStoredAndAzerbaijanAlerted(series: SeriesRepository, topic: LocalAlertTopic): Promise<void> {
  const stored = await series.listSeries();
  expect(stored).toHaveLength(18);
  for (const s of stored) expect(s.observationCount).toBe(38);
  const delivered = await topic.drain('feed');
  expect(delivered.flatMap((m) => (m.kind === 'tradewatch.digest' ? m.dedupKeys : [m.dedupKey])).sort()).toEqual([
    'comtrade.CHN.AZE.export.TOTAL.USD#2024-01..02#yoy-robust-z',
    'comtrade.CHN.AZE.trade.TOTAL.USD#2024-01..02#yoy-robust-z',
  ]);
}
