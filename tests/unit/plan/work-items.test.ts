import { describe, expect, it } from 'vitest';
import { describeIssue } from '../../../shared/describe-issue.js';
import { planWorkItems, workItemSchema } from '../../../shared/plan/work-items.js';
import { DEFAULT_WATCHLIST, watchlistSchema } from '../../../shared/plan/watchlist.js';

describe('planning a scheduled run into work items', () => {
  it('slices each reporter into batches of partners, under keys that name the schedule and the slice', () => {
    const items = planWorkItems(DEFAULT_WATCHLIST, ['2024-01', '2024-02'], 'daily', '2024-03-20T10:00:00+08:00', 4);
    expect(items.map((i) => i.request.partners)).toEqual([['KAZ', 'KGZ', 'UZB', 'TJK'], ['TKM', 'AZE', 'GEO', 'ARM'], ['TUR']]);
    expect(items.map((i) => i.runKey)).toEqual([
      'daily-2024-03-20T10:00:00+08:00-CHN-TOTAL-0',
      'daily-2024-03-20T10:00:00+08:00-CHN-TOTAL-1',
      'daily-2024-03-20T10:00:00+08:00-CHN-TOTAL-2',
    ]);
    for (const item of items) expect(workItemSchema.parse(JSON.parse(JSON.stringify(item)))).toEqual(item);
  });

  it('plans the same items for the same schedule, so a re-planned run resumes rather than repeats', () => {
    const once = planWorkItems(DEFAULT_WATCHLIST, ['2024-01'], 'monthly-refresh', '2024-03-25T10:00:00+08:00');
    expect(planWorkItems(DEFAULT_WATCHLIST, ['2024-01'], 'monthly-refresh', '2024-03-25T10:00:00+08:00')).toEqual(once);
    expect(once).toHaveLength(1);
  });
});

describe('watchlists of partners and HS levels a user names', () => {
  it('reads the global HS2 watchlist the README shows, and aliases and lists of codes', () => {
    const global = watchlistSchema.parse({ entries: [{ reporter: '*', partners: '*', commodity: 'AG2' }] });
    expect(global.entries.length).toBeGreaterThan(200);
    expect(global.entries.every((entry) => entry.commodity === 'AG2' && !entry.partners.includes(entry.reporter))).toBe(true);
    const named = watchlistSchema.parse({ entries: [{ reporter: 'cn', partners: ['TWN', 'world', '899'], commodity: ['8542.31', '8542.32', '8542.33', '8542.39'] }] });
    expect(named.entries[0]).toMatchObject({ reporter: 'CHN', partners: ['490', 'W00', '899'], commodity: '854231,854232,854233,854239' });
    const [item] = planWorkItems(named, ['2024-01'], 'daily', '2024-03-20T10:00:00+08:00');
    expect(item!.runKey).toMatch(/^daily-2024-03-20T10:00:00\+08:00-CHN-4codes-[0-9a-z]+-0$/);
    expect(workItemSchema.parse(JSON.parse(JSON.stringify(item)))).toEqual(item);
  });

  it('refuses a level or a partner that cannot be fetched, naming it', () => {
    expect(watchlistSchema.safeParse({ entries: [{ reporter: 'CHN', partners: ['KAZ'], commodity: 'AG3' }] }).error?.issues[0]?.message).toMatch(/AG2, AG4, AG6, a list of HS codes or a named list \(CHPL/);
    const unknown = watchlistSchema.safeParse({ entries: [{ reporter: 'CHN', partners: ['KAZ', 'XXX'] }] }).error!.issues[0]!;
    expect(describeIssue(unknown)).toMatch(/^entries\.0\.partners\.1: "XXX" names no country or area/);
  });
});
