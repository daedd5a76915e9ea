import { afterEach, describe, expect, it } from 'vitest';
import { showStatus } from '../../shared/cli/commands/status.js';
import { loadQueryConfig } from '../../shared/config/functions.js';
import { periodRange } from '../../shared/domain/period.js';
import { handleQuery } from '../../shared/query/query-api.js';
import type { TrackingStatus } from '../../shared/query/tracking-status.js';
import { newRunOwner } from '../../shared/store/run-repository.js';
import { statusOf } from '../../shared/wiring.js';
import { DEFAULT_GROUPS } from '../../shared/domain/groups.js';
import { defaultDetectionConfig } from '../../shared/domain/detection/index.js';
import { freshTable } from '../support/local-table.js';

const WATCHLIST = JSON.stringify({ entries: [{ reporter: 'CHN', partners: ['KAZ', 'KGZ'], flows: ['export'] }, { reporter: 'DEU', partners: ['KAZ'], flows: ['export'], commodity: 'AG2' }] });
// Thursday 2026-12-03 13:00 UTC is 21:00 in Shanghai: the next daily run (10:00 there) is 02:00 UTC the next day.
const NOW = new Date('2026-12-03T13:00:00Z');
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

/** A table where China's exports to Kazakhstan are stored, its history a fifth backfilled, one run quarantined two records and three calls were made today. */
async function trackedTable() {
  const table = await freshTable();
  const months = periodRange('2023-03', '2024-02');
  await table.series.saveObservations(
    { source: 'comtrade', reporter: 'CHN', partner: 'KAZ', flow: 'export', commodity: 'TOTAL', currency: 'USD' },
    months.map((period, i) => ({ period, value: 2e9 + i, state: 'published' as const })),
    '2024-03-20T00:00:00.000Z',
  );
  // Not the entry's: another source, and an import flow the entry does not watch.
  await table.series.saveObservations({ source: 'csv', reporter: 'CHN', partner: 'KAZ', flow: 'export', commodity: 'TOTAL', currency: 'USD' }, [{ period: '2024-01', value: 1, state: 'published' }], '2024-03-20T00:00:00.000Z');
  await table.series.saveObservations({ source: 'comtrade', reporter: 'CHN', partner: 'KAZ', flow: 'import', commodity: 'TOTAL', currency: 'USD' }, [{ period: '2024-01', value: 1, state: 'published' }], '2024-03-20T00:00:00.000Z');
  await table.runs.recordReleases('comtrade', 'CHN', new Map([['2023-12', '2024-04-20'], ['2024-01', '2024-03-07'], ['2024-02', '2024-03-20']]));
  for (const partner of ['KAZ', 'KGZ']) {
    await table.backfill.create({ source: 'comtrade', reporter: 'CHN', commodity: 'TOTAL', partner, flows: ['export'], wantedFrom: '2019-03', wantedTo: '2024-02', chunksDone: new Set(), chunksQueued: new Map() });
  }
  await table.backfill.markDone('comtrade', 'CHN', 'TOTAL', ['KAZ'], '2023-03..2024-02');
  const owner = newRunOwner();
  await table.runs.start('daily-test', 'comtrade', NOW, owner);
  await table.runs.checkpoint('daily-test', owner, 'https://comtrade.example/one-call', { observations: 10, quarantined: 2 }, NOW);
  await table.runs.finish('daily-test', 'DONE', NOW);
  for (let call = 0; call < 3; call++) await table.runs.consumeBudget('comtrade', '2026-12-03', 450);
  return table;
}

describe('where tracking stands: tradewatch status and GET /status', () => {
  it('reports per watchlist entry the months stored, the backfill and the last release; the next runs, calls used today and quarantined records', async () => {
    const table = await trackedTable();
    const config = loadQueryConfig({ WATCHLIST, COMTRADE_DAILY_CALL_BUDGET: '450' });
    const response = await handleQuery(
      { routeKey: 'GET /status', queryStringParameters: {} },
      { ...table, status: (reporter) => statusOf(table, config)(reporter, NOW), groups: DEFAULT_GROUPS, loadDetectionFor: async () => () => defaultDetectionConfig },
    );
    expect(response.statusCode).toBe(200);
    const status = response.body as TrackingStatus;
    // The table is not seeded: the status says it shows the deploy's watchlist.
    expect(status.watchlist).toEqual({ from: 'deploy' });
    expect(status.nextRuns).toEqual({ daily: '2026-12-04T02:00:00.000Z', monthlyRefresh: '2026-12-25T02:00:00.000Z', timeZone: 'Asia/Shanghai' });
    expect(status.upstreams.map((u) => u.source)).toEqual(['comtrade']);
    expect(status.upstreams[0]!.budget).toEqual({ day: '2026-12-03', limit: 450, used: 3, planned: 0 });
    expect(status.quarantine).toMatchObject({ records: 2, runs: [{ runKey: 'daily-test', records: 2 }] });
    const [china, germany] = status.entries;
    expect(china).toEqual({
      source: 'comtrade',
      reporter: 'CHN',
      commodity: 'TOTAL',
      partners: 2,
      series: 1,
      monthsStored: 12,
      firstPeriod: '2023-03',
      lastPeriod: '2024-02',
      lastRelease: { releasedOn: '2024-04-20', throughPeriod: '2024-02' },
      backfill: { partners: 2, partnersComplete: 0, monthsWanted: 120, monthsDone: 12, complete: false },
    });
    expect(germany).toMatchObject({ reporter: 'DEU', commodity: 'AG2', series: 0, monthsStored: 0, lastRelease: null, backfill: { partners: 0, complete: true } });
    expect(status.upstreams[0]!.backfill).toMatchObject({ monthsWanted: 120, monthsDone: 12, complete: false, etaDays: 1 });

    const one = await handleQuery(
      { routeKey: 'GET /status', queryStringParameters: { reporter: 'cn' } },
      { ...table, status: (reporter) => statusOf(table, config)(reporter, NOW), groups: DEFAULT_GROUPS, loadDetectionFor: async () => () => defaultDetectionConfig },
    );
    expect((one.body as TrackingStatus).entries.map((e) => e.reporter)).toEqual(['CHN']);
    const bad = await handleQuery({ routeKey: 'GET /status', queryStringParameters: { reporter: 'XXX' } }, { ...table, status: statusOf(table, config), groups: DEFAULT_GROUPS, loadDetectionFor: async () => () => defaultDetectionConfig });
    expect(bad).toMatchObject({ statusCode: 400, body: { parameter: 'reporter' } });
  });

  it('prints the same in the terminal', async () => {
    const table = await trackedTable();
    Object.assign(process.env, { DYNAMODB_ENDPOINT: table.connection.endpoint, TABLE_NAME: table.tableName, WATCHLIST });
    const lines: string[] = [];
    await showStatus({}, (line) => lines.push(line), NOW);
    expect(lines.slice(0, 5)).toEqual([
      'Status at 2026-12-03T13:00:00.000Z',
      'Next runs: daily 2026-12-04T02:00:00.000Z, monthly refresh 2026-12-25T02:00:00.000Z (scheduled in Asia/Shanghai)',
      'UN Comtrade calls today (2026-12-03 UTC): 3 used, 0 planned, of 450',
      expect.stringMatching(/^UN Comtrade backfill: 12 of 120 months \(10%\), 0 of 2 partners complete; about 1 day\(s\) left at \d+ calls a day$/),
      'Quarantined records: 2 in 1 of the last 1 run(s) (tradewatch runs show KEY): daily-test',
    ]);
    expect(lines.slice(6)).toEqual([
      "The deploy's watchlist (WATCHLIST): the table holds none yet, and the first scheduled run seeds it from this one:",
      'SOURCE    REPORTER  COMMODITY  PARTNERS  SERIES  MONTHS  FROM     TO       LAST RELEASE             BACKFILL',
      'comtrade  CHN       TOTAL      2         1       12      2023-03  2024-02  2024-04-20 (to 2024-02)  10%',
      'comtrade  DEU       AG2        1         0       0       -        -        -                        not planned',
    ]);
    await expect(showStatus({ format: 'xml' as 'json' }, () => {}, NOW)).rejects.toThrow(/^--format "xml"/);
  });
});
