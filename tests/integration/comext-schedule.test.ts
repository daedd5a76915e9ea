import { pointCliAt } from '../support/cli-environment.js';
import { CollectingQueue } from '../support/collecting-queue.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../shared/cli/commands/ingest.js';
import { loadPlanConfig } from '../../shared/config/functions.js';
import { FEED_ROUTE, routeOf } from '../../shared/domain/alerts/routing.js';
import { defaultDetectionConfig } from '../../shared/domain/detection/index.js';
import { periodRange } from '../../shared/domain/period.js';
import { processWorkItem, type WorkItemOutcome } from '../../shared/ingest/process-work-item.js';
import { runIngest } from '../../shared/ingest/ingest-run.js';
import { startLocalComextServer, type LocalComextServer } from '../../shared/local/comext-server.js';
import { startLocalAlertTopic, type LocalAlertTopic } from '../../shared/local/local-alerts.js';
import { planScheduledRun } from '../../shared/plan/plan-run.js';
import { ComextSource } from '../../shared/sources/eurostat/comext-source.js';
import { createAlertPublisher, createPlanner } from '../../shared/wiring.js';
import { freshTable } from '../support/local-table.js';
import { realEuExports } from '../support/real-eu-exports.js';

const EMAIL = routeOf({ protocol: 'email', endpoint: 'analyst@example.org' });
const SMS = routeOf({ protocol: 'sms', endpoint: '+4915112345678' });
const ROUTES = [FEED_ROUTE, EMAIL, SMS];
const KGZ_SERIES = 'eurostat-comext.EUU.KGZ.export.TOTAL.EUR';

describe('Eurostat Comext from the command line, into the store and out as alerts', () => {
  let topic: LocalAlertTopic;
  let server: LocalComextServer;
  const saved = { ...process.env };
  beforeAll(async () => {
    topic = await startLocalAlertTopic(ROUTES);
    // Real EU exports to Kyrgyzstan through 2022: about €21 m a month in 2021, eight times that by the year's end.
    server = await startLocalComextServer({ figures: realEuExports('EUU', 'KGZ', '2022-12') });
  });
  afterAll(async () => {
    await Promise.all([topic.stop(), server.stop()]);
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('plans its calls with --dry-run, in Comext codes', async () => {
    const lines: string[] = [];
    await ingest({ source: 'comext', reporters: 'EU27_2020', partners: 'KG', from: '2022-01', to: '2023-03', baseUrl: server.baseUrl, dryRun: true }, (l) => lines.push(l), false);
    const data = `${server.baseUrl}/eurostat/api/comext/dissemination/sdmx/2.1/data/DS-045409/M.EU27_2020.KG.TOTAL.2+1.VALUE_IN_EUROS?format=SDMX-CSV`;
    expect(lines).toEqual([
      `Dry run: 2 call(s) to ${server.baseUrl} for 2022-01..2023-03, nothing fetched or stored.`,
      `  GET ${data}&startPeriod=2022-01&endPeriod=2022-12`,
      `  GET ${data}&startPeriod=2023-01&endPeriod=2023-03`,
    ]);
    expect(server.requests).toEqual([]);
  });

  it('stores the EU series in euros and alerts the jump once on each route', async () => {
    const table = await freshTable();
    pointCliAt(table, topic, [EMAIL, SMS]);
    Object.assign(process.env, {
      COMEXT_BASE_URL: server.baseUrl,
      COMEXT_MIN_INTERVAL_MS: '0',
    });
    const lines: string[] = [];
    await ingest({ source: 'comext', reporters: 'EU27_2020', partners: 'KG', flows: 'export', from: '2019-01', to: '2022-12' }, (l) => lines.push(l), false);
    expect(lines[0]).toMatch(/^Run cli-eurostat-comext-\w+: 4 call\(s\) .* 48 observations: 48 new, 0 revised/);
    const [stored] = await table.series.listSeries({ reporter: 'EUU' });
    expect(stored).toMatchObject({ seriesId: KGZ_SERIES, firstPeriod: '2019-01', lastPeriod: '2022-12' });
    const december = await table.series.getObservations(KGZ_SERIES, { from: '2022-12' });
    expect(december[0]).toMatchObject({ value: realEuExports('EUU', 'KGZ', '2022-12').at(-1)!.value, state: 'published' });

    const received = Object.fromEntries(await Promise.all(ROUTES.map(async (r) => [r.id, await topic.drain(r.id)] as const)));
    for (const route of ROUTES) {
      expect(received[route.id], route.id).toHaveLength(1);
      expect(received[route.id]![0], route.id).toMatchObject({ kind: 'tradewatch.alert', seriesId: KGZ_SERIES, severity: 'critical' });
    }
  });
});

describe('Comext over HTTP: 413 split, asynchronous extractions, a bounded wait', () => {
  const periods = periodRange('2022-01', '2023-12');
  const figures = [...realEuExports('EUU', 'KGZ', '2023-12'), ...realEuExports('EUU', 'ARM', '2023-12')].filter((f) => f.period >= '2022-01');
  const request = { reporter: 'EUU', partners: ['KGZ', 'ARM'], flows: ['export' as const], periods, commodity: 'TOTAL' };

  it('halves a query answered 413, follows the asynchronous answers, and stores every month', async () => {
    // 12 cells (one partner, one flow, a year) pass; two partners are too big. A year of one partner is prepared asynchronously.
    const server = await startLocalComextServer({ figures, maxCells: 12, asyncAboveCells: 6, asyncPolls: 2 });
    try {
      const table = await freshTable();
      const source = new ComextSource({ baseUrl: server.baseUrl, minIntervalMs: 0, asyncPollIntervalMs: 10, asyncMaxWaitMs: 60_000 });
      const summary = await runIngest({ source, requests: [request], series: table.series, now: () => new Date('2024-03-01T00:00:00Z'), run: { key: 'comext-413-async', repository: table.runs } });
      expect(summary).toMatchObject({ calls: 4, inserted: 48, failedCalls: [] });
      const asked = server.requests.map((r) => r.replace(/.*\/(data\/DS-045409|async)\//, ''));
      expect(asked.filter((r) => r.startsWith('M.EU27_2020.KG+AM'))).toHaveLength(2);
      expect(asked.filter((r) => r.startsWith('status/'))).toHaveLength(4 * 3);
      expect(asked.filter((r) => r.startsWith('data/'))).toHaveLength(4);
      expect((await table.series.listSeries({ reporter: 'EUU' })).map((s) => [s.seriesId, s.firstPeriod, s.lastPeriod])).toEqual([
        ['eurostat-comext.EUU.ARM.export.TOTAL.EUR', '2022-01', '2023-12'],
        ['eurostat-comext.EUU.KGZ.export.TOTAL.EUR', '2022-01', '2023-12'],
      ]);
    } finally {
      await server.stop();
    }
  });

  it('records a call whose extraction is never ready as failed, goes on, and ends the run INCOMPLETE; one still too big for a month fails alone', async () => {
    const never = await startLocalComextServer({ figures, asyncAboveCells: 12, asyncPolls: Number.POSITIVE_INFINITY });
    const tooBig = await startLocalComextServer({ figures, maxCells: 0 });
    try {
      const table = await freshTable();
      const waiting = new ComextSource({ baseUrl: never.baseUrl, minIntervalMs: 0, asyncPollIntervalMs: 20, asyncMaxWaitMs: 200 });
      const waited = await runIngest({ source: waiting, requests: [request], series: table.series, now: () => new Date(), run: { key: 'comext-never-ready', repository: table.runs } });
      // Each year of both partners (24 cells) is asynchronous and never ready.
      expect(waited.failedCalls.map((f) => f.error)).toEqual([expect.stringMatching(/still PROCESSING after 200 ms/), expect.stringMatching(/still PROCESSING after 200 ms/)]);
      expect(await table.runs.failedCalls('comext-never-ready')).toHaveLength(2);

      const refused = new ComextSource({ baseUrl: tooBig.baseUrl, minIntervalMs: 0 });
      const split = await runIngest({ source: refused, requests: [{ ...request, partners: ['KGZ'], periods: ['2023-01', '2023-02'] }], series: table.series, now: () => new Date(), run: { key: 'comext-too-big', repository: table.runs } });
      expect(split.failedCalls.map((f) => f.error)).toEqual([expect.stringMatching(/413 EXTRACTION_TOO_BIG even for .*2023-01: nothing smaller can be asked$/), expect.stringMatching(/even for .*2023-02: nothing smaller/)]);
      expect((await table.runs.get('comext-too-big'))?.status).toBe('INCOMPLETE');
    } finally {
      await Promise.all([never.stop(), tooBig.stop()]);
    }
  });
});

describe('a Comext watchlist entry on the schedule', () => {
  it('is planned as Comext work items on its own budget, backfilled as history, and checked cheaply when nothing is new', async () => {
    const table = await freshTable();
    const queue = new CollectingQueue();
    const watchlist = { entries: [{ source: 'comext', reporter: 'EU27_2020', partners: ['KG'], flows: ['export'] }] };
    const planner = createPlanner(
      loadPlanConfig({ TABLE_NAME: table.tableName, DYNAMODB_ENDPOINT: table.connection.endpoint, WORK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/work', WATCHLIST: JSON.stringify(watchlist), COMTRADE_DAILY_CALL_BUDGET: '1' }),
      queue,
    );
    const topic = await startLocalAlertTopic(ROUTES);
    const server = await startLocalComextServer({ figures: realEuExports('EUU', 'KGZ', '2024-01'), lastUpdate: '15/02/24 23:00:00' });
    try {
      const worker = {
        ...table,
        sourceFor: (upstream: string) => {
          if (upstream !== 'comext') throw new Error(`a Comext item built a ${upstream} source`);
          return new ComextSource({ baseUrl: server.baseUrl, minIntervalMs: 0 });
        },
        publisher: createAlertPublisher({ region: topic.region, snsEndpoint: topic.endpoint, alertTopicArn: topic.topicArn }),
        routes: ROUTES,
        loadDetectionFor: async () => () => defaultDetectionConfig,
        lookbackMonths: 3,
      };
      const day = async (scheduledTime: string) => {
        const planned = await planScheduledRun({ run: 'daily', scheduledTime }, planner);
        const items = queue.take();
        const outcomes: WorkItemOutcome[] = [];
        for (const item of items) outcomes.push(await processWorkItem(item, worker));
        return { planned, items, outcomes };
      };

      const first = await day('2024-03-10T02:00:00.000Z');
      expect(first.items.every((item) => item.source === 'comext' && item.runKey.includes('-comext-EUU-'))).toBe(true);
      expect(first.items.map((i) => [i.run, i.request.periods[0], i.request.periods.at(-1)])).toEqual([
        ['daily', '2022-03', '2024-02'],
        ...['2023-03', '2022-03', '2021-03', '2020-03', '2019-03'].map((from) => ['backfill', from, expect.any(String)]),
      ]);
      // The Comtrade key's budget (here 1 call) is not what Comext spends.
      expect(first.planned.byUpstream).toEqual({ comext: expect.objectContaining({ scheduledItems: 1, backfillItems: 5 }) });
      expect(await table.runs.budgetUse('comtrade', '2024-03-10')).toEqual({ used: 0, planned: 0 });
      expect((await table.runs.budgetUse('eurostat-comext', '2024-03-10')).planned).toBe(first.planned.scheduledCalls + first.planned.backfillCalls);
      const [stored] = await table.series.listSeries({ reporter: 'EUU' });
      expect(stored).toMatchObject({ seriesId: KGZ_SERIES, firstPeriod: '2019-03', lastPeriod: '2024-01' });
      // The 2022 surge is history: recorded, never alerted.
      expect(first.outcomes.flatMap((o) => o.detection.anomalies)).toEqual([]);
      expect((await table.detection.progress('EUU')).newsFrom.get(KGZ_SERIES)).toBe('2024-02');
      expect(await topic.drain(FEED_ROUTE.id)).toEqual([]);

      // Nothing new the next day: the daily item makes only the release check.
      const before = server.requests.length;
      const quiet = await day('2024-03-11T02:00:00.000Z');
      expect(quiet.items.map((i) => i.run)).toEqual(['daily']);
      expect(server.requests.slice(before)).toEqual([expect.stringMatching(/M\.EU27_2020\.KG\.TOTAL\.2\.VALUE_IN_EUROS\?format=SDMX-CSV&lastNObservations=1$/)]);
      expect(quiet.outcomes[0]!.ingest.releases).toEqual({ checked: 24, changed: 0 });

      // Comext's next update brings February: the daily run fetches the window again and stores it.
      server.publish(realEuExports('EUU', 'KGZ', '2024-02'), '15/03/24 23:00:00');
      const update = await day('2024-03-16T02:00:00.000Z');
      expect(update.outcomes[0]!.ingest).toMatchObject({ releases: { checked: 24, changed: 24 }, inserted: 1 });
      expect((await table.series.listSeries({ reporter: 'EUU' }))[0]).toMatchObject({ lastPeriod: '2024-02' });
    } finally {
      await Promise.all([topic.stop(), server.stop()]);
    }
  }, 120_000);
});
