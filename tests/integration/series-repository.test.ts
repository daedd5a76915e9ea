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

  it('refuses a value it cannot store before writing anything, naming series, month and value', async () => {
    const odd = { ...key, partner: 'GEO' };
    const saving = table.series.saveObservations(odd, [...months({ '2024-01': 5 }), { period: '2024-02', value: 1e20, state: 'published' }], '2024-03-20T00:00:00.000Z');
    await expect(saving).rejects.toThrow(/^comtrade\.CHN\.GEO\.export\.TOTAL\.USD 2024-02: value 100000000000000000000 cannot be stored: too large/);
    expect(await table.series.getObservations(seriesId(odd), { consistent: true })).toEqual([]);
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

describe('series by partner (gsi3, detection\'s cross-reporter peers)', () => {
  it('lists every reporter\'s series to a partner in one index, a source narrowing it and a flow filtering it; backfill states stay out', async () => {
    const table = await freshTable();
    const to = (reporter: string, partner: string, flow: 'export' | 'import' = 'export', source: SeriesKey['source'] = 'comtrade') => ({ ...key, source, reporter, partner, flow });
    for (const k of [to('CHN', 'KGZ'), to('DEU', 'KGZ'), to('DEU', 'KGZ', 'import'), to('FRA', 'KGZ', 'export', 'csv'), to('DEU', 'ARM')]) {
      await table.series.saveObservations(k, months({ '2024-01': 1 }), '2024-03-20T00:00:00.000Z');
    }
    // A backfill state carries a partner too, but no seriesId: the index does not hold it.
    await table.backfill.create({ source: 'comtrade', reporter: 'CHN', commodity: 'TOTAL', partner: 'KGZ', flows: ['export'], wantedFrom: '2023-01', wantedTo: '2024-01', chunksDone: new Set(), chunksQueued: new Map() });
    const ids = async (filter: Parameters<typeof table.series.listSeries>[0]) => (await table.series.listSeries(filter)).map((s) => s.seriesId);
    expect(await ids({ partner: 'KGZ' })).toEqual(['comtrade.CHN.KGZ.export.TOTAL.USD', 'comtrade.DEU.KGZ.export.TOTAL.USD', 'comtrade.DEU.KGZ.import.TOTAL.USD', 'csv.FRA.KGZ.export.TOTAL.USD']);
    expect(await ids({ partner: 'KGZ', source: 'comtrade', flow: 'export' })).toEqual(['comtrade.CHN.KGZ.export.TOTAL.USD', 'comtrade.DEU.KGZ.export.TOTAL.USD']);
    expect(await ids({ partner: 'ARM' })).toEqual(['comtrade.DEU.ARM.export.TOTAL.USD']);
  });

  it('is added to a table created before it, the series already stored listed through it', async () => {
    const { CreateTableCommand, DeleteTableCommand, DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { createTableInput, GSI3 } = await import('../../shared/store/table-definition.js');
    const { ensureTable } = await import('../../shared/local/dynamodb-local.js');
    const { sdkClientConfig } = await import('../../shared/aws/client-config.js');
    const { createStore } = await import('../../shared/wiring.js');
    const fresh = await freshTable();
    const tableName = `${fresh.tableName}-old`;
    const client = new DynamoDBClient(sdkClientConfig(fresh.connection));
    try {
      const current = createTableInput(tableName);
      // The table as deployed before gsi3: its indexes and their attributes only.
      const before = current.GlobalSecondaryIndexes.filter((i) => i.IndexName !== GSI3);
      const used = new Set(['pk', 'sk', ...before.flatMap((i) => i.KeySchema.map((k) => k.AttributeName))]);
      await client.send(new CreateTableCommand({ ...current, GlobalSecondaryIndexes: before, AttributeDefinitions: current.AttributeDefinitions.filter((a) => used.has(a.AttributeName)) }));
      const store = createStore({ region: fresh.connection.region, tableName, dynamoDbEndpoint: fresh.connection.endpoint });
      await store.series.saveObservations({ ...key, partner: 'KGZ' }, months({ '2024-01': 1 }), '2024-03-20T00:00:00.000Z');
      await ensureTable(fresh.connection, tableName);
      expect((await store.series.listSeries({ partner: 'KGZ' })).map((s) => s.seriesId)).toEqual(['comtrade.CHN.KGZ.export.TOTAL.USD']);
    } finally {
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      client.destroy();
    }
  });
});

describe('writers racing on one series', () => {
  let table: Awaited<ReturnType<typeof freshTable>>;
  beforeAll(async () => {
    table = await freshTable();
  });
  const REPETITIONS = 100;
  const t0 = '2024-02-20T00:00:00.000Z';
  const t1 = '2024-03-20T00:00:00.000Z';
  const t2 = '2024-04-20T00:00:00.000Z';
  /** A series of its own for each repetition, in the one table. */
  const seriesFor = (scenario: number, repetition: number): SeriesKey => ({ ...key, commodity: String(100_000 + scenario * 1_000 + repetition) });
  /** Both at once, started in either order; or one after the other, in either order. */
  const race = async (repetition: number, a: () => Promise<unknown>, b: () => Promise<unknown>) => {
    switch (repetition % 4) {
      case 0:
        return Promise.all([a(), b()]);
      case 1:
        return Promise.all([b(), a()]);
      case 2:
        return a().then(b);
      default:
        return b().then(a);
    }
  };
  const stored = async (series: SeriesKey) => table.series.getObservations(seriesId(series), { consistent: true });

  it('keeps both values of a new month, the later release current, whichever lands first', async () => {
    for (let repetition = 0; repetition < REPETITIONS; repetition++) {
      const series = seriesFor(1, repetition);
      await race(
        repetition,
        () => table.series.saveObservations(series, months({ '2024-01': 100, '2024-02': 200 }), t1),
        () => table.series.saveObservations(series, months({ '2024-01': 150, '2024-02': 200, '2024-03': 300 }), t2),
      );
      expect(await stored(series), `repetition ${repetition}`).toEqual([
        { period: '2024-01', value: 150, state: 'published', firstSeenAt: t1, lastChangedAt: t2, revisions: [{ value: 100, state: 'published', seenAt: t1 }] },
        // The same value in both releases: known since the earlier one.
        { period: '2024-02', value: 200, state: 'published', firstSeenAt: t1, lastChangedAt: t1, revisions: [] },
        { period: '2024-03', value: 300, state: 'published', firstSeenAt: t2, lastChangedAt: t2, revisions: [] },
      ]);
      expect(await table.series.getSeries(seriesId(series), { consistent: true })).toMatchObject({
        firstPeriod: '2024-01',
        lastPeriod: '2024-03',
        observationCount: 3,
        updatedAt: t2,
      });
    }
  }, 180_000);

  it('breaks a tie in release time by value, keeping the other as a revision', async () => {
    for (let repetition = 0; repetition < REPETITIONS; repetition++) {
      const series = seriesFor(2, repetition);
      await race(
        repetition,
        () => table.series.saveObservations(series, months({ '2024-01': 100 }), t1),
        () => table.series.saveObservations(series, [{ period: '2024-01', value: null, state: 'suppressed' }], t1),
      );
      await race(
        repetition,
        () => table.series.saveObservations(series, months({ '2024-01': 90 }), t2),
        () => table.series.saveObservations(series, months({ '2024-01': 120 }), t2),
      );
      expect(await stored(series), `repetition ${repetition}`).toEqual([
        {
          period: '2024-01',
          value: 120,
          state: 'published',
          firstSeenAt: t1,
          lastChangedAt: t2,
          revisions: [
            { value: null, state: 'suppressed', seenAt: t1 },
            { value: 100, state: 'published', seenAt: t1 },
            { value: 90, state: 'published', seenAt: t2 },
          ],
        },
      ]);
    }
  }, 180_000);

  it('keeps a revision from an older release that lands after a newer one, the newer value current', async () => {
    for (let repetition = 0; repetition < REPETITIONS; repetition++) {
      const series = seriesFor(3, repetition);
      await table.series.saveObservations(series, months({ '2024-01': 1 }), t0);
      await race(
        repetition,
        () => table.series.saveObservations(series, months({ '2024-01': 100 }), t1),
        () => table.series.saveObservations(series, months({ '2024-01': 150 }), t2),
      );
      const [january] = await stored(series);
      expect(january, `repetition ${repetition}`).toEqual({
        period: '2024-01',
        value: 150,
        state: 'published',
        firstSeenAt: t0,
        lastChangedAt: t2,
        revisions: [
          { value: 1, state: 'published', seenAt: t0 },
          { value: 100, state: 'published', seenAt: t1 },
        ],
      });
    }
  }, 180_000);

  it('leaves the right first and last month and count when writers add disjoint months at once', async () => {
    for (let repetition = 0; repetition < REPETITIONS; repetition++) {
      const series = seriesFor(4, repetition);
      // Four writers, three months each, none shared; the series is new to all of them.
      const quarters = [0, 1, 2, 3].map((q) =>
        Object.fromEntries([1, 2, 3].map((m) => [`2023-${String(q * 3 + m).padStart(2, '0')}`, q * 10 + m])),
      );
      const times = [t0, t2, t1, t0];
      await Promise.all(quarters.map((quarter, q) => table.series.saveObservations(series, months(quarter), times[q]!)));
      expect(await table.series.getSeries(seriesId(series), { consistent: true }), `repetition ${repetition}`).toMatchObject({
        seriesId: seriesId(series),
        firstPeriod: '2023-01',
        lastPeriod: '2023-12',
        observationCount: 12,
        updatedAt: t2,
      });
      expect(await stored(series)).toHaveLength(12);
    }
  }, 180_000);

  it('makes no write for an unchanged release after a race', async () => {
    const series = seriesFor(1, 0);
    const again = await table.series.saveObservations(series, months({ '2024-01': 150, '2024-02': 200, '2024-03': 300 }), '2024-05-20T00:00:00.000Z');
    expect(again).toMatchObject({ inserted: [], revised: [], unchanged: 3, writes: 0 });
  });
});
