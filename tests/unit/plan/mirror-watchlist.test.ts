import { describe, expect, it } from 'vitest';
import { comtradeCallEstimate } from '../../../shared/plan/call-estimate.js';
import { planWorkItems } from '../../../shared/plan/work-items.js';
import { watchlistSchema } from '../../../shared/plan/watchlist.js';

describe('a watchlist entry that asks for mirrors', () => {
  const mirrored = watchlistSchema.parse({ entries: [{ reporter: 'CHN', partners: ['KGZ', 'KAZ', 'world'], mirror: true }] });

  it("adds each partner's own report of the flows: the partner as reporter, the entry's reporter as partner, both flows", () => {
    expect(mirrored.entries.map((e) => [e.reporter, e.partners, e.flows, e.commodity, e.mirrorSideOf])).toEqual([
      ['CHN', ['KGZ', 'KAZ', 'W00'], ['export', 'import'], 'TOTAL', undefined],
      ['KGZ', ['CHN'], ['export', 'import'], 'TOTAL', ['CHN']],
      ['KAZ', ['CHN'], ['export', 'import'], 'TOTAL', ['CHN']],
    ]);
  });

  it('asks for the opposite flow only, and puts every reporter asking about one partner into one entry (one call serves them)', () => {
    const watchlist = watchlistSchema.parse({
      entries: [
        { reporter: 'CHN', partners: ['KGZ'], flows: ['export'], mirror: true },
        { reporter: 'RUS', partners: ['KGZ'], flows: ['export'], mirror: true },
      ],
    });
    const side = watchlist.entries.find((e) => e.reporter === 'KGZ')!;
    expect(side).toMatchObject({ partners: ['CHN', 'RUS'], flows: ['import'] });
    const [item, ...more] = planWorkItems({ ...watchlist, entries: [side] }, ['2024-01', '2024-02'], 'daily', '2024-03-20T10:00:00Z');
    expect(more).toEqual([]);
    expect(comtradeCallEstimate()(item!)).toBe(2); // one data call and one availability call
  });

  it('does not ask twice for what the watchlist already follows', () => {
    const watchlist = watchlistSchema.parse({
      entries: [
        { reporter: 'CHN', partners: ['KGZ'], mirror: true },
        { reporter: 'KGZ', partners: ['CHN'] },
      ],
    });
    expect(watchlist.entries.map((e) => e.reporter)).toEqual(['CHN', 'KGZ']);
  });

  it('is refused on a Comext entry, naming the field', () => {
    const parsed = watchlistSchema.safeParse({ entries: [{ source: 'comext', reporter: 'EUU', partners: ['KGZ'], mirror: true }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => [i.path.join('.'), i.message])).toContainEqual(['entries.0.mirror', expect.stringMatching(/UN Comtrade only/)]);
  });
});
