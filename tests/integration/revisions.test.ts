import { describe, expect, it } from 'vitest';
import { DEFAULT_GROUPS } from '../../shared/domain/groups.js';
import { periodRange } from '../../shared/domain/period.js';
import type { Observation, SeriesKey } from '../../shared/domain/series.js';
import { readSeries } from '../../shared/query/read-series.js';
import { freshTable } from '../support/local-table.js';

const key: SeriesKey = { source: 'comtrade', reporter: 'CHN', partner: 'KAZ', flow: 'export', commodity: 'TOTAL', currency: 'USD' };
const id = 'comtrade.CHN.KAZ.export.TOTAL.USD';
const release = (march: number): Observation[] => [
  { period: '2024-01', value: 100, state: 'published' },
  { period: '2024-02', value: 110, state: 'published' },
  { period: '2024-03', value: march, state: 'published' },
];

describe('vintages in the store', () => {
  it('keeps three vintages of a month revised twice, and answers as of each', async () => {
    const table = await freshTable();
    await table.series.saveObservations(key, release(120), '2024-04-20T00:00:00.000Z');
    await table.series.saveObservations(key, release(125), '2024-05-20T00:00:00.000Z');
    await table.series.saveObservations(key, release(131), '2024-06-20T00:00:00.000Z');
    const load = (seriesId: string) => table.series.getObservations(seriesId);
    const march = async (asOf?: string) => (await readSeries(id, load, DEFAULT_GROUPS, asOf)).find((o) => o.period === '2024-03');
    expect((await march())!.value).toBe(131);
    expect(((await march()) as unknown as { revisions: unknown[] }).revisions).toHaveLength(2);
    expect((await march('2024-04-30T00:00:00.000Z'))!.value).toBe(120);
    expect((await march('2024-05-31T00:00:00.000Z'))!.value).toBe(125);
    expect((await march('2024-06-30T00:00:00.000Z'))!.value).toBe(131);
    expect(await march('2024-04-01T00:00:00.000Z')).toBeUndefined(); // not published yet
  });

  it('makes no write when the same release comes again', async () => {
    const table = await freshTable();
    expect((await table.series.saveObservations(key, release(120), '2024-04-20T00:00:00.000Z')).writes).toBe(5);
    expect((await table.series.saveObservations(key, release(120), '2024-04-21T00:00:00.000Z')).writes).toBe(0);
  });

  it('ends two concurrent ingests of the same release in one state, 50 times over', async () => {
    const months = periodRange('2021-01', '2024-02');
    const observations = months.map((period, i) => ({ period, value: 1e6 + i, state: 'published' as const }));
    const snapshots = new Set<string>();
    for (let repetition = 0; repetition < 50; repetition++) {
      const table = await freshTable();
      // An earlier vintage of two months, so both runs also race on revisions.
      await table.series.saveObservations(key, observations.slice(0, 2).map((o) => ({ ...o, value: 1 })), '2024-02-20T00:00:00.000Z');
      const releaseTime = '2024-03-20T00:00:00.000Z'; // the scheduled run's time, shared by both
      await Promise.all([0, 1].map(() => table.series.saveObservations(key, observations, releaseTime)));
      const stored = await table.series.getObservations(id, { consistent: true });
      expect(stored).toHaveLength(38);
      expect(stored[0]!.revisions).toEqual([{ value: 1, state: 'published', seenAt: '2024-02-20T00:00:00.000Z' }]);
      snapshots.add(JSON.stringify(stored));
    }
    expect(snapshots.size).toBe(1);
  }, 120_000);
});

describe('vintages written by racing runs', () => {
  it('answers as of each release however two runs of different releases landed, 100 times over', async () => {
    const table = await freshTable();
    const april = '2024-04-20T00:00:00.000Z';
    const may = '2024-05-20T00:00:00.000Z';
    for (let repetition = 0; repetition < 100; repetition++) {
      const series: SeriesKey = { ...key, commodity: String(200_000 + repetition) };
      const runs = [
        () => table.series.saveObservations(series, release(120), april),
        () => table.series.saveObservations(series, release(125), may),
      ];
      if (repetition % 2 === 0) runs.reverse();
      await Promise.all(runs.map((run) => run()));
      const load = (seriesId: string) => table.series.getObservations(seriesId, { consistent: true });
      const march = async (asOf?: string) => (await readSeries(`comtrade.CHN.KAZ.export.${series.commodity}.USD`, load, DEFAULT_GROUPS, asOf)).find((o) => o.period === '2024-03');
      expect((await march())!.value, `repetition ${repetition}`).toBe(125);
      expect((await march('2024-04-30T00:00:00.000Z'))!.value).toBe(120);
      expect(await march('2024-04-01T00:00:00.000Z')).toBeUndefined();
      expect((await march('2024-05-31T00:00:00.000Z'))!.value).toBe(125);
    }
  }, 180_000);
});
