import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runDetectAndAlert } from '../../shared/alerts/alert-job.js';
import { showSeries } from '../../shared/cli/commands/query.js';
import { loadQueryConfig } from '../../shared/config/functions.js';
import { FEED_ROUTE, routeOf, type Route } from '../../shared/domain/alerts/routing.js';
import { defaultDetectionConfig } from '../../shared/domain/detection/index.js';
import { DEFAULT_GROUPS } from '../../shared/domain/groups.js';
import { periodRange } from '../../shared/domain/period.js';
import { runIngest } from '../../shared/ingest/ingest-run.js';
import type { ServedFigure } from '../../shared/local/comtrade-records-builder.js';
import { startLocalComtradeServer, type LocalComtradeServer } from '../../shared/local/comtrade-server.js';
import { startLocalAlertTopic, type LocalAlertTopic } from '../../shared/local/local-alerts.js';
import { handleQuery } from '../../shared/query/query-api.js';
import { ComtradeClient } from '../../shared/sources/comtrade/comtrade-client.js';
import { ComtradeSource } from '../../shared/sources/comtrade/comtrade-source.js';
import { createAlertPublisher, statusOf } from '../../shared/wiring.js';
import { freshTable } from '../support/local-table.js';

const EMAIL = routeOf({ protocol: 'email', endpoint: 'analyst@example.org' });
const SMS = routeOf({ protocol: 'sms', endpoint: '+4915112345678' });
const ROUTES: Route[] = [FEED_ROUTE, EMAIL, SMS];
const EXPORTS = 'comtrade.CHN.KAZ.export.TOTAL.USD';
const PERIODS = periodRange('2019-01', '2024-02');
const VALUE_JUMP = 1.9;
const WEIGHT_JUMP = 1.25;

/**
 * China's exports to (US$2/kg) and imports from (US$1/kg) Kazakhstan, growing 5 % a year, both
 * weighed; Jan-Feb 2024 exports worth 1.9x Jan-Feb 2023 on 1.25x the weight (January's weight
 * estimated): volume +25 %, unit value +52 %.
 */
function figures(): ServedFigure[] {
  return (['export', 'import'] as const).flatMap((flow) => {
    const pricePerKg = flow === 'export' ? 2 : 1;
    const base = (period: string, i: number) => 300e6 * 1.05 ** (Number(period.slice(0, 4)) - 2019) * (1 + 0.01 * Math.sin(i * 1.7 + (flow === 'export' ? 0 : 1)));
    return PERIODS.map((period, i) => {
      const jumped = flow === 'export' && period >= '2024-01';
      const lastYear = base(PERIODS[i - 12] ?? period, i - 12);
      const value = Math.round(jumped ? lastYear * VALUE_JUMP : base(period, i));
      const kg = Math.round(jumped ? (lastYear / pricePerKg) * WEIGHT_JUMP : value / pricePerKg);
      // Last year's Jan-Feb weighed exactly as its value says, so the bucket's weight ratio is exact.
      const weight = jumped ? kg : Math.round(value / pricePerKg);
      return { reporter: 'CHN', partner: 'KAZ', flow, period, value, netWeightKg: weight, netWeightEstimated: jumped && period === '2024-01' };
    });
  });
}

describe('quantities from a Comtrade-shaped server to an alert that splits volume and unit value', () => {
  let topic: LocalAlertTopic;
  let server: LocalComtradeServer | undefined;
  const saved = { ...process.env };
  beforeAll(async () => {
    topic = await startLocalAlertTopic(ROUTES);
  });
  afterAll(() => topic.stop());
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    process.env = { ...saved };
  });

  it('stores weights, alerts "volume +25 %, unit value +52 %", keeps a weight revision, and serves the unit-value view', async () => {
    const table = await freshTable();
    const served = figures();
    server = await startLocalComtradeServer({ figures: served });
    const ingest = (baseUrl: string, now: Date) =>
      runIngest({
        source: new ComtradeSource(new ComtradeClient({ baseUrl, minIntervalMs: 0 })),
        requests: [{ reporter: 'CHN', partners: ['KAZ'], flows: ['export', 'import'], periods: PERIODS, commodity: 'TOTAL' }],
        series: table.series,
        now: () => now,
      });
    const first = await ingest(server.baseUrl, new Date('2024-03-20T00:00:00.000Z'));
    expect(first).toMatchObject({ inserted: PERIODS.length * 2, revised: 0, rejected: [] });
    const janFeb = await table.series.getObservations(EXPORTS, { from: '2024-01', to: '2024-02', consistent: true });
    const servedJanFeb = served.filter((f) => f.flow === 'export' && f.period >= '2024-01');
    expect(janFeb.map((o) => o.quantities)).toEqual(servedJanFeb.map((f) => ({ netWeight: { kg: f.netWeightKg, estimated: f.netWeightEstimated } })));

    const run = () =>
      runDetectAndAlert({
        ...table,
        publisher: createAlertPublisher({ region: topic.region, snsEndpoint: topic.endpoint, alertTopicArn: topic.topicArn }),
        routes: ROUTES,
        detectionFor: () => defaultDetectionConfig,
        lookbackMonths: 3,
        now: () => new Date('2024-03-21T00:00:00.000Z'),
      });
    const alerted = await run();
    expect(alerted.anomalies.map((a) => a.dedupKey).sort()).toEqual([`${EXPORTS}#2024-01..02#yoy-robust-z`, 'comtrade.CHN.KAZ.trade.TOTAL.USD#2024-01..02#yoy-robust-z']);

    // The figures the split must show, from the weights as served.
    const sum = (flow: string, from: string, to: string, pick: (f: ServedFigure) => number) =>
      served.filter((f) => f.flow === flow && f.period >= from && f.period <= to).reduce((total, f) => total + pick(f), 0);
    const volume = sum('export', '2024-01', '2024-02', (f) => f.netWeightKg!) / sum('export', '2023-01', '2023-02', (f) => f.netWeightKg!) - 1;
    const value = sum('export', '2024-01', '2024-02', (f) => f.value!) / sum('export', '2023-01', '2023-02', (f) => f.value!) - 1;
    expect(volume).toBeCloseTo(WEIGHT_JUMP - 1, 6);
    expect((1 + value) / (1 + volume) - 1).toBeCloseTo(VALUE_JUMP / WEIGHT_JUMP - 1, 6);

    const emails = await topic.drain(EMAIL.id);
    const email = emails.find((m) => m.kind === 'tradewatch.alert' && m.seriesId === EXPORTS)!;
    // Turnover is weighed too: exports' and imports' weights summed.
    const trade = emails.find((m) => m.kind === 'tradewatch.alert' && m.seriesId === 'comtrade.CHN.KAZ.trade.TOTAL.USD')!;
    expect(trade.email).toMatch(/\n {2}Volume and price: volume \+11 %, unit value \+32 %: mostly price\n/);
    expect(email.email).toContain('  Volume and price: volume +25 %, unit value +52 %: both volume and price\n');
    expect(email.email).toMatch(/ {4}net weight \d+\.\dk t \(Jan-Feb 2023: \d+\.\dk t\); unit value US\$3\.04\/kg \(Jan-Feb 2023: US\$2\.00\/kg\)\n {4}net weight estimated by the source for 2024-01\n/);
    const sms = (await topic.drain(SMS.id)).map((m) => m.sms);
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatch(/^CN-KZ exp Jan-Feb 2024 \+90% y\/y \(US\$1\.39bn\) vol \+25% UV \+52% CRITICAL$/);
    await topic.drain(FEED_ROUTE.id);

    // The agency revises one month's weight only: a revision, the earlier weight kept, and no new alert.
    await server.stop();
    server = await startLocalComtradeServer({
      figures: served.map((f) => (f.flow === 'export' && f.period === '2023-06' ? { ...f, netWeightKg: f.netWeightKg! + 1000, netWeightEstimated: true } : f)),
    });
    const revision = await ingest(server.baseUrl, new Date('2024-04-20T00:00:00.000Z'));
    expect(revision).toMatchObject({ inserted: 0, revised: 1, rejected: [] });
    const [june] = await table.series.getObservations(EXPORTS, { from: '2023-06', to: '2023-06', consistent: true });
    const servedJune = served.find((f) => f.flow === 'export' && f.period === '2023-06')!;
    expect(june).toMatchObject({
      value: servedJune.value,
      quantities: { netWeight: { kg: servedJune.netWeightKg! + 1000, estimated: true } },
      revisions: [{ value: servedJune.value, state: 'published', quantities: { netWeight: { kg: servedJune.netWeightKg, estimated: false } }, seenAt: '2024-03-20T00:00:00.000Z' }],
    });
    const again = await run();
    expect(again.messages).toEqual([]);
    expect(await topic.drain(EMAIL.id)).toEqual([]);

    // The API and the CLI serve value per kg, months without a weight never read as zero.
    const response = await handleQuery(
      { routeKey: 'GET /series/{id}/observations', pathParameters: { id: EXPORTS }, queryStringParameters: { view: 'unit-value', from: '2024-01' } },
      { ...table, status: statusOf(table, loadQueryConfig({})), groups: DEFAULT_GROUPS, loadDetectionFor: async () => () => defaultDetectionConfig },
    );
    expect(response.statusCode).toBe(200);
    expect(response.body).toEqual({
      seriesId: EXPORTS,
      view: 'unit-value',
      measure: 'net weight',
      unit: 'kg',
      items: servedJanFeb.map((f) => ({ period: f.period, value: f.value, state: 'published', amount: f.netWeightKg, unitValue: f.value! / f.netWeightKg!, estimated: f.netWeightEstimated })),
    });
    const badView = await handleQuery(
      { routeKey: 'GET /series/{id}/observations', pathParameters: { id: EXPORTS }, queryStringParameters: { view: 'unit-values' } },
      { ...table, status: statusOf(table, loadQueryConfig({})), groups: DEFAULT_GROUPS, loadDetectionFor: async () => () => defaultDetectionConfig },
    );
    expect(badView).toMatchObject({ statusCode: 400, body: { parameter: 'view' } });

    process.env.DYNAMODB_ENDPOINT = table.connection.endpoint;
    process.env.TABLE_NAME = table.tableName;
    const lines: string[] = [];
    await showSeries(EXPORTS, { view: 'unit-value', from: '2023-12' }, (line) => lines.push(line));
    expect(lines[0]).toMatch(/^MONTH\s+VALUE\s+NET WEIGHT\s+PER KG\s+NOTE$/);
    expect(lines.slice(1, 4).map((l) => l.split(/\s{2,}/)[0])).toEqual(['2023-12', '2024-01', '2024-02']);
    expect(lines[2]).toMatch(/^2024-01\s+US\$\d+m\s+\d+\.\dk t ~\s+US\$3\.04\/kg$/);
    expect(lines[4]).toBe('Value per kg of net weight; ~ marks an amount the source estimated.');
  }, 120_000);
});
