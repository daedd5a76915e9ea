import { describe, expect, it } from 'vitest';
import { backfillBudget, backfillProgress, historyChunks, newBackfillStates, planBackfill, type BackfillState } from '../../../shared/plan/backfill-plan.js';
import { comtradeCallEstimate } from '../../../shared/plan/call-estimate.js';
import { expandWatchlist } from '../../../shared/plan/watchlist.js';
import { planWorkItems } from '../../../shared/plan/work-items.js';

const watchlist = expandWatchlist({ entries: [{ reporter: 'CHN', partners: ['KAZ', 'AZE'], flows: ['export', 'import'], commodity: 'TOTAL' }], monthsBack: 24 });
const now = new Date('2024-03-10T02:00:00Z');
const oneCallPerChunk = () => 1;
const estimate = comtradeCallEstimate();
const backfillEstimate = (request: Parameters<typeof estimate>[0]['request']) => estimate({ run: 'backfill', request });

const done = (state: BackfillState, ...chunks: string[]): BackfillState => ({ ...state, chunksDone: new Set([...state.chunksDone, ...chunks]) });

describe('backfill planning', () => {
  it('chunks five years into calls of at most 12 months, counted back from the latest month, newest first', () => {
    expect(historyChunks('2019-03', '2024-02')).toEqual(['2023-03..2024-02', '2022-03..2023-02', '2021-03..2022-02', '2020-03..2021-02', '2019-03..2020-02']);
    expect(historyChunks('2019-05', '2024-02').at(-1)).toBe('2019-05..2020-02');
    expect(historyChunks('2024-02', '2024-02')).toEqual(['2024-02..2024-02']);
  });

  it('wants the configured history (5 years by default) for every watched partner without a state, and nothing again for those with one', () => {
    const fresh = newBackfillStates(watchlist, new Set(), now);
    expect(fresh.map((s) => [s.partner, s.wantedFrom, s.wantedTo])).toEqual([
      ['KAZ', '2019-03', '2024-02'],
      ['AZE', '2019-03', '2024-02'],
    ]);
    // The watchlist grows by a partner: only it is new.
    const grown = expandWatchlist({ ...watchlist, entries: [{ ...watchlist.entries[0]!, partners: ['KAZ', 'AZE', 'GEO'] }] });
    expect(newBackfillStates(grown, new Set(['CHN#TOTAL#KAZ', 'CHN#TOTAL#AZE']), new Date('2024-07-01T02:00:00Z')).map((s) => [s.partner, s.wantedFrom, s.wantedTo])).toEqual([['GEO', '2019-07', '2024-06']]);
    expect(newBackfillStates({ ...watchlist, historyMonths: 36 }, new Set(), now)[0]!.wantedFrom).toBe('2021-03');
  });

  it('gives the backfill what the day leaves after what is used or planned and the scheduled items, never less than nothing', () => {
    expect(backfillBudget({ dailyBudget: 450, usedToday: 0, plannedToday: 0, scheduledCalls: 4 })).toBe(446);
    // A second planner run the same day (the monthly refresh) sees the first one's plan.
    expect(backfillBudget({ dailyBudget: 450, usedToday: 10, plannedToday: 300, scheduledCalls: 2 })).toBe(148);
    expect(backfillBudget({ dailyBudget: 450, usedToday: 449, plannedToday: 0, scheduledCalls: 4 })).toBe(0);
  });

  it('queues partners sharing a chunk in one item, newest chunks first, as many as fit the budget, and marks the newest as the initial load', () => {
    const states = newBackfillStates(watchlist, new Set(), now);
    const plan = planBackfill({ states, budget: 2, today: '2024-03-10', scheduledTime: now.toISOString(), estimate: backfillEstimate });
    expect(plan.items.map((i) => [i.run, i.request.partners, i.request.periods[0], i.request.periods.length, i.history])).toEqual([
      ['backfill', ['AZE', 'KAZ'], '2023-03', 12, { chunk: '2023-03..2024-02', establishesNews: true }],
      ['backfill', ['AZE', 'KAZ'], '2022-03', 12, { chunk: '2022-03..2023-02', establishesNews: false }],
    ]);
    expect(plan).toMatchObject({ calls: 2, deferredItems: 3 });
    // The same slice keeps its run key, whichever day it is queued: a run cut short resumes.
    const again = planBackfill({ states, budget: 2, today: '2024-03-11', scheduledTime: '2024-03-11T02:00:00.000Z', estimate: backfillEstimate });
    expect(again.items.map((i) => i.runKey)).toEqual(plan.items.map((i) => i.runKey));
  });

  it('skips chunks done or queued today, and queues again those queued on an earlier day and never done', () => {
    const [kaz, aze] = newBackfillStates(watchlist, new Set(), now) as [BackfillState, BackfillState];
    const states = [done(kaz, '2023-03..2024-02'), { ...aze, chunksQueued: new Map([['2023-03..2024-02', '2024-03-09'], ['2022-03..2023-02', '2024-03-10']]) }];
    const plan = planBackfill({ states, budget: 100, today: '2024-03-10', scheduledTime: now.toISOString(), estimate: oneCallPerChunk });
    expect(plan.items.map((i) => [i.history!.chunk, i.request.partners])).toEqual([
      ['2023-03..2024-02', ['AZE']],
      ['2022-03..2023-02', ['KAZ']],
      ['2021-03..2022-02', ['AZE', 'KAZ']],
      ['2020-03..2021-02', ['AZE', 'KAZ']],
      ['2019-03..2020-02', ['AZE', 'KAZ']],
    ]);
  });

  it('splits more than 50 partners into items of 50, each one call per chunk', () => {
    const partners = ['AFG', 'ALB', 'DZA', 'AND', 'AGO', 'ARG', 'ARM', 'AUS', 'AUT', 'AZE', 'BHS', 'BHR', 'BGD', 'BRB', 'BLR', 'BEL', 'BLZ', 'BEN', 'BTN', 'BOL', 'BIH', 'BWA', 'BRA', 'BRN', 'BGR', 'BFA', 'BDI', 'CPV', 'KHM', 'CMR', 'CAN', 'CAF', 'TCD', 'CHL', 'COL', 'COM', 'COG', 'CRI', 'CIV', 'HRV', 'CUB', 'CYP', 'CZE', 'DNK', 'DJI', 'DMA', 'DOM', 'ECU', 'EGY', 'SLV', 'GNQ', 'ERI'];
    const wide = expandWatchlist({ entries: [{ reporter: 'CHN', partners, flows: ['export', 'import'], commodity: 'TOTAL' }], monthsBack: 24, historyMonths: 12 });
    const plan = planBackfill({ states: newBackfillStates(wide, new Set(), now), budget: 100, today: '2024-03-10', scheduledTime: now.toISOString(), estimate: backfillEstimate });
    expect(plan.items.map((i) => i.request.partners.length)).toEqual([50, 2]);
    expect(plan.calls).toBe(2);
  });

  it('reports progress and the days left at the calls a day leaves, from the stored states alone', () => {
    const states = newBackfillStates(watchlist, new Set(), now);
    const scheduledCalls = planWorkItems(watchlist, ['2022-03'], 'daily', now.toISOString()).reduce((sum, item) => sum + estimate(item), 0);
    expect(scheduledCalls).toBe(2); // one availability call, one data call
    expect(backfillProgress(states, { callsPerDay: 2, estimate: backfillEstimate })).toEqual({
      partners: 2,
      partnersComplete: 0,
      monthsWanted: 120,
      monthsDone: 0,
      callsPlanned: 5,
      callsLeft: 5,
      complete: false,
      etaDays: 3,
    });
    const [kaz, aze] = states as [BackfillState, BackfillState];
    const half = [done(kaz, ...historyChunks(kaz.wantedFrom, kaz.wantedTo)), done(aze, '2023-03..2024-02')];
    expect(backfillProgress(half, { callsPerDay: 2, estimate: backfillEstimate })).toMatchObject({ partnersComplete: 1, monthsDone: 72, callsLeft: 4, etaDays: 2 });
    expect(backfillProgress(half, { callsPerDay: 0, estimate: backfillEstimate }).etaDays).toBeUndefined();
    const all = half.map((s) => done(s, ...historyChunks(s.wantedFrom, s.wantedTo)));
    expect(backfillProgress(all, { callsPerDay: 2, estimate: backfillEstimate })).toMatchObject({ complete: true, callsLeft: 0, etaDays: 0, monthsDone: 120 });
  });
});
