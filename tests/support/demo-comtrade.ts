import { loadDemoDataSet, loadDemoFigures } from '../../shared/demo/demo-figures.js';
import { periodRange } from '../../shared/domain/period.js';
import { startLocalComtradeServer, type LocalComtradeServerOptions } from '../../shared/local/comtrade-server.js';
import { DEFAULT_WATCHLIST, watchlistRequests } from '../../shared/watchlist.js';

/** A local Comtrade-shaped server serving the demo data set. */
export function startDemoComtrade(options: Omit<LocalComtradeServerOptions, 'figures'> = {}) {
  return startLocalComtradeServer({ figures: loadDemoFigures(), ...options });
}

/** The demo's watchlist over the whole data set: 9 partners x 2 flows x 38 months. */
export function demoRequests() {
  const dataSet = loadDemoDataSet();
  return watchlistRequests(DEFAULT_WATCHLIST, periodRange(dataSet.from, dataSet.to));
}
