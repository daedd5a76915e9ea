import type { CliConfig } from '../config/functions.js';
import { createStore, statusOf, storedDetection } from '../wiring.js';
import { manageHandlerFor } from './manage-dispatch.js';
import { startConsoleServer, type ConsoleServer } from './serve.js';

/** The console on 127.0.0.1 against the store `config` names, wired from configuration as the query function is. */
export function startLocalConsole(config: CliConfig, options: { port?: number | undefined; illustrative?: boolean } = {}): Promise<ConsoleServer> {
  const store = createStore(config);
  return startConsoleServer({
    query: { ...store, groups: config.groups, loadDetectionFor: storedDetection(store.watchlist, config), status: statusOf(store, config) },
    manage: manageHandlerFor(config),
    groups: config.groups,
    illustrative: options.illustrative ?? false,
    port: options.port,
  });
}
