import { selectionLabel } from '../domain/commodity.js';
import { createHash } from 'node:crypto';
import { addMonths, periodRange, type Period } from '../domain/period.js';
import type { StoredFlow } from '../domain/series.js';
import { upstreamOf, type Upstream } from '../domain/upstream.js';
import type { SourceRequest } from '../sources/trade-source.js';
import { MAX_PERIODS_PER_CALL } from '../sources/comtrade/request-plan.js';
import { lastFullMonth, type Watchlist } from './watchlist.js';
import { DEFAULT_PARTNERS_PER_ITEM, upstreamPrefix, type WorkItem } from './work-items.js';

/**
 * The history one watched partner of a reporter needs, as stored: the months wanted (fixed when
 * the partner was first planned, so a later run never asks for more), the chunks stored, and when
 * each chunk still missing was last queued.
 */
export interface BackfillState {
  /** Each upstream's history is its own: the same partner watched on Comtrade and Comext is backfilled from each. */
  readonly source: Upstream;
  readonly reporter: string;
  readonly commodity: string;
  readonly partner: string;
  readonly flows: readonly StoredFlow[];
  readonly wantedFrom: Period;
  readonly wantedTo: Period;
  /** Chunks (`YYYY-MM..YYYY-MM`) whose ingest run completed. */
  readonly chunksDone: ReadonlySet<string>;
  /** Chunk → the day (YYYY-MM-DD, UTC) it was last queued. */
  readonly chunksQueued: ReadonlyMap<string, string>;
}

/** How many upstream calls a request costs, as the source's own request planner would split it. */
export type CallEstimate = (request: SourceRequest) => number;

const chunkOf = (from: Period, to: Period) => `${from}..${to}`;
export const chunkPeriods = (chunk: string): Period[] => {
  const [from, to] = chunk.split('..') as [Period, Period];
  return periodRange(from, to);
};

/**
 * The months from..to in chunks one call can ask for (at most 12 months, the Comtrade per-call
 * limit), counted back from `to`, newest first: recent history lands first, and the newest chunk
 * holds a whole year, so however late the reporter publishes, its latest months are in it.
 */
export function historyChunks(from: Period, to: Period): string[] {
  const chunks: string[] = [];
  for (let end = to; end >= from; end = addMonths(end, -MAX_PERIODS_PER_CALL)) {
    const start = addMonths(end, -(MAX_PERIODS_PER_CALL - 1));
    chunks.push(chunkOf(start < from ? from : start, end));
  }
  return chunks;
}

/**
 * The earliest month from which the state's history is stored without a gap up to its newest
 * month (its newest chunks done, newest first), or undefined while the newest is not: from there
 * on, a month with no stored row is a month the source was asked about and had nothing for.
 */
export function coveredFrom(state: Pick<BackfillState, 'wantedFrom' | 'wantedTo' | 'chunksDone'>): Period | undefined {
  let from: Period | undefined;
  for (const chunk of historyChunks(state.wantedFrom, state.wantedTo)) {
    if (!state.chunksDone.has(chunk)) break;
    from = chunkPeriods(chunk)[0];
  }
  return from;
}

/** States for the watched partners that have none yet (a fresh table, or a grown watchlist): existing ones are never asked for again. */
export function newBackfillStates(watchlist: Watchlist, existing: ReadonlySet<string>, now: Date): BackfillState[] {
  const wantedTo = lastFullMonth(now);
  const wantedFrom = addMonths(wantedTo, -(watchlist.historyMonths - 1));
  const states: BackfillState[] = [];
  for (const entry of watchlist.entries) {
    const source = upstreamOf(entry);
    for (const partner of entry.partners) {
      if (existing.has(backfillStateKey(entry.reporter, entry.commodity, partner, source))) continue;
      states.push({ source, reporter: entry.reporter, commodity: entry.commodity, partner, flows: entry.flows, wantedFrom, wantedTo, chunksDone: new Set(), chunksQueued: new Map() });
    }
  }
  return states;
}

export const backfillStateKey = (reporter: string, commodity: string, partner: string, source: Upstream = 'comtrade') => `${upstreamPrefix(source)}${reporter}#${commodity}#${partner}`;

/** A chunk some partners still miss, as one work item would ask for it. */
interface PendingSlice {
  readonly source: Upstream;
  readonly reporter: string;
  readonly commodity: string;
  readonly flows: readonly StoredFlow[];
  readonly chunk: string;
  /** The partners' newest chunk: once stored, their series have had their initial load. */
  readonly newest: boolean;
  readonly partners: string[];
}

/** What every state still misses, grouped into work-item-sized slices (partners sharing a chunk share the calls), newest chunks first. */
function pendingSlices(states: readonly BackfillState[], include: (state: BackfillState, chunk: string) => boolean, partnersPerItem: number): PendingSlice[] {
  const groups = new Map<string, PendingSlice>();
  for (const state of states) {
    const chunks = historyChunks(state.wantedFrom, state.wantedTo);
    for (const chunk of chunks) {
      if (state.chunksDone.has(chunk) || !include(state, chunk)) continue;
      const newest = chunk === chunks[0];
      const key = [state.source, state.reporter, state.commodity, state.flows.join(','), chunk, newest].join('|');
      const group = groups.get(key) ?? { source: state.source, reporter: state.reporter, commodity: state.commodity, flows: state.flows, chunk, newest, partners: [] };
      group.partners.push(state.partner);
      groups.set(key, group);
    }
  }
  const slices: PendingSlice[] = [];
  for (const group of groups.values()) {
    const partners = [...group.partners].sort();
    for (let i = 0; i < partners.length; i += partnersPerItem) slices.push({ ...group, partners: partners.slice(i, i + partnersPerItem) });
  }
  const end = (s: PendingSlice) => s.chunk.slice(-7);
  return slices.sort((a, b) => end(b).localeCompare(end(a)) || a.reporter.localeCompare(b.reporter) || a.commodity.localeCompare(b.commodity) || a.partners[0]!.localeCompare(b.partners[0]!));
}

const requestOf = (slice: PendingSlice): WorkItem['request'] => ({
  reporter: slice.reporter,
  partners: slice.partners,
  flows: [...slice.flows],
  periods: chunkPeriods(slice.chunk),
  commodity: slice.commodity,
});

/** A backfill slice's run key: the same slice gets the same key whichever day it is queued, so a run cut short resumes. */
export function backfillRunKey(slice: Pick<PendingSlice, 'source' | 'reporter' | 'commodity' | 'flows' | 'chunk' | 'partners'>): string {
  const partners = createHash('sha1').update(`${slice.flows.join(',')}|${slice.partners.join(',')}`).digest('hex').slice(0, 12);
  return `backfill-${upstreamPrefix(slice.source)}${slice.reporter}-${selectionLabel(slice.commodity)}-${slice.chunk}-${partners}`;
}

/** The calls a day leaves the backfill: the budget, less what was used or planned already today and what this run's scheduled items may take. */
export function backfillBudget(input: { dailyBudget: number; usedToday: number; plannedToday: number; scheduledCalls: number }): number {
  return Math.max(0, input.dailyBudget - Math.max(input.usedToday, input.plannedToday) - input.scheduledCalls);
}

export interface BackfillPlan {
  readonly items: readonly WorkItem[];
  /** Estimated calls of the items. */
  readonly calls: number;
  /** Chunks left for later days. */
  readonly deferredItems: number;
}

/**
 * The backfill work items that fit in `budget` calls, newest history first. A chunk queued today
 * is not queued again (a second planner run the same day); one queued on an earlier day and still
 * not done (stopped by the budget, or dead-lettered) is.
 */
export function planBackfill(input: {
  readonly states: readonly BackfillState[];
  readonly budget: number;
  readonly today: string;
  readonly scheduledTime: string;
  readonly estimate: CallEstimate;
  readonly partnersPerItem?: number;
}): BackfillPlan {
  const slices = pendingSlices(input.states, (state, chunk) => state.chunksQueued.get(chunk) !== input.today, input.partnersPerItem ?? DEFAULT_PARTNERS_PER_ITEM);
  const items: WorkItem[] = [];
  let calls = 0;
  for (const slice of slices) {
    const request = requestOf(slice);
    const cost = input.estimate(request);
    // In order, newest first: a later, cheaper slice does not jump the queue.
    if (calls + cost > input.budget) break;
    calls += cost;
    items.push({ runKey: backfillRunKey(slice), run: 'backfill', source: slice.source, scheduledTime: input.scheduledTime, request, history: { chunk: slice.chunk, establishesNews: slice.newest } });
  }
  return { items, calls, deferredItems: slices.length - items.length };
}

export interface BackfillProgress {
  /** Watched partners (per reporter and commodity) with history wanted. */
  readonly partners: number;
  readonly partnersComplete: number;
  /** Partner-months wanted and stored. */
  readonly monthsWanted: number;
  readonly monthsDone: number;
  /** Upstream calls of the whole backfill, and of what is left, as the planner would group them today. */
  readonly callsPlanned: number;
  readonly callsLeft: number;
  readonly complete: boolean;
  /** Days until the backfill completes at `callsPerDay`; undefined when the day leaves it no calls. */
  readonly etaDays: number | undefined;
}

/** Backfill progress and ETA from the stored states alone (for the planner's log, and `tradewatch status`). */
export function backfillProgress(states: readonly BackfillState[], options: { readonly callsPerDay: number; readonly estimate: CallEstimate; readonly partnersPerItem?: number }): BackfillProgress {
  const perItem = options.partnersPerItem ?? DEFAULT_PARTNERS_PER_ITEM;
  const callsOf = (slices: readonly PendingSlice[]) => slices.reduce((sum, slice) => sum + options.estimate(requestOf(slice)), 0);
  const fresh = states.map((s) => ({ ...s, chunksDone: new Set<string>() }));
  const callsPlanned = callsOf(pendingSlices(fresh, () => true, perItem));
  const callsLeft = callsOf(pendingSlices(states, () => true, perItem));
  let monthsWanted = 0;
  let monthsDone = 0;
  let partnersComplete = 0;
  for (const state of states) {
    const chunks = historyChunks(state.wantedFrom, state.wantedTo);
    monthsWanted += chunks.reduce((sum, c) => sum + chunkPeriods(c).length, 0);
    const done = chunks.filter((c) => state.chunksDone.has(c));
    monthsDone += done.reduce((sum, c) => sum + chunkPeriods(c).length, 0);
    if (done.length === chunks.length) partnersComplete++;
  }
  const etaDays = callsLeft === 0 ? 0 : options.callsPerDay > 0 ? Math.ceil(callsLeft / options.callsPerDay) : undefined;
  return { partners: states.length, partnersComplete, monthsWanted, monthsDone, callsPlanned, callsLeft, complete: callsLeft === 0, etaDays };
}
