import { ComtradeClient } from '../sources/comtrade/comtrade-client.js';
import { MAX_PERIODS_PER_CALL } from '../sources/comtrade/request-plan.js';
import { ComtradeSource } from '../sources/comtrade/comtrade-source.js';
import { ComextSource } from '../sources/eurostat/comext-source.js';
import type { SourceRequest } from '../sources/trade-source.js';
import type { WorkItem } from './work-items.js';

/** Upstream calls a work item may take at most, as a function of its run kind and request. */
export type WorkItemCallEstimate = (item: { readonly run: WorkItem['run']; readonly request: SourceRequest }) => number;

/**
 * The calls a work item takes, from the Comtrade request planner itself (as the cost model
 * counts them): its data calls, and for a daily item the availability calls before them. A daily
 * item is counted as if every month were released, so what the planner leaves the backfill
 * never crowds out a release day.
 */
export function comtradeCallEstimate(): WorkItemCallEstimate {
  // URLs as the keyed endpoint builds them: the planner only counts, it never calls.
  const source = new ComtradeSource(new ComtradeClient({ baseUrl: 'https://comtradeapi.un.org', apiKey: 'estimate' }));
  return (item) => source.plan(item.request).length + (item.run === 'daily' ? Math.ceil(item.request.periods.length / MAX_PERIODS_PER_CALL) : 0);
}

/**
 * The calls a Comext work item takes, from the Comext request planner itself: its data calls, and
 * for a daily item the one release check before them. A 413 split or an asynchronous extraction's
 * status checks are not foreseeable and not counted (both are rare at a work item's size).
 */
export function comextCallEstimate(): WorkItemCallEstimate {
  const source = new ComextSource({ baseUrl: 'https://ec.europa.eu' });
  return (item) => source.plan(item.request).length + (item.run === 'daily' ? 1 : 0);
}
