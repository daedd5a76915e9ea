import { describe, expect, it } from 'vitest';
import { demoObservationLoader } from '../../../shared/demo/demo-figures.js';
import { isDemoData } from '../../../shared/demo/illustrative.js';
import { DEFAULT_GROUPS } from '../../../shared/domain/groups.js';
import { readSeries } from '../../../shared/query/read-series.js';

describe('telling the demo\'s figures from real ones', () => {
  const illustrative = isDemoData(DEFAULT_GROUPS);

  it('knows the bundled data set\'s months, stored or derived, wherever they are read from', async () => {
    for (const id of ['comtrade.CHN.AZE.export.TOTAL.USD', 'comtrade.CHN.AZE.trade.TOTAL.USD', 'comtrade.CHN.CENTRALASIA.trade.TOTAL.USD']) {
      const months = await readSeries(id, demoObservationLoader(), DEFAULT_GROUPS);
      expect(await illustrative(id, months), id).toBe(true);
      // Stored by `npm start` and read back, the months carry store fields too: still the demo's.
      expect(await illustrative(id, months.slice(-3).map((o) => ({ ...o, firstSeenAt: '2024-03-20T00:00:00.000Z' })))).toBe(true);
    }
  });

  it('does not take real figures, other series or zeros for the demo\'s', async () => {
    const months = await readSeries('comtrade.CHN.AZE.export.TOTAL.USD', demoObservationLoader(), DEFAULT_GROUPS);
    expect(await illustrative('comtrade.CHN.AZE.export.TOTAL.USD', months.map((o) => ({ ...o, value: (o.value ?? 0) + 1 })))).toBe(false);
    expect(await illustrative('comtrade.CHN.GEO.export.TOTAL.USD', months)).toBe(false);
    expect(await illustrative('comtrade.USA.CHN.export.TOTAL.USD', months)).toBe(false);
    expect(await illustrative('csv.CHN.AZE.export.TOTAL.USD', months)).toBe(false);
    expect(await illustrative('comtrade.CHN.AZE.export.TOTAL.USD', [{ period: '2024-01', value: 0, state: 'zero' }])).toBe(false);
  });
});
