import { CollectingQueue } from '../support/collecting-queue.js';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeployConfig } from '../../infra/deploy-config.js';
import { TradewatchStack } from '../../infra/tradewatch-stack.js';
import { loadPlanConfig } from '../../shared/config/functions.js';
import { FEED_ROUTE, routeOf } from '../../shared/domain/alerts/routing.js';
import { defaultDetectionConfig } from '../../shared/domain/detection/index.js';
import { periodRange } from '../../shared/domain/period.js';
import { processWorkItem, type WorkItemOutcome } from '../../shared/ingest/process-work-item.js';
import type { ServedFigure } from '../../shared/local/comtrade-records-builder.js';
import { startLocalComtradeServer, type LocalComtradeServer } from '../../shared/local/comtrade-server.js';
import { startLocalAlertTopic, type LocalAlertTopic } from '../../shared/local/local-alerts.js';
import { planScheduledRun, type PlannedRun } from '../../shared/plan/plan-run.js';
import { ComtradeClient } from '../../shared/sources/comtrade/comtrade-client.js';
import { ComtradeSource } from '../../shared/sources/comtrade/comtrade-source.js';
import { createAlertPublisher, createPlanner } from '../../shared/wiring.js';
import { freshTable } from '../support/local-table.js';

const EMAIL = routeOf({ protocol: 'email', endpoint: 'analyst@example.org' });
const SMS = routeOf({ protocol: 'sms', endpoint: '+4915112345678' });
const ROUTES = [FEED_ROUTE, EMAIL, SMS];
const DAILY_BUDGET = 6;
const PARTNERS = ['MEX', 'CAN'];

/** Five years and more of US trade with Mexico and Canada, 100 m a month growing 5 % a year, with a spike (2.5x) in the months given for US exports to Mexico. */
function figures(through: string, spikes: readonly string[]): ServedFigure[] {
  return PARTNERS.flatMap((partner, p) =>
    (['export', 'import'] as const).flatMap((flow, f) =>
      periodRange('2018-01', through).map((period, i) => {
        const years = Number(period.slice(0, 4)) - 2018;
        const wobble = 1 + 0.01 * Math.sin(i * 1.7 + p + 2 * f);
        const spike = partner === 'MEX' && flow === 'export' && spikes.includes(period) ? 2.5 : 1;
        return { reporter: 'USA', partner, flow, period, value: Math.round(100e6 * (1 + p) * 1.05 ** years * wobble * spike) };
      }),
    ),
  );
}

/** The planner's environment as the synthesized stack sets it (the watchlist, the daily budget), pointed at the test's table. */
function plannerEnvironment(table: Awaited<ReturnType<typeof freshTable>>): NodeJS.ProcessEnv {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const config = parseDeployConfig({ watchlist: { entries: [{ reporter: 'USA', partners: PARTNERS }] }, comtradeDailyCallBudget: DAILY_BUDGET });
  const template = Template.fromStack(new TradewatchStack(app, 'Tradewatch', { config }));
  const planner = Object.values(template.findResources('AWS::Lambda::Function')).find((f) => String(f.Properties.Description).startsWith('Scheduled run planner'))!;
  const variables = planner.Properties.Environment.Variables as Record<string, unknown>;
  const synthesized = Object.fromEntries(Object.entries(variables).filter(([, value]) => typeof value === 'string')) as Record<string, string>;
  expect(Object.keys(variables)).toEqual(expect.arrayContaining(['TABLE_NAME', 'WORK_QUEUE_URL', 'WATCHLIST', 'COMTRADE_DAILY_CALL_BUDGET']));
  return { ...synthesized, AWS_REGION: 'us-east-1', TABLE_NAME: table.tableName, DYNAMODB_ENDPOINT: table.connection.endpoint, WORK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/work' };
}

describe('a fresh deployment backfills by itself, and alerts from the first new release', () => {
  let topic: LocalAlertTopic;
  const servers: LocalComtradeServer[] = [];
  beforeAll(async () => {
    topic = await startLocalAlertTopic(ROUTES);
  });
  afterAll(async () => {
    await Promise.all([topic.stop(), ...servers.map((s) => s.stop())]);
  });
  const drainAll = async () => Object.fromEntries(await Promise.all(ROUTES.map(async (r) => [r.id, (await topic.drain(r.id)).flatMap((m) => (m.kind === 'tradewatch.digest' ? m.dedupKeys : [m.dedupKey]))] as const)));

  it('queues the history within the daily budget, alerts nothing for it, and alerts the next release once per route', async () => {
    const table = await freshTable();
    const queue = new CollectingQueue();
    const planner = createPlanner(loadPlanConfig(plannerEnvironment(table)), queue);
    expect(planner).toMatchObject({ upstreams: { comtrade: { dailyCallBudget: DAILY_BUDGET } } });
    // The planner reads its watchlist from the table, seeded from the stack's WATCHLIST on this first run.
    expect(typeof planner.watchlist === 'function' ? await planner.watchlist() : planner.watchlist).toMatchObject({ historyMonths: 60 });

    // Until 2024-03-25 Comtrade has the US through January 2024, with a spike in November 2023.
    const history = await startLocalComtradeServer({ figures: figures('2024-01', ['2023-11']), releasedOn: () => '2024-03-01' });
    servers.push(history);
    const worker = (server: LocalComtradeServer, day: string) => ({
      ...table,
      sourceFor: () => new ComtradeSource(new ComtradeClient({ baseUrl: server.baseUrl, minIntervalMs: 0, budget: () => table.runs.consumeBudget('comtrade', day, DAILY_BUDGET) })),
      publisher: createAlertPublisher({ region: topic.region, snsEndpoint: topic.endpoint, alertTopicArn: topic.topicArn }),
      routes: ROUTES,
      loadDetectionFor: async () => () => defaultDetectionConfig,
      lookbackMonths: 3,
    });
    /** One planner run, then every item it queued through an ingest worker, as SQS would hand them over. */
    const day = async (scheduledTime: string, server: LocalComtradeServer) => {
      const planned = await planScheduledRun({ run: 'daily', scheduledTime }, planner);
      const items = queue.take();
      const outcomes: WorkItemOutcome[] = [];
      for (const item of items) outcomes.push(await processWorkItem(item, worker(server, scheduledTime.slice(0, 10))));
      const budget = await table.runs.budgetUse('comtrade', scheduledTime.slice(0, 10));
      return { planned, items, outcomes, budget };
    };

    // Day 1, an empty table: the daily run may take 4 calls (2 availability, 2 data); the 2 the budget leaves go to the newest history.
    const first = await day('2024-03-10T02:00:00.000Z', history);
    expect(first.planned).toMatchObject<Partial<PlannedRun>>({ scheduledItems: 1, scheduledCalls: 4, backfillBudget: 2, backfillItems: 2, backfillCalls: 2, newPartners: 2 });
    expect(first.planned.progress).toMatchObject({ partners: 2, monthsWanted: 120, monthsDone: 0, callsPlanned: 5, callsLeft: 5, etaDays: 3 });
    expect(first.items.map((i) => [i.run, i.request.periods[0], i.request.periods.at(-1)])).toEqual([
      ['daily', '2022-03', '2024-02'],
      ['backfill', '2023-03', '2024-02'],
      ['backfill', '2022-03', '2023-02'],
    ]);
    expect(first.budget.used).toBeLessThanOrEqual(DAILY_BUDGET);
    expect(first.budget).toEqual({ used: 6, planned: 6 });
    // The November spike was found, and held as history.
    expect(first.outcomes.flatMap((o) => o.detection.history).map((a) => [a.seriesId, a.period])).toContainEqual(['comtrade.USA.MEX.export.TOTAL.USD', '2023-11']);
    expect(first.outcomes.flatMap((o) => o.detection.anomalies)).toEqual([]);

    // Days 2 and 3: the rest of the history, within each day's budget; the watchlist's known partners are not asked again.
    const second = await day('2024-03-11T02:00:00.000Z', history);
    expect(second.planned).toMatchObject({ newPartners: 0, backfillItems: 2, backfillCalls: 2 });
    expect(second.planned.progress).toMatchObject({ callsLeft: 3, etaDays: 2 });
    const third = await day('2024-03-12T02:00:00.000Z', history);
    expect(third.planned).toMatchObject({ backfillItems: 1, backfillCalls: 1 });
    for (const d of [second, third]) expect(d.budget.used).toBeLessThanOrEqual(DAILY_BUDGET);
    const stored = await table.series.listSeries({ reporter: 'USA' });
    expect(stored.map((s) => [s.seriesId, s.firstPeriod, s.lastPeriod])).toEqual(
      expect.arrayContaining(PARTNERS.flatMap((p) => ['export', 'import'].map((f) => [`comtrade.USA.${p}.${f}.TOTAL.USD`, '2019-03', '2024-01']))),
    );
    expect((await table.detection.progress('USA')).newsFrom).toEqual(new Map(stored.map((s) => [s.seriesId, '2024-02'])));
    expect(await drainAll()).toEqual({ feed: [], [EMAIL.id]: [], [SMS.id]: [] });

    // The February release comes out, with a spike: the next daily run alerts it, once on each route.
    const release = await startLocalComtradeServer({ figures: figures('2024-02', ['2023-11', '2024-02']), releasedOn: (_, period) => (period === '202402' ? '2024-03-25' : '2024-03-01') });
    servers.push(release);
    const news = await day('2024-03-26T02:00:00.000Z', release);
    expect(news.planned).toMatchObject({ backfillItems: 0, progress: { complete: true, etaDays: 0, monthsDone: 120 } });
    const alerted = news.outcomes.flatMap((o) => o.detection.anomalies);
    expect(alerted.map((a) => a.period)).toEqual(alerted.map(() => '2024-02'));
    expect(alerted.map((a) => a.seriesId)).toContain('comtrade.USA.MEX.export.TOTAL.USD');
    const received = await drainAll();
    const keys = alerted.map((a) => a.dedupKey).sort();
    for (const route of ROUTES) expect(received[route.id]!.sort(), route.id).toEqual(keys);
  }, 300_000);
});
