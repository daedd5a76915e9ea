import { callParams, comtradeDataUrl, KEYED_RECORD_CAP, MAX_PERIODS_PER_CALL, planCalls } from '../sources/comtrade/request-plan.js';
import { planComextCalls } from '../sources/eurostat/comext-request-plan.js';
import type { SourceRequest } from '../sources/trade-source.js';
import type { WorkItem } from './work-items.js';

/** Upstream calls a work item may take at most, as a function of its run kind and request. */
export type WorkItemCallEstimate = (item: { readonly run: WorkItem['run']; readonly request: SourceRequest }) => number;

/** The same estimate for a request of the backfill. */
export function backfillCallEstimate(estimate: WorkItemCallEstimate): (request: SourceRequest) => number {
  return (request) => estimate({ run: 'backfill', request });
}

/**
 * The calls a work item takes, from the Comtrade request planner itself (as the cost model
 * counts them): its data calls, and for a daily item the availability calls before them. A daily
 * item is counted as if every month were released, so what the planner leaves the backfill
 * never crowds out a release day.
 */
export function comtradeCallEstimate(): WorkItemCallEstimate {
  // URLs as the keyed endpoint builds them, from the pure request planner: the planner only counts, it never calls.
  const urlOf = (call: Parameters<typeof callParams>[0]) => comtradeDataUrl('https://comtradeapi.un.org', true, callParams(call, KEYED_RECORD_CAP));
  return (item) => planCalls(item.request, urlOf, KEYED_RECORD_CAP).length + (item.run === 'daily' ? Math.ceil(item.request.periods.length / MAX_PERIODS_PER_CALL) : 0);
}

/**
 * The calls a Comext work item takes, from the Comext request planner itself: its data calls, and
 * for a daily item the one release check before them. A 413 split or an asynchronous extraction's
 * status checks are not foreseeable and not counted (both are rare at a work item's size).
 */
export function comextCallEstimate(): WorkItemCallEstimate {
  return (item) => planComextCalls(item.request, 'https://ec.europa.eu').length + (item.run === 'daily' ? 1 : 0);
}
