import { beforeAll, describe, expect, it } from 'vitest';
import type { Observation, SeriesKey } from '../../shared/domain/series.js';
import { seriesId } from '../../shared/domain/series.js';
import { freshTable } from '../support/local-table.js';

const key: SeriesKey = { source: 'comtrade', reporter: 'CHN', partner: 'AZE', flow: 'export', commodity: 'TOTAL', currency: 'USD' };
const id = seriesId(key);
const months = (values: Record<string, number>): Observation[] =>
  Object.entries(values).map(([period, value]) => ({ period, value, state: 'published' }));

describe('series repository on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof freshTable>>;
  beforeAll(async () => {
    table = await freshTable();
  });

  it('stores a new series with its months and metadata', async () => {
    const result = await table.series.saveObservations(key, months({ '2024-01': 100, '2024-02': 200 }), '2024-03-20T00:00:00.000Z');
    expect(result).toMatchObject({ seriesId: id, inserted: ['2024-01', '2024-02'], revised: [], unchanged: 0, writes: 4 });
    expect(await table.series.getSeries(id)).toMatchObject({ ...key, seriesId: id, firstPeriod: '2024-01', lastPeriod: '2024-02', observationCount: 2 });
    const stored = await table.series.getObservations(id);
    expect(stored).toEqual([
      { period: '2024-01', value: 100, state: 'published', firstSeenAt: '2024-03-20T00:00:00.000Z', lastChangedAt: '2024-03-20T00:00:00.000Z', revisions: [] },
      { period: '2024-02', value: 200, state: 'published', firstSeenAt: '2024-03-20T00:00:00.000Z', lastChangedAt: '2024-03-20T00:00:00.000Z', revisions: [] },
    ]);
  });

  it('writes nothing when the same release comes again', async () => {
    const result = await table.series.saveObservations(key, months({ '2024-01': 100, '2024-02': 200 }), '2024-03-21T00:00:00.000Z');
    expect(result).toMatchObject({ inserted: [], revised: [], unchanged: 2, writes: 0 });
  });

  it('keeps the earlier value as a revision when a month is republished', async () => {
    const result = await table.series.saveObservations(key, months({ '2024-02': 210, '2024-03': 300 }), '2024-04-20T00:00:00.000Z');
    expect(result).toMatchObject({ inserted: ['2024-03'], revised: ['2024-02'], unchanged: 0 });
    const [february] = await table.series.getObservations(id, { from: '2024-02', to: '2024-02' });
    expect(february).toEqual({
      period: '2024-02',
      value: 210,
      state: 'published',
      firstSeenAt: '2024-03-20T00:00:00.000Z',
      lastChangedAt: '2024-04-20T00:00:00.000Z',
      revisions: [{ value: 200, state: 'published', seenAt: '2024-03-20T00:00:00.000Z' }],
    });
    expect(await table.series.getSeries(id)).toMatchObject({ lastPeriod: '2024-03', observationCount: 3 });
  });

  it('reads a range of months, and an unknown series as empty', async () => {
    expect((await table.series.getObservations(id, { from: '2024-02' })).map((o) => o.period)).toEqual(['2024-02', '2024-03']);
    expect(await table.series.getObservations('comtrade.CHN.XXX.export.TOTAL.USD')).toEqual([]);
    expect(await table.series.getSeries('comtrade.CHN.XXX.export.TOTAL.USD')).toBeUndefined();
  });

  it('lists series per reporter through the index, and all of them', async () => {
    const kazakhstan: SeriesKey = { ...key, reporter: 'KAZ', partner: 'CHN' };
    await table.series.saveObservations(kazakhstan, months({ '2024-01': 5 }), '2024-03-20T00:00:00.000Z');
    expect((await table.series.listSeries({ reporter: 'KAZ' })).map((s) => s.seriesId)).toEqual([seriesId(kazakhstan)]);
    expect((await table.series.listSeries()).map((s) => s.seriesId).sort()).toEqual([id, seriesId(kazakhstan)].sort());
  });

  it('knows when any series last changed without listing them, and an unchanged release does not move it', async () => {
    const fresh = await freshTable();
    expect(await fresh.series.lastUpdatedAt()).toBeUndefined();
    await fresh.series.saveObservations(key, months({ '2024-01': 1 }), '2024-02-20T00:00:00.000Z');
    await fresh.series.saveObservations({ ...key, reporter: 'KAZ', partner: 'CHN' }, months({ '2024-01': 2 }), '2024-03-20T00:00:00.000Z');
    await fresh.series.saveObservations(key, months({ '2024-01': 1 }), '2024-04-20T00:00:00.000Z');
    expect(await fresh.series.lastUpdatedAt()).toBe('2024-03-20T00:00:00.000Z');
    await fresh.series.saveObservations(key, months({ '2024-01': 3 }), '2024-05-20T00:00:00.000Z');
    expect(await fresh.series.lastUpdatedAt()).toBe('2024-05-20T00:00:00.000Z');
  });

  it('refuses to store a derived trade series', async () => {
    await expect(table.series.saveObservations({ ...key, flow: 'trade' }, months({ '2024-01': 1 }), 'x')).rejects.toThrow();
  });

  it('writes more than 25 months in batches, all of them', async () => {
    const many: Record<string, number> = {};
    for (let year = 2000; year < 2020; year++) for (let m = 1; m <= 12; m++) many[`${year}-${String(m).padStart(2, '0')}`] = year * 100 + m;
    const long = { ...key, partner: 'TUR' };
    const result = await table.series.saveObservations(long, months(many), '2024-01-01T00:00:00.000Z');
    expect(result.inserted).toHaveLength(240);
    expect(await table.series.getObservations(seriesId(long))).toHaveLength(240);
  });
});
