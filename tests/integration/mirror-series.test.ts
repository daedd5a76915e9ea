import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartSeries, showSeries } from '../../shared/cli/commands/query.js';
import { loadPlanConfig, loadQueryConfig } from '../../shared/config/functions.js';
import { FEED_ROUTE, routeOf } from '../../shared/domain/alerts/routing.js';
import { defaultDetectionConfig } from '../../shared/domain/detection/index.js';
import type { MirrorMonth } from '../../shared/domain/mirror.js';
import { periodRange } from '../../shared/domain/period.js';
import { processWorkItem, type WorkItemOutcome } from '../../shared/ingest/process-work-item.js';
import type { ServedFigure } from '../../shared/local/comtrade-records-builder.js';
import { startLocalComtradeServer, type LocalComtradeServer } from '../../shared/local/comtrade-server.js';
import { startLocalAlertTopic, type LocalAlertTopic } from '../../shared/local/local-alerts.js';
import { planScheduledRun } from '../../shared/plan/plan-run.js';
import { handleQuery } from '../../shared/query/query-api.js';
import type { ChartData } from '../../shared/query/series-chart.js';
import { ComtradeClient } from '../../shared/sources/comtrade/comtrade-client.js';
import { ComtradeSource } from '../../shared/sources/comtrade/comtrade-source.js';
import { createAlertPublisher, createPlanner, statusOf } from '../../shared/wiring.js';
import { DEFAULT_GROUPS } from '../../shared/domain/groups.js';
import { CollectingQueue } from '../support/collecting-queue.js';
import { freshTable } from '../support/local-table.js';

const EMAIL = routeOf({ protocol: 'email', endpoint: 'analyst@example.org' });
const SMS = routeOf({ protocol: 'sms', endpoint: '+4915112345678' });
const ROUTES = [FEED_ROUTE, EMAIL, SMS];
const MIRROR = 'comtrade.CHN.KGZ.export.TOTAL.USD~mirror';
const BUDGET = 60;

/**
 * China's trade with Kyrgyzstan as both agencies report it, 2019 on: China's exports near
 * US$1.5bn a month, Kyrgyzstan's imports from China at 0.45x of them (CIF); China's imports near
 * US$60m, Kyrgyzstan's exports to China near them. Kyrgyzstan reports a month later than China
 * (through `kyrgyzThrough`). From `opensFrom` on, Kyrgyzstan's imports from China fall to 0.30x
 * of China's exports: the gap opens. Kazakhstan only as China reports it.
 */
function figures(through: string, kyrgyzThrough: string, opensFrom?: string): ServedFigure[] {
  return periodRange('2019-01', through).flatMap((period, i) => {
    const years = Number(period.slice(0, 4)) - 2019;
    const wobble = (phase: number) => 1 + 0.02 * Math.sin(i * 1.7 + phase);
    const chinaExports = Math.round(1.5e9 * 1.05 ** years * wobble(0));
    const chinaImports = Math.round(60e6 * 1.05 ** years * wobble(1));
    // November 2023 (history by the time it is fetched): the gap closes for one month.
    const share = opensFrom && period >= opensFrom ? 0.3 : period === '2023-11' ? 0.65 : 0.45;
    const kyrgyz: ServedFigure[] = [
      { reporter: 'KGZ', partner: 'CHN', flow: 'import', period, value: Math.round(chinaExports * share * 1.06 * wobble(2)) },
      { reporter: 'KGZ', partner: 'CHN', flow: 'export', period, value: Math.round((chinaImports / 1.06) * wobble(3)) },
    ];
    return [
      { reporter: 'CHN', partner: 'KGZ', flow: 'export', period, value: chinaExports },
      { reporter: 'CHN', partner: 'KGZ', flow: 'import', period, value: chinaImports },
      { reporter: 'CHN', partner: 'KAZ', flow: 'export', period, value: chinaExports },
      { reporter: 'CHN', partner: 'KAZ', flow: 'import', period, value: chinaImports },
      ...(period <= kyrgyzThrough ? kyrgyz : []),
    ] satisfies ServedFigure[];
  });
}

describe('mirror series against the local Comtrade-shaped server', () => {
  let topic: LocalAlertTopic;
  const servers: LocalComtradeServer[] = [];
  const saved = { ...process.env };
  beforeAll(async () => {
    topic = await startLocalAlertTopic(ROUTES);
  });
  afterAll(async () => {
    await Promise.all([topic.stop(), ...servers.map((s) => s.stop())]);
  });
  afterEach(() => {
    process.env = { ...saved };
  });
  const drainAll = async () => Object.fromEntries(await Promise.all(ROUTES.map(async (r) => [r.id, await topic.drain(r.id)] as const)));

  it('plans and stores both sides, serves ~mirror by CLI and API, and alerts a gap that opens once per route with both sides', async () => {
    const table = await freshTable();
    const queue = new CollectingQueue();
    const watchlist = { entries: [{ reporter: 'CHN', partners: ['KGZ'], mirror: true }, { reporter: 'CHN', partners: ['KAZ'] }] };
    const planner = createPlanner(
      loadPlanConfig({
        AWS_REGION: 'us-east-1',
        TABLE_NAME: table.tableName,
        DYNAMODB_ENDPOINT: table.connection.endpoint,
        WORK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/work',
        WATCHLIST: JSON.stringify(watchlist),
        COMTRADE_DAILY_CALL_BUDGET: String(BUDGET),
      }),
      queue,
    );
    const worker = (server: LocalComtradeServer, day: string) => ({
      ...table,
      sourceFor: () => new ComtradeSource(new ComtradeClient({ baseUrl: server.baseUrl, minIntervalMs: 0, budget: () => table.runs.consumeBudget('comtrade', day, BUDGET) })),
      publisher: createAlertPublisher({ region: topic.region, snsEndpoint: topic.endpoint, alertTopicArn: topic.topicArn }),
      routes: ROUTES,
      loadDetectionFor: async () => () => defaultDetectionConfig,
      lookbackMonths: 3,
    });
    const day = async (scheduledTime: string, server: LocalComtradeServer) => {
      await planScheduledRun({ run: 'daily', scheduledTime }, planner);
      const items = queue.take();
      const outcomes: WorkItemOutcome[] = [];
      for (const item of items) outcomes.push(await processWorkItem(item, worker(server, scheduledTime.slice(0, 10))));
      return { items, outcomes };
    };

    // Until 2024-03-25 Comtrade holds China's side through January 2024, Kyrgyzstan's through December: the first day backfills them, history, alerting nothing.
    const history = await startLocalComtradeServer({ figures: figures('2024-01', '2023-12'), releasedOn: () => '2024-03-01' });
    servers.push(history);
    const first = await day('2024-03-10T02:00:00.000Z', history);
    // The partner side is asked as Kyrgyzstan's own report, with China as its partner, in its own calls.
    expect(first.items.map((i) => [i.request.reporter, i.request.partners, i.request.flows])).toContainEqual(['KGZ', ['CHN'], ['export', 'import']]);
    expect(history.requests.some((r) => r.query.reporterCode === '417' && r.query.partnerCode === '156')).toBe(true);
    // The gap that closed in November 2023 is found, and held as history: a backfilled mirror alerts nothing.
    expect(first.outcomes.flatMap((o) => o.detection.history).map((a) => [a.seriesId, a.period])).toContainEqual([MIRROR, '2023-11']);
    expect(first.outcomes.flatMap((o) => o.detection.anomalies)).toEqual([]);
    expect((await table.series.listSeries({ reporter: 'KGZ' })).map((s) => [s.seriesId, s.lastPeriod])).toEqual([
      ['comtrade.KGZ.CHN.export.TOTAL.USD', '2023-12'],
      ['comtrade.KGZ.CHN.import.TOTAL.USD', '2023-12'],
    ]);
    expect(await drainAll()).toEqual({ feed: [], [EMAIL.id]: [], [SMS.id]: [] });

    // The CLI serves the mirror: both sides, the partner's CIF figure at FOB, the gap and the ratio.
    Object.assign(process.env, { DYNAMODB_ENDPOINT: table.connection.endpoint, TABLE_NAME: table.tableName });
    const lines: string[] = [];
    await showSeries(MIRROR, { from: '2023-12', to: '2024-01' }, (line) => lines.push(line));
    expect(lines[0]).toBe(
      "comtrade.CHN.KGZ.export.TOTAL.USD beside comtrade.KGZ.CHN.import.TOTAL.USD: KGZ's CIF figure at FOB with a CIF/FOB margin of 6 %; RATIO is KGZ's figure over CHN's",
    );
    expect(lines[1]).toMatch(/^MONTH\s+CHN \(FOB\)\s+KGZ \(CIF\)\s+KGZ AT FOB\s+GAP\s+RATIO\s+STATE$/);
    expect(lines[2]).toMatch(/^2023-12\s+US\$1\.\d\dbn\s+US\$\d{3}m\s+US\$\d{3}m\s+US\$\d{3}m\s+0\.4\dx\s+compared$/);
    // Kyrgyzstan has not reported January yet: the month is marked, never read as zero.
    expect(lines[3]).toMatch(/^2024-01\s+US\$1\.\d\dbn\s+-\s+-\s+-\s+-\s+partner-missing$/);
    expect(lines).toHaveLength(4);

    // The API serves the same months, and names the side that is missing where one is.
    const deps = { ...table, status: statusOf(table, loadQueryConfig({})), groups: DEFAULT_GROUPS, loadDetectionFor: async () => () => defaultDetectionConfig };
    const api = await handleQuery({ routeKey: 'GET /series/{id}/observations', pathParameters: { id: MIRROR }, queryStringParameters: { from: '2023-12' } }, deps);
    expect(api.statusCode).toBe(200);
    const body = api.body as { view: string; margin: number; reporterValuation: string; partnerValuation: string; items: MirrorMonth[] };
    expect(body).toMatchObject({ view: 'mirror', margin: 0.06, reporterValuation: 'FOB', partnerValuation: 'CIF', partnerSeriesId: 'comtrade.KGZ.CHN.import.TOTAL.USD' });
    const [december, january] = body.items;
    expect(december).toMatchObject({ period: '2023-12', state: 'compared' });
    expect(december!.partnerAtReporterBasis).toBeCloseTo(december!.partnerValue! / 1.06, 3);
    expect(december!.gap).toBeCloseTo(december!.reporterValue! - december!.partnerAtReporterBasis!, 3);
    expect(december!.ratio).toBeCloseTo(0.45, 1);
    expect(january).toMatchObject({ period: '2024-01', state: 'partner-missing', partnerState: 'not-stored', partnerValue: null, gap: null, ratio: null });
    const missing = await handleQuery({ routeKey: 'GET /series/{id}/observations', pathParameters: { id: 'comtrade.CHN.KAZ.export.TOTAL.USD~mirror' } }, deps);
    expect(missing).toEqual({ statusCode: 404, body: { error: expect.stringContaining('the partner\'s side, comtrade.KAZ.CHN.import.TOTAL.USD (KAZ\'s own report of the flow), is not stored') } });
    const turnover = await handleQuery({ routeKey: 'GET /series/{id}/observations', pathParameters: { id: 'comtrade.CHN.KGZ.trade.TOTAL.USD~mirror' } }, deps);
    expect(turnover).toEqual({ statusCode: 400, body: { error: expect.stringContaining('turnover has no mirror'), parameter: 'id' } });
    // The other views: year to date and complete years of both sides (2023 is complete on both), each side's y/y change.
    const ytd = await handleQuery({ routeKey: 'GET /series/{id}/observations', pathParameters: { id: MIRROR }, queryStringParameters: { view: 'ytd', from: '2023-12', to: '2023-12' } }, deps);
    const [ytdDecember] = (ytd.body as { items: MirrorMonth[] }).items;
    expect(ytd.body).toMatchObject({ view: 'mirror', mirrorView: 'ytd' });
    expect(ytdDecember!.reporterValue! / 12).toBeGreaterThan(1.5e9);
    expect(ytdDecember!.ratio).toBeCloseTo(0.45 + 0.2 / 12, 1);
    const annual = await handleQuery({ routeKey: 'GET /series/{id}/observations', pathParameters: { id: MIRROR }, queryStringParameters: { view: 'annual' } }, deps);
    const years = (annual.body as { items: { year: number; state: string; reporterValue: number; gap: number }[] }).items;
    // The backfill stored both sides from 2020 (its history window), so 2020 to 2023 are complete on both.
    expect(years.map((y) => [y.year, y.state])).toEqual([2020, 2021, 2022, 2023].map((year) => [year, 'compared']));
    expect(years.at(-1)!.reporterValue).toBeCloseTo(ytdDecember!.reporterValue!, 3);
    const yoy = await handleQuery({ routeKey: 'GET /series/{id}/observations', pathParameters: { id: MIRROR }, queryStringParameters: { view: 'yoy', from: '2023-10' } }, deps);
    const changes = (yoy.body as { items: { bucket: string; reporter: { change: number }; partnerAtReporterBasis: { change: number } | null; ratio: number | null }[] }).items;
    // China publishes January and February as one: with its February not yet out, Jan-Feb 2024 is no bucket yet on either side.
    expect(changes.map((c) => c.bucket)).toEqual(['2023-10', '2023-11', '2023-12']);
    expect(changes[0]!.reporter.change).toBeCloseTo(0.05, 1);
    // November 2023's closing gap is Kyrgyzstan's side moving, not China's.
    expect(changes[1]!.partnerAtReporterBasis!.change).toBeGreaterThan(0.4);
    const unitValue = await handleQuery({ routeKey: 'GET /series/{id}/observations', pathParameters: { id: MIRROR }, queryStringParameters: { view: 'unit-value' } }, deps);
    expect(unitValue).toMatchObject({ statusCode: 400, body: { parameter: 'view', error: expect.stringContaining('monthly, ytd, yoy or annual') } });

    // China's February release and Kyrgyzstan's January and February: Kyrgyzstan's imports from China
    // fall to 0.30x of China's exports. The gap opens (and Kyrgyzstan's own imports drop): each alerted once per route it wants.
    const release = await startLocalComtradeServer({
      figures: figures('2024-02', '2024-02', '2024-01'),
      releasedOn: (reporter, period) => (period === '202402' || (reporter === 417 && period === '202401') ? '2024-03-25' : '2024-03-01'),
    });
    servers.push(release);
    const news = await day('2024-03-26T02:00:00.000Z', release);
    const alerted = news.outcomes.flatMap((o) => o.detection.anomalies);
    const mirrorAlerts = alerted.filter((a) => a.seriesId === MIRROR);
    expect(mirrorAlerts.map((a) => [a.bucketLabel, a.direction, a.severity])).toEqual([['Jan-Feb 2024', 'down', 'warning']]);
    const received = await drainAll();
    const mirrorMessages = (route: string) => received[route]!.filter((m) => m.kind === 'tradewatch.alert' && m.seriesId === MIRROR);
    expect(mirrorMessages(FEED_ROUTE.id)).toHaveLength(1);
    const [feed] = mirrorMessages(FEED_ROUTE.id);
    // Machine subscribers get both sides' numbers too; value and comparisonValue are the ratio.
    expect(feed).toMatchObject({ value: expect.closeTo(0.3, 1), comparisonValue: expect.closeTo(0.45, 1), mirror: { margin: 0.06 } });
    const sides = (feed as { mirror: { reporterValue: number; partnerValue: number; partnerAtReporterBasis: number } }).mirror;
    expect(sides.partnerAtReporterBasis).toBeCloseTo(sides.partnerValue / 1.06, 3);
    expect(sides.partnerAtReporterBasis / sides.reporterValue).toBeCloseTo((feed as { value: number }).value, 9);
    expect(mirrorMessages(SMS.id)).toEqual([]); // a mirror gap is at most a warning
    expect(mirrorMessages(EMAIL.id)).toHaveLength(1);
    const [email] = mirrorMessages(EMAIL.id);
    expect(email!.subject).toMatch(/^\[tradewatch warning\] Mirror gap opens, China exports to Kyrgyzstan, Jan-Feb 2024: 0\.4\dx to 0\.3\dx$/);
    expect(email!.email).toMatch(/China reports exports to Kyrgyzstan of US\$3\.\d\dbn in Jan-Feb 2024; Kyrgyzstan reports imports from China of US\$1\.\d\dbn \(US\$1\.\d\dbn FOB at a 6 % CIF\/FOB margin\)/);
    expect(email!.email).toMatch(/A year earlier: China reports exports to Kyrgyzstan of US\$3\.\d\dbn in Jan-Feb 2023; Kyrgyzstan reports imports from China of US\$1\.\d\dbn/);
    expect(email!.email).toMatch(/Kyrgyzstan's figure fell from 0\.4\dx to 0\.3\dx China's/);

    // The mirror's chart: China's figure, Kyrgyzstan's at FOB and the gap, with the alert's bucket marked on it.
    const chart = await handleQuery({ routeKey: 'GET /series/{id}/chart', pathParameters: { id: MIRROR }, queryStringParameters: { format: 'json', from: '2023-01' } }, deps);
    const data = chart.body as ChartData;
    expect(data.title).toBe('China exports to Kyrgyzstan beside Kyrgyzstan imports from China (mirror; comtrade, TOTAL, USD)');
    expect(data.lineLabel).toBe("CHN's figure (FOB)");
    expect(data.lines!.map((l) => l.label)).toEqual(["KGZ's figure at FOB (6 % CIF/FOB margin)", "Gap (CHN's less KGZ's)"]);
    const janFeb = data.points.findIndex((p) => p.key === '2024-01..02');
    expect(data.points[janFeb]!.value! * 0.3).toBeCloseTo(data.lines![0]!.values[janFeb]!, -8);
    expect(data.lines![1]!.values[janFeb]).toBeCloseTo(data.points[janFeb]!.value! - data.lines![0]!.values[janFeb]!, 3);
    expect(data.anomalies.map((a) => [a.bucketKey, a.direction, a.severity])).toContainEqual([mirrorAlerts[0]!.bucketKey, 'down', 'warning']);
    const svg = await handleQuery({ routeKey: 'GET /series/{id}/chart', pathParameters: { id: MIRROR }, queryStringParameters: { from: '2023-01' } }, deps);
    expect(svg.contentType).toBe('image/svg+xml');
    expect(svg.body).toContain('Jan-Feb 2024 ratio -');
    expect((svg.body as string).match(/<path class="line"/g)).toHaveLength(2);
    // Both of the ratio's anomalies since January 2023: November's closing gap (history) and the gap that opened.
    expect(data.anomalies.map((a) => [a.bucketLabel, a.direction])).toEqual([
      ['Nov 2023', 'up'],
      ['Jan-Feb 2024', 'down'],
    ]);
    // The CLI writes the same chart.
    const out = join(mkdtempSync(join(tmpdir(), 'mirror-chart-')), 'mirror.svg');
    const said: string[] = [];
    await chartSeries(MIRROR, { out, from: '2023-01' }, (line) => said.push(line));
    expect(said).toEqual([`Wrote ${out} (SVG, 2 anomalies marked).`]);
    expect(readFileSync(out, 'utf8')).toBe(svg.body);

    // Now both sides have Jan-Feb 2024: the y/y view shows China's exports up as usual and Kyrgyzstan's imports down.
    const opened = await handleQuery({ routeKey: 'GET /series/{id}/observations', pathParameters: { id: MIRROR }, queryStringParameters: { view: 'yoy', from: '2024-01' } }, deps);
    const [bucket] = (opened.body as { items: { bucket: string; reporter: { change: number }; partnerAtReporterBasis: { change: number }; ratio: number; previousRatio: number }[] }).items;
    expect(bucket).toMatchObject({ bucket: '2024-01..02', ratio: expect.closeTo(0.3, 1), previousRatio: expect.closeTo(0.45, 1) });
    expect(bucket!.reporter.change).toBeCloseTo(0.05, 1);
    expect(bucket!.partnerAtReporterBasis.change).toBeLessThan(-0.25);

    // The same day again: nothing due, nothing sent twice.
    const again = await day('2024-03-26T02:00:00.000Z', release);
    expect(again.outcomes.flatMap((o) => o.detection.anomalies)).toEqual([]);
    expect(await drainAll()).toEqual({ feed: [], [EMAIL.id]: [], [SMS.id]: [] });
  }, 300_000);
});
