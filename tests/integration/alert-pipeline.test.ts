import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertMessage } from '../../shared/domain/alerts/alert-message.js';
import { FEED_ROUTE, routeOf, type Route } from '../../shared/domain/alerts/routing.js';
import type { AlertPublisher } from '../../shared/alerts/sns-publisher.js';
import { createAlertPublisher } from '../../shared/wiring.js';
import { SMS_MAX_LENGTH } from '../../shared/domain/alerts/alert-text.js';
import { defaultDetectionConfig } from '../../shared/domain/detection/index.js';
import { periodRange } from '../../shared/domain/period.js';
import type { SeriesKey } from '../../shared/domain/series.js';
import { runDetectAndAlert } from '../../shared/alerts/alert-job.js';
import { runIngest } from '../../shared/ingest/ingest-run.js';
import type { LocalComtradeServer } from '../../shared/local/comtrade-server.js';
import { startLocalAlertTopic, type LocalAlertTopic } from '../../shared/local/local-alerts.js';
import { ComtradeClient } from '../../shared/sources/comtrade/comtrade-client.js';
import { ComtradeSource } from '../../shared/sources/comtrade/comtrade-source.js';
import { demoRequests, startDemoComtrade } from '../support/demo-comtrade.js';
import { freshTable } from '../support/local-table.js';

/** Fails the first `failures` publishes, then publishes for real. */
class FlakyPublisher implements AlertPublisher {
  constructor(
    private readonly inner: AlertPublisher,
    private failures: number,
  ) {}
  async publish(message: AlertMessage): Promise<string> {
    if (this.failures-- > 0) throw new Error('SNS throttled the publish (injected)');
    return this.inner.publish(message);
  }
}

const EMAIL = routeOf({ protocol: 'email', endpoint: 'analyst@example.org' });
const SMS = routeOf({ protocol: 'sms', endpoint: '+4915112345678' });
const KAZAKH_DESK = routeOf({ protocol: 'email', endpoint: 'kz@example.org', minSeverity: 'info', partners: ['KAZ'] });
const ROUTES: Route[] = [FEED_ROUTE, EMAIL, SMS, KAZAKH_DESK];

/** 2019-01..2024-03 growing 5 % a year, with March 2024 `jump` times March 2023. */
function jumpSeries(monthly: number, jump: number) {
  return periodRange('2019-01', '2024-03').map((period, i) => {
    const years = Number(period.slice(0, 4)) - 2019;
    const wobble = 1 + 0.01 * Math.sin(i * 1.7);
    return { period, value: monthly * 1.05 ** years * wobble * (period === '2024-03' ? jump : 1), state: 'published' as const };
  });
}

describe('ingest, detect and alert through SNS (fauxqs), one SQS queue per route with its real filter policy', () => {
  let topic: LocalAlertTopic;
  let sns: AlertPublisher;
  beforeAll(async () => {
    topic = await startLocalAlertTopic(ROUTES);
    sns = createAlertPublisher({ region: topic.region, snsEndpoint: topic.endpoint, alertTopicArn: topic.topicArn });
  });
  afterAll(() => topic.stop());
  const drainAll = async () => Object.fromEntries(await Promise.all(ROUTES.map(async (r) => [r.id, await topic.drain(r.id)] as const)));

  async function setup() {
    const table = await freshTable();
    const run = (publisher: AlertPublisher = sns, now = new Date()) =>
      runDetectAndAlert({
        ...table,
        publisher,
        routes: ROUTES,
        detectionFor: () => defaultDetectionConfig,
        lookbackMonths: 3,
        now: () => now,
      });
    return { table, run };
  }

  describe('the demo release', () => {
    let comtrade: LocalComtradeServer;
    beforeAll(async () => {
      comtrade = await startDemoComtrade();
    });
    afterAll(() => comtrade.stop());
    const ingest = (table: Awaited<ReturnType<typeof freshTable>>) =>
      runIngest({ source: new ComtradeSource(new ComtradeClient({ baseUrl: comtrade.baseUrl, minIntervalMs: 0 })), requests: demoRequests(), series: table.series, now: () => new Date() });

    it('delivers each Azerbaijan alert once per route, a failed publish completed by the next run', async () => {
      const { table, run } = await setup();
      await ingest(table);
      const first = await run(new FlakyPublisher(sns, 1));
      expect(first.anomalies.map((a) => a.seriesId).sort()).toEqual(['comtrade.CHN.AZE.export.TOTAL.USD', 'comtrade.CHN.AZE.trade.TOTAL.USD']);
      expect(first.failed).toEqual([{ route: 'feed', dedupKeys: [expect.any(String)], error: 'SNS throttled the publish (injected)' }]);
      expect(first.messages).toHaveLength(5); // 2 alerts x 3 routes (the Kazakh desk wants neither), less the failed one
      expect(first.sent).toHaveLength(1);
      const stuck = first.failed[0]!.dedupKeys[0]!;
      expect(await table.alerts.get(stuck)).toMatchObject({ status: 'PENDING', deliveries: { [EMAIL.id]: expect.any(String), [SMS.id]: expect.any(String) } });

      // The first run did not complete, so its series are still due: the next run scores them again
      // and sends only what is missing, the feed's copy; the one after that finds nothing due.
      const second = await run(sns);
      expect(second.anomalies.map((a) => a.dedupKey).sort()).toEqual(first.anomalies.map((a) => a.dedupKey).sort());
      expect(second.messages).toEqual([{ route: 'feed', kind: 'alert', dedupKeys: [stuck], messageId: expect.any(String) }]);
      expect(await table.alerts.list({ status: 'SENT' })).toHaveLength(2);
      const third = await run(sns);
      expect(third).toMatchObject({ anomalies: [], messages: [], seriesExamined: 0 });

      const queues = await drainAll();
      expect(queues.feed!.map((m) => m.kind === 'tradewatch.alert' && m.dedupKey).sort()).toEqual(first.anomalies.map((a) => a.dedupKey).sort());
      expect(queues[EMAIL.id]!.map((m) => m.subject).sort()).toEqual([
        '[tradewatch critical] China exports to Azerbaijan, Jan-Feb 2024: +97% y/y',
        '[tradewatch critical] China trade with Azerbaijan, Jan-Feb 2024: +83% y/y',
      ]);
      expect(queues[EMAIL.id]![0]!.email).toContain('Expected range: US$');
      expect(queues[SMS.id]!.map((m) => m.sms).sort()).toEqual([
        'CN-AZ exp Jan-Feb 2024 +97% y/y (US$349m) vol +71% UV +15% CRITICAL',
        'CN-AZ trade Jan-Feb 2024 +83% y/y (US$520m) vol +25% UV +47% CRITICAL',
      ]);
      expect(queues[KAZAKH_DESK.id]).toEqual([]);
    });

    it('sends exactly one message per anomaly and route when the same release is ingested 100 times, 10 runs at once', async () => {
      const { table, run } = await setup();
      for (let wave = 0; wave < 10; wave++) {
        await Promise.all(
          Array.from({ length: 10 }, async () => {
            await ingest(table);
            await run(sns);
          }),
        );
      }
      const queues = await drainAll();
      for (const route of [FEED_ROUTE, EMAIL, SMS]) {
        const keys = queues[route.id]!.flatMap((m) => (m.kind === 'tradewatch.digest' ? m.dedupKeys : [m.dedupKey]));
        expect(keys.sort(), route.id).toEqual(['comtrade.CHN.AZE.export.TOTAL.USD#2024-01..02#yoy-robust-z', 'comtrade.CHN.AZE.trade.TOTAL.USD#2024-01..02#yoy-robust-z']);
      }
      expect(await table.alerts.list({ status: 'SENT' })).toHaveLength(2);
    }, 360_000);
  });

  it('routes by severity and partner: a warning reaches e-mail but not SMS, the Kazakh desk only Kazakhstan', async () => {
    const { table, run } = await setup();
    const kazakhstan: SeriesKey = { source: 'comtrade', reporter: 'RUS', partner: 'KAZ', flow: 'export', commodity: 'TOTAL', currency: 'USD' };
    await table.series.saveObservations(kazakhstan, jumpSeries(300e6, 1.4), '2024-04-20T00:00:00.000Z');
    await table.series.saveObservations({ ...kazakhstan, partner: 'CHN' }, jumpSeries(300e6, 2), '2024-04-20T00:00:00.000Z');
    const result = await run();
    expect(result.anomalies.map((a) => `${a.series.partner} ${a.severity}`).sort()).toEqual(['CHN critical', 'KAZ warning']);
    const queues = await drainAll();
    const partnersOf = (route: Route) => queues[route.id]!.map((m) => (m.kind === 'tradewatch.digest' ? 'digest' : m.seriesId.split('.')[2])).sort();
    expect(partnersOf(FEED_ROUTE)).toEqual(['CHN', 'KAZ']);
    expect(partnersOf(EMAIL)).toEqual(['CHN', 'KAZ']);
    expect(partnersOf(SMS)).toEqual(['CHN']);
    expect(partnersOf(KAZAKH_DESK)).toEqual(['KAZ']);
    for (const message of queues[SMS.id]!) expect(message.severity).toBe('critical');
  });

  it('sends a busy route one digest, most severe first, while quieter routes get their alerts singly', async () => {
    const { table, run } = await setup();
    const partners = ['CHN', 'DEU', 'TUR', 'KAZ', 'UZB', 'IND', 'USA'];
    for (const [i, partner] of partners.entries()) {
      const series: SeriesKey = { source: 'comtrade', reporter: 'RUS', partner, flow: 'import', commodity: 'TOTAL', currency: 'USD' };
      await table.series.saveObservations(series, jumpSeries(300e6, i % 2 === 0 ? 2 : 1.4), '2024-04-20T00:00:00.000Z');
    }
    const result = await run();
    expect(result.anomalies).toHaveLength(7);
    expect(result.messages.filter((m) => m.route === EMAIL.id)).toEqual([{ route: EMAIL.id, kind: 'digest', dedupKeys: expect.any(Array), messageId: expect.any(String) }]);
    const queues = await drainAll();
    expect(queues.feed).toHaveLength(7);
    const [digest] = queues[EMAIL.id]!;
    expect(queues[EMAIL.id]).toHaveLength(1);
    expect(digest).toMatchObject({ kind: 'tradewatch.digest', subject: '[tradewatch digest] 7 anomalies in this release (4 critical, 3 warning)' });
    expect(digest!.kind === 'tradewatch.digest' && digest!.dedupKeys).toHaveLength(7);
    // SMS wants the 4 critical ones: more than its threshold of 3, so one digest too.
    expect(queues[SMS.id]!.map((m) => m.kind)).toEqual(['tradewatch.digest']);
    expect(queues[SMS.id]![0]!.sms.length).toBeLessThanOrEqual(SMS_MAX_LENGTH);
    expect(queues[KAZAKH_DESK.id]!.map((m) => m.kind)).toEqual(['tradewatch.alert']);
    expect(await table.alerts.list({ status: 'SENT' })).toHaveLength(7);
  });

  it('sends an update when a revision changes severity, once, and stays quiet when it does not', async () => {
    const { table, run } = await setup();
    const series: SeriesKey = { source: 'comtrade', reporter: 'RUS', partner: 'CHN', flow: 'export', commodity: 'TOTAL', currency: 'USD' };
    await table.series.saveObservations(series, jumpSeries(300e6, 2), '2024-04-20T00:00:00.000Z');
    await run(sns, new Date('2024-04-20T01:00:00Z'));
    await drainAll();

    // A small revision: numbers change, severity does not. Stored, not sent.
    const small = await table.series.saveObservations(series, jumpSeries(300e6, 2.02), '2024-05-20T00:00:00.000Z');
    expect(small.revised).toEqual(['2024-03']);
    const quiet = await run(sns, new Date('2024-05-20T01:00:00Z'));
    expect(quiet.messages).toEqual([]);
    expect((await table.alerts.list())[0]!.anomaly.explanation.change).toBeCloseTo(2.02 * 1.05 - 1, 1);

    // A large one: critical becomes warning. Every route that had it hears about it, once.
    await table.series.saveObservations(series, jumpSeries(300e6, 1.4), '2024-06-20T00:00:00.000Z');
    const update = await run(sns, new Date('2024-06-20T01:00:00Z'));
    expect(update.messages.map((m) => `${m.route}:${m.kind}`).sort()).toEqual([`${EMAIL.id}:update`, 'feed:update']);
    const queues = await drainAll();
    expect(queues[EMAIL.id]![0]).toMatchObject({ kind: 'tradewatch.update', severity: 'warning', subject: expect.stringMatching(/^\[tradewatch updated, warning\]/) });
    expect(queues[EMAIL.id]![0]!.email).toMatch(/^UPDATE: the agency revised these figures\. Earlier: \+10\d%, CRITICAL \(jump\)/);
    expect(queues[SMS.id]).toEqual([]); // a warning is below the SMS route
    expect((await run(sns, new Date('2024-06-21T01:00:00Z'))).messages).toEqual([]);
  });

  it('stores silenced anomalies without sending them, until the silence ends', async () => {
    const { table, run } = await setup();
    const series: SeriesKey = { source: 'comtrade', reporter: 'RUS', partner: 'CHN', flow: 'export', commodity: 'TOTAL', currency: 'USD' };
    await table.series.saveObservations(series, jumpSeries(300e6, 2), '2024-04-20T00:00:00.000Z');
    await table.silences.add({ series: 'comtrade.RUS.*.export.TOTAL.USD', until: '2024-05-01T00:00:00.000Z', reason: 'sanctions re-routing, known' }, new Date('2024-04-01T00:00:00Z'));
    const result = await run(sns, new Date('2024-04-20T01:00:00Z'));
    expect(result.silenced).toEqual(['comtrade.RUS.CHN.export.TOTAL.USD#2024-03#yoy-robust-z']);
    expect(result.messages).toEqual([]);
    expect(await table.alerts.list()).toEqual([expect.objectContaining({ status: 'SILENCED', silence: expect.objectContaining({ reason: 'sanctions re-routing, known' }) })]);
    const queues = await drainAll();
    for (const route of ROUTES) expect(queues[route.id]).toEqual([]);
  });
});
