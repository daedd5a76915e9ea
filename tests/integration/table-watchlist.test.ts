import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { watchAdd } from '../../shared/cli/commands/manage.js';
import { showStatus } from '../../shared/cli/commands/status.js';
import { loadCliConfig, loadQueryConfig } from '../../shared/config/functions.js';
import { FEED_ROUTE } from '../../shared/domain/alerts/routing.js';
import { periodRange } from '../../shared/domain/period.js';
import { processWorkItem } from '../../shared/ingest/process-work-item.js';
import { startLocalComtradeServer, type LocalComtradeServer } from '../../shared/local/comtrade-server.js';
import { startLocalAlertTopic, type LocalAlertTopic } from '../../shared/local/local-alerts.js';
import { handleManageRequest } from '../../shared/manage/manage-api.js';
import { planWorkItems } from '../../shared/plan/work-items.js';
import { handleQuery, type QueryRequest } from '../../shared/query/query-api.js';
import type { TrackingStatus } from '../../shared/query/tracking-status.js';
import { ComtradeClient } from '../../shared/sources/comtrade/comtrade-client.js';
import { ComtradeSource } from '../../shared/sources/comtrade/comtrade-source.js';
import { createAlertPublisher, createReadStore, manageServices, statusOf, storedDetection } from '../../shared/wiring.js';
import { freshTable } from '../support/local-table.js';

type Table = Awaited<ReturnType<typeof freshTable>>;

/** Türkiye's exports of one chip code to Kyrgyzstan: a trickle until February 2022, much from March 2022 on. */
const CHIPS = { reporter: 'TUR', partners: ['KGZ'], flows: ['export'], commodity: '854231' };
const figures = periodRange('2019-07', '2024-07').map((period) => ({ reporter: 'TUR', partner: 'KGZ', flow: 'export' as const, period, cmdCode: '854231', value: period < '2022-03' ? 20_000 : 1_400_000 }));
const RULE = { littleBeforeMuchAfter: { date: '2022-03', baseMonths: 12, ratio: 5 } };

/** The functions' configuration on a test table, the deploy's watchlist (the seed) following the chips without the rule. */
const configOn = (table: Table, watchlist: unknown = { entries: [CHIPS] }) => loadCliConfig({ DYNAMODB_ENDPOINT: table.connection.endpoint, TABLE_NAME: table.tableName, WATCHLIST: JSON.stringify(watchlist) });
const isPattern = (rule: string | undefined) => rule === 'little-before-much-after';

describe('detection and the status read the watchlist the table holds', () => {
  let comtrade: LocalComtradeServer;
  let topic: LocalAlertTopic;
  beforeAll(async () => {
    comtrade = await startLocalComtradeServer({ figures });
    topic = await startLocalAlertTopic([FEED_ROUTE]);
  });
  afterAll(async () => {
    await comtrade.stop();
    await topic.stop();
  });

  it('applies the detection settings of an entry added with the manage API after seeding from the next work item on', async () => {
    const table = await freshTable();
    const config = configOn(table);
    // The first planner run seeds the table from the deploy's watchlist.
    await table.watchlist.current(config.watchlistSeed);
    const worker = {
      ...table,
      sourceFor: () => new ComtradeSource(new ComtradeClient({ baseUrl: comtrade.baseUrl, minIntervalMs: 0 })),
      publisher: createAlertPublisher({ region: topic.region, snsEndpoint: topic.endpoint, alertTopicArn: topic.topicArn }),
      routes: [FEED_ROUTE],
      loadDetectionFor: storedDetection(table.watchlist, config),
      lookbackMonths: 3,
    };
    const itemsUpTo = (last: string, scheduledTime: string) => planWorkItems(config.watchlist, periodRange('2019-07', last), 'monthly-refresh', scheduledTime);

    // The release through June 2024 with the seeded entry alone: the rule is off.
    const [first] = itemsUpTo('2024-06', '2024-07-25T02:00:00Z');
    const before = await processWorkItem(first!, worker);
    expect(before.ingest.inserted).toBe(60);
    expect(before.detection.anomalies.filter((a) => isPattern(a.explanation.rule))).toEqual([]);
    await topic.drain(FEED_ROUTE.id);

    // An analyst switches the rule on for Türkiye through the manage API: no redeploy.
    const added = await handleManageRequest(manageServices(config, table), { routeKey: 'POST /watchlist', body: JSON.stringify({ ...CHIPS, detection: RULE }), caller: { iam: true, groups: [] } });
    expect(added.statusCode).toBe(201);

    // The next release (July 2024): the same series, judged with the entry's rule, alerted once.
    const [next] = itemsUpTo('2024-07', '2024-08-25T02:00:00Z');
    const after = await processWorkItem(next!, worker);
    const found = after.detection.anomalies.filter((a) => isPattern(a.explanation.rule));
    expect(found.map((a) => a.seriesId)).toEqual(['comtrade.TUR.KGZ.export.854231.USD']);
    const delivered = await topic.drain(FEED_ROUTE.id);
    expect(delivered.flatMap((m) => (m.kind === 'tradewatch.digest' ? m.dedupKeys : [m.dedupKey]))).toEqual(found.map((a) => a.dedupKey));

    // Removed again, the entry's rule is off for the run after: nothing new is found, nothing sent.
    const removed = await handleManageRequest(manageServices(config, table), { routeKey: 'DELETE /watchlist/{id}', pathParameters: { id: (added.body as { entry: { id: string } }).entry.id }, caller: { iam: true, groups: [] } });
    expect(removed.statusCode).toBe(204);
    const detectionNow = await worker.loadDetectionFor();
    expect(detectionNow('TUR').littleBeforeMuchAfter).toBeUndefined();
  });

  describe('through the query function (read only) and the CLI', () => {
    const saved = { ...process.env };
    afterEach(() => {
      process.env = { ...saved };
    });

    it('shows y/y on the buckets an entry added with `tradewatch watch add` sets, and lists it in GET /status and `tradewatch status`; before seeding, the deploy watchlist, writing nothing', async () => {
      const table = await freshTable();
      const config = loadQueryConfig({ DYNAMODB_ENDPOINT: table.connection.endpoint, TABLE_NAME: table.tableName, WATCHLIST: JSON.stringify({ entries: [{ reporter: 'CHN', partners: ['KAZ'] }] }) });
      const months = periodRange('2023-01', '2024-03');
      await table.series.saveObservations(
        { source: 'comtrade', reporter: 'TUR', partner: 'AZE', flow: 'export', commodity: 'TOTAL', currency: 'USD' },
        months.map((period, i) => ({ period, value: 1e8 + i, state: 'published' as const })),
        '2024-04-20T00:00:00.000Z',
      );
      // Wired as the query function wires it: a reader, no write grant needed.
      const store = createReadStore(config);
      const deps = { ...store, groups: config.groups, loadDetectionFor: storedDetection(store.watchlist, config), status: statusOf(store, config) };
      const ask = async (request: QueryRequest) => {
        const response = await handleQuery(request, deps);
        expect(response.statusCode).toBe(200);
        return response.body;
      };
      const yoyBuckets = async () =>
        ((await ask({ routeKey: 'GET /series/{id}/observations', pathParameters: { id: 'comtrade.TUR.AZE.export.TOTAL.USD' }, queryStringParameters: { view: 'yoy' } })) as { items: { bucket: string }[] }).items.map((c) => c.bucket);
      const status = async () => (await ask({ routeKey: 'GET /status', queryStringParameters: {} })) as TrackingStatus;

      // Not seeded yet: the deploy's watchlist, said so, and the table still unseeded (the planner seeds it).
      const unseeded = await status();
      expect(unseeded.watchlist).toEqual({ from: 'deploy' });
      expect(unseeded.entries.map((e) => e.reporter)).toEqual(['CHN']);
      expect(await yoyBuckets()).toEqual(['2024-01', '2024-02', '2024-03']);
      expect(await table.watchlist.seeded()).toBe(false);

      Object.assign(process.env, { DYNAMODB_ENDPOINT: table.connection.endpoint, TABLE_NAME: table.tableName, WATCHLIST: JSON.stringify({ entries: [{ reporter: 'CHN', partners: ['KAZ'] }] }) });
      await table.watchlist.current(config.watchlistSeed);
      const out: string[] = [];
      await watchAdd({ reporter: 'TUR', partners: 'AZE', flows: 'export', janFebCombined: true }, (line) => out.push(line));
      expect(out[0]).toMatch(/^Watching /);

      // Türkiye now publishes January and February together, as its entry says: one Jan-Feb bucket.
      expect(await yoyBuckets()).toEqual(['2024-01..02', '2024-03']);
      const seeded = await status();
      expect(seeded.watchlist).toEqual({ from: 'table' });
      expect(seeded.entries.map((e) => [e.reporter, e.series, e.lastPeriod])).toEqual([
        ['CHN', 0, null],
        ['TUR', 1, '2024-03'],
      ]);
      const lines: string[] = [];
      await showStatus({}, (line) => lines.push(line));
      expect(lines).toContain("The table's watchlist (tradewatch watch add|remove change it; the scheduled runs read it):");
      expect(lines.some((line) => /^comtrade\s+TUR\s+TOTAL\s+1\s+1\s+15\s+2023-01\s+2024-03\s/.test(line))).toBe(true);
    });
  });
});
