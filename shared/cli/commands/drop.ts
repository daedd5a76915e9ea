import { resolve } from 'node:path';
import { LocalDropFolder } from '../../ingest/local-drop-folder.js';
import { processWaitingFiles, watchDropFolder } from '../../local/drop-watcher.js';
import { alertingFor, createStore } from '../../wiring.js';
import { LOCAL_DROP_DIR, cliConfig } from '../store-target.js';
import type { Out } from './output.js';

/**
 * `tradewatch drop [DIR] [--watch]`: the CSV files in DIR/incoming imported, detected and alerted as
 * the drop bucket's function does it, each moved to DIR/done or DIR/rejected with its report.
 * With --watch, keeps watching for new files until Ctrl-C.
 */
export async function dropFolder(dir: string | undefined, options: { watch?: boolean }, out: Out, untilStopped = untilSignal): Promise<void> {
  const config = cliConfig();
  const store = createStore(config);
  const folder = new LocalDropFolder(resolve(dir ?? LOCAL_DROP_DIR));
  await folder.create();
  const deps = { ...store, alerting: alertingFor(config, store), now: () => new Date() };
  const { failed } = await processWaitingFiles(folder, deps, out);
  if (!options.watch) {
    if (failed.length > 0) throw new Error(`${failed.length} file(s) left in ${folder.dir}/incoming (${failed.join(', ')}); run the same command again to retry them`);
    return;
  }
  out(`Watching ${folder.dir}/incoming for CSV files (Ctrl+C to stop).`);
  const watcher = watchDropFolder(folder, deps, out);
  await untilStopped();
  await watcher.stop();
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
