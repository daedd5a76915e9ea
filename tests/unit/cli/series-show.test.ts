import { describe, expect, it } from 'vitest';
import { parseAsOf, showSeries, type ShowOptions } from '../../../shared/cli/commands/query.js';
import { demoObservationLoader } from '../../../shared/demo/demo-figures.js';
import { DEFAULT_GROUPS } from '../../../shared/domain/groups.js';
import { readSeries } from '../../../shared/query/read-series.js';

async function show(id: string, options: ShowOptions): Promise<string[]> {
  const lines: string[] = [];
  await showSeries(id, { demo: true, ...options }, (line) => lines.push(line));
  return lines;
}

describe('derived series on read', () => {
  it('prints China-Central Asia trade in 2023, US$89.3bn and +27 %, with one command', async () => {
    expect(await show('comtrade.CHN.CENTRALASIA.trade.TOTAL.USD', { view: 'annual' })).toEqual([
      'YEAR  TOTAL       CHANGE',
      '2021  US$56.20bn  -',
      '2022  US$70.20bn  +25%',
      '2023  US$89.30bn  +27%',
    ]);
  });

  it('sums a group month by month from the stored flows of its members', async () => {
    const load = demoObservationLoader();
    const group = await readSeries('comtrade.CHN.CAUCASUS.export.TOTAL.USD', load, DEFAULT_GROUPS);
    const members = await Promise.all(['AZE', 'GEO', 'ARM'].map((p) => load(`comtrade.CHN.${p}.export.TOTAL.USD`)));
    expect(group).toHaveLength(38);
    expect(group[0]!.value).toBeCloseTo(members.reduce((sum, m) => sum + (m[0]!.value ?? 0), 0), 0);
  });

  it('shows year-to-date, y/y change and months, in csv and json too', async () => {
    const yoy = await show('comtrade.CHN.AZE.trade.TOTAL.USD', { view: 'yoy', from: '2024-01' });
    // China publishes January and February as one release: one Jan-Feb row, as detection compares it.
    expect(yoy).toEqual(['MONTH        VALUE    YEAR EARLIER  CHANGE', '2024-01..02  US$520m  US$284m       +83%']);
    const yoyJson = JSON.parse((await show('comtrade.CHN.AZE.trade.TOTAL.USD', { view: 'yoy', from: '2023-12', format: 'json' })).join('\n'));
    expect(yoyJson.map((c: { period: string; bucket: string; label: string }) => [c.period, c.bucket, c.label])).toEqual([
      ['2023-12', '2023-12', 'Dec 2023'],
      ['2024-02', '2024-01..02', 'Jan-Feb 2024'],
    ]);
    const ytd = await show('comtrade.CHN.AZE.export.TOTAL.USD', { view: 'ytd', from: '2024-01', format: 'csv' });
    expect(ytd[0]).toBe('period,value');
    const [jan, feb] = ytd.slice(1).map((line) => Number(line.split(',')[1]));
    const monthly = JSON.parse((await show('comtrade.CHN.AZE.export.TOTAL.USD', { from: '2024-01', format: 'json' })).join('\n'));
    expect(jan).toBe(monthly[0].value);
    expect(feb).toBe(monthly[0].value + monthly[1].value);
    expect(monthly[0]).toMatchObject({ period: '2024-01', state: 'published', revisions: [] });
  });

  it('refuses bad flags and unknown series by name', async () => {
    await expect(show('comtrade.CHN.AZE.export.TOTAL.USD', { view: 'weekly' as 'ytd' })).rejects.toThrow(/--view "weekly"/);
    await expect(show('comtrade.CHN.AZE.export.TOTAL.USD', { from: '2024-1' })).rejects.toThrow(/--from "2024-1"/);
    await expect(show('comtrade.CHN.NOPE.trade.TOTAL.USD', {})).rejects.toThrow(/no group NOPE is configured/);
    await expect(show('comtrade.CHN.ZZZ.export.TOTAL.USD', {})).rejects.toThrow(/no observations in the demo data set/);
    await expect(show('comtrade.CHN.AZE.export.TOTAL.USD', { asOf: '2024-03-01' })).rejects.toThrow(/as of 2024-03-01T23:59:59\.999Z \(the demo counts as published/);
    expect(() => parseAsOf('yesterday')).toThrow(/--as-of "yesterday"/);
  });
});
