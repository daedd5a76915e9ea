import { describe, expect, it } from 'vitest';
import { planWorkItems, workItemSchema } from '../../../shared/plan/work-items.js';
import { DEFAULT_WATCHLIST } from '../../../shared/plan/watchlist.js';

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
