import type { Groups } from '../domain/groups.js';
import type { Observation } from '../domain/series.js';
import { readSeries } from '../query/read-series.js';
import { demoObservationLoader } from './demo-figures.js';

/**
 * Whether a series' months are the bundled illustrative data set's: read with `--demo`, or stored
 * by `npm start`, which ingests that data set through a local Comtrade server under the ordinary
 * `comtrade` source. The store keeps no mark of where a value came from, so a month counts as the
 * demo's when its value is the data set's for that series and month (whole dollars: a real figure
 * does not meet a generated one by chance; zeros are left out, as they would).
 */
export function isDemoData(groups: Groups): (id: string, observations: readonly Observation[]) => Promise<boolean> {
  const load = demoObservationLoader();
  return async (id, observations) => {
    const demo = new Map((await readSeries(id, load, groups)).map((o) => [o.period, o.value]));
    return observations.some((o) => o.value !== null && o.value > 0 && demo.get(o.period) === o.value);
  };
}
