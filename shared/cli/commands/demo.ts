import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runDetectAndAlert } from '../../alerts/alert-job.js';
import { loadCliConfig } from '../../config/functions.js';
import { DEMO_RELEASED_AT, DEMO_REVISION, loadDemoCommodityFigures, loadDemoDataSet, loadDemoFigures, loadDemoPartnerFigures, loadRevisedDemoFigures } from '../../demo/demo-figures.js';
import { DEMO_HS6, DEMO_HS6_RULE } from '../../demo/hs6-series.js';
import { DEMO_MIRROR } from '../../demo/mirror-side.js';
import { FEED_ROUTE, routeOf } from '../../domain/alerts/routing.js';
import { periodRange } from '../../domain/period.js';
import { runIngest } from '../../ingest/ingest-run.js';
import { startLocalComtradeServer } from '../../local/comtrade-server.js';
import { ensureTable, startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { LocalDropFolder } from '../../ingest/local-drop-folder.js';
import { watchDropFolder } from '../../local/drop-watcher.js';
import { startLocalAlertTopic } from '../../local/local-alerts.js';
import { watchlistRequests } from '../../plan/watchlist.js';
import { alertingFor, createAlertPublisher, createComtradeSource, createStore, storedDetection } from '../../wiring.js';
import type { CliConfig } from '../../config/functions.js';
import type { DetectionFor } from '../../domain/detection/index.js';
import { startLocalConsole } from '../../console/local-console.js';
import type { LocalAlertTopic } from '../../local/local-alerts.js';
import { LOCAL_DROP_DIR, announceLocalTarget, withdrawLocalTarget } from '../store-target.js';

export interface DemoOptions {
  /** Keep DynamoDB Local running after the run so the CLI can query it, and serve the console. */
  readonly keepRunning: boolean;
  /** The console's port with --keep-running (default: a free one). */
  readonly port?: number | undefined;
  /** Persist DynamoDB Local's data in this folder instead of memory. */
  readonly dbPath?: string | undefined;
  readonly out: (line: string) => void;
}

const DEMO_TABLE_NAME = 'tradewatch';
const CHINA_M49 = 156;
/** The demo's subscribers, as a deploy would configure them (defaults: e-mail warning+, SMS critical). */
const EMAIL = routeOf({ protocol: 'email', endpoint: 'analyst@example.org' });
const SMS = routeOf({ protocol: 'sms', endpoint: '+10000000000' });
const ROUTES = [FEED_ROUTE, EMAIL, SMS];

function indent(text: string, prefix = '    '): string {
  return text
    .split('\n')
    .map((line) => (line ? `${prefix}${line}` : line))
    .join('\n');
}

/**
 * The whole pipeline on the machine, no AWS account and no network: DynamoDB Local, a local
 * Comtrade-shaped server with the bundled data set, the real Comtrade client, detection, and
 * alerts published through SNS (fauxqs) and read back from subscribed queues.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  const demo = await loadDemo(options);
  try {
    if (options.keepRunning) await keepRunning(demo, options);
  } finally {
    await demo.stop();
  }
}

/** The demo's store and alert topic, loaded and alerted, left running until `stop`. */
export interface LoadedDemo {
  readonly config: CliConfig;
  readonly store: ReturnType<typeof createStore>;
  readonly dynamoDbEndpoint: string;
  readonly topic: LocalAlertTopic;
  stop(): Promise<void>;
}

export interface LoadDemoOptions {
  readonly dbPath?: string | undefined;
  /** A DynamoDB Local already running (the test suite's), instead of starting one. */
  readonly dynamoDbEndpoint?: string | undefined;
  readonly tableName?: string | undefined;
  readonly out: (line: string) => void;
}

/** Steps 1 to 3 of the demo and its summary: ingest both releases, detect, alert through the local topic. */
export async function loadDemo(options: LoadDemoOptions): Promise<LoadedDemo> {
  const { out } = options;
  const TABLE_NAME = options.tableName ?? DEMO_TABLE_NAME;
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    out('tradewatch demo: the whole pipeline on this machine (no AWS account, no network)\n');
    const dataSet = loadDemoDataSet();
    out(`  data   bundled ILLUSTRATIVE data set: China with ${new Set(dataSet.series.map((s) => s.partner)).size} partners, ${dataSet.from} to ${dataSet.to}`);
    out('         (generated, calibrated to published China-customs totals; not real monthly figures; its net weights are illustrative too)');
    out(`         and, for one mirror, ${DEMO_MIRROR.reporter}'s own report of its ${DEMO_MIRROR.flow}s from ${DEMO_MIRROR.partner} (ILLUSTRATIVE too)`);
    out(`         and ${dataSet.commoditySeries?.length ?? 0} HS6 series, ${DEMO_HS6.reporter}'s ${DEMO_HS6.flow}s of integrated circuits (${DEMO_HS6.commodities.join(', ')}, CHPL tier 1) to ${DEMO_HS6.partners.join(' and ')} (ILLUSTRATIVE too)`);

    const dynamo = options.dynamoDbEndpoint ? { endpoint: options.dynamoDbEndpoint, region: 'us-east-1' } : await startDynamoDbLocal(options.dbPath ? { dbPath: options.dbPath } : {});
    if ('stop' in dynamo) stops.push(dynamo.stop);
    await ensureTable(dynamo, TABLE_NAME);
    out(`  store  DynamoDB Local on ${dynamo.endpoint} (${options.dbPath ? `data in ${options.dbPath}` : 'in memory'}), table "${TABLE_NAME}"  [${elapsed()}]`);

    // China's March release, and a month later its April release, which revises one month.
    // Both sides' totals and the HS6 series; a month of nothing traded has no row, as on Comtrade.
    const partnerFigures = [...loadDemoPartnerFigures(), ...loadDemoCommodityFigures().filter((f) => f.value > 0)];
    const comtrade = await startLocalComtradeServer({ figures: [...loadDemoFigures(), ...partnerFigures], releasedOn: () => DEMO_RELEASED_AT.slice(0, 10) });
    stops.push(comtrade.stop);
    const revisedRelease = await startLocalComtradeServer({
      figures: [...loadRevisedDemoFigures(), ...partnerFigures],
      // China's release revises one month; the partner's side and the HS6 series are as first released.
      releasedOn: (reporter, period) => (reporter === CHINA_M49 && period === DEMO_REVISION.period.replace('-', '') ? DEMO_REVISION.releasedAt : DEMO_RELEASED_AT).slice(0, 10),
    });
    stops.push(revisedRelease.stop);
    out(`  source local UN Comtrade v1-compatible API on ${comtrade.baseUrl}`);

    const topic = await startLocalAlertTopic(ROUTES);
    stops.push(topic.stop);
    out(`  alerts SNS topic (fauxqs), a queue subscribed per route: e-mail (warning and up), SMS (critical only), feed (all)\n`);

    // Wired from configuration exactly as the functions are, with the local endpoints in place of AWS.
    const config = loadCliConfig({
      ...process.env,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      TABLE_NAME,
      COMTRADE_BASE_URL: comtrade.baseUrl,
      COMTRADE_MIN_INTERVAL_MS: '0',
      SNS_ENDPOINT: topic.endpoint,
      ALERT_TOPIC_ARN: topic.topicArn,
      ROUTES: JSON.stringify([EMAIL, SMS]),
    });
    const store = createStore(config);
    const { series, alerts, silences, detection, runs } = store;
    const periods = periodRange(dataSet.from, dataSet.to);
    // Each release ingested as the daily run would (only what the source says was released), stamped
    // with its release time, so `--as-of` reads the store as it reads `--demo`.
    const ingestRelease = (baseUrl: string, releasedAt: string) => {
      const { source } = createComtradeSource({ ...config, comtrade: { ...config.comtrade, baseUrl } }, { apiKey: undefined });
      const now = new Date(releasedAt);
      // The watchlist's requests, and the one partner side the demo holds (as a mirror entry's planner would ask it).
      const mirrorSide = { reporter: DEMO_MIRROR.reporter, partners: [DEMO_MIRROR.partner], flows: [DEMO_MIRROR.flow], commodity: 'TOTAL', periods };
      // And the HS6 codes, as an entry with `"commodity": ["854231", "854232"]` would ask them.
      const hs6 = { reporter: DEMO_HS6.reporter, partners: DEMO_HS6.partners, flows: [DEMO_HS6.flow], commodity: DEMO_HS6.commodities.join(','), periods };
      return runIngest({ source, requests: [...watchlistRequests(config.watchlist, periods), mirrorSide, hs6], series, now: () => now, run: { key: `demo-${releasedAt.slice(0, 10)}`, repository: runs }, onlyNewReleases: true });
    };
    const ingest = await ingestRelease(comtrade.baseUrl, DEMO_RELEASED_AT);
    out(
      `1. ingest   ${ingest.calls} Comtrade calls, ${ingest.observations} observations: ${ingest.inserted} new, ` +
        `${ingest.revised} revised, ${ingest.unchanged} unchanged, ${ingest.rejected.length} rejected  (the release of ${DEMO_RELEASED_AT.slice(0, 10)})  [${elapsed()}]`,
    );
    const revision = await ingestRelease(revisedRelease.baseUrl, DEMO_REVISION.releasedAt);
    const [revisedId] = [...revision.changedFrom.keys()];
    out(
      `           ${revision.calls} call(s) for the release of ${DEMO_REVISION.releasedAt.slice(0, 10)}: ${revision.revised} month revised (${revisedId ?? 'none'} ${DEMO_REVISION.period}), ` +
        `the earlier value kept as its first vintage  [${elapsed()}]`,
    );

    const result = await runDetectAndAlert({
      series,
      alerts,
      silences,
      routes: config.routes,
      publisher: createAlertPublisher({ ...config, alertTopicArn: topic.topicArn }),
      detectionFor: withDemoRule(await storedDetection(store.watchlist, config)()),
      detection,
      reporters: config.watchlist.entries.map((entry) => entry.reporter),
      lookbackMonths: config.alertLookbackMonths,
      now: () => new Date(),
    });
    out(
      `2. detect   ${result.seriesExamined} series (exports, imports, trade turnover, the mirror and the HS6 series), ${result.bucketsEvaluated} recent months scored: ` +
        `${result.anomalies.length} anomal${result.anomalies.length === 1 ? 'y' : 'ies'}  [${elapsed()}]`,
    );
    out(
      `3. alert    ${result.sent.length} alerts sent as ${result.messages.length} SNS messages (one per route), ` +
        `${result.silenced.length} silenced, ${result.failed.length} failed\n`,
    );

    const email = await topic.drain(EMAIL.id);
    const sms = await topic.drain(SMS.id);
    const feed = await topic.drain(FEED_ROUTE.id);
    for (const alert of email) {
      out(`── e-mail subscriber ─ Subject: ${alert.subject}`);
      out(indent(alert.email));
      if (alert.email.includes('Volume and price:')) out("    (the net weights behind volume and unit value are the demo's illustrative ones, not published figures)");
      if (alert.email.includes('took little before')) out("    (the HS6 series are the demo's illustrative ones, not China-customs figures)");
      out('');
    }
    for (const alert of sms) out(`── SMS subscriber (${alert.sms.length} chars) ─ ${alert.sms}`);
    const totalSeries = (await series.listSeries()).length;
    out('');
    out('Summary');
    out(`  series stored        ${totalSeries}`);
    out(`  observations stored  ${ingest.inserted} (${revision.revised} revised since, earlier vintage kept)`);
    out(`  anomalies            ${result.anomalies.length}`);
    out(`  messages delivered   e-mail route ${email.length}, SMS route ${sms.length}, feed ${feed.length}`);
    out(`  took                 ${elapsed()}`);
    out('');
    out('Next:');
    out('  npm test                    the whole test suite (DynamoDB Local and fauxqs started for you)');
    out('  npm run bench               benchmarks with figures and ratios');
    out('  npx cdk synth               the AWS stack, synthesized offline');
    out('  npm start -- --keep-running keep DynamoDB Local up and query it with the CLI');
    return { config, store, dynamoDbEndpoint: dynamo.endpoint, topic, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}


/**
 * The demo's detection settings: the deploy's, with the little-before-much-after rule switched on
 * for the HS6 series' reporter, as a watchlist entry's `detection.littleBeforeMuchAfter` would.
 * The rule applies to all that reporter's series; its totals are nowhere near five times their base.
 */
function withDemoRule(detectionFor: DetectionFor): DetectionFor {
  return (reporter) => (reporter === DEMO_HS6.reporter ? { ...detectionFor(reporter), littleBeforeMuchAfter: DEMO_HS6_RULE } : detectionFor(reporter));
}

/**
 * `--keep-running`: the store, the alert topic and the drop folder stay up for the other commands,
 * and the console is served on 127.0.0.1, until Ctrl+C.
 */
async function keepRunning(demo: LoadedDemo, options: DemoOptions): Promise<void> {
  const { out } = options;
  const { config, store, topic } = demo;
  const stops: (() => Promise<void>)[] = [];
  try {
    out('');
    announceLocalTarget({ endpoint: demo.dynamoDbEndpoint, tableName: config.tableName, alerts: { snsEndpoint: topic.endpoint, topicArn: topic.topicArn, routes: JSON.stringify([EMAIL, SMS]) } });
    stops.push(async () => withdrawLocalTarget());
    out(`DynamoDB Local keeps running on ${demo.dynamoDbEndpoint}. In another terminal, from this folder:`);
    out('  npx tradewatch series list');
    out('  npx tradewatch series show comtrade.CHN.CENTRALASIA.trade.TOTAL.USD --view annual');
    out(`  npx tradewatch series show comtrade.CHN.TUR.export.TOTAL.USD --from 2023-12 --to 2023-12 --as-of 2024-03-31`);
    out('  npx tradewatch series show comtrade.CHN.KGZ.export.TOTAL.USD~mirror --from 2023-10');
    out('  npx tradewatch status');
    out('  npx tradewatch series chart comtrade.CHN.AZE.trade.TOTAL.USD --out aze.html');
    out('  npx tradewatch alerts list');
    out('  npx tradewatch backtest --all');
    // The drop folder, as the drop bucket on AWS: a CSV put in incoming/ is imported, detected and alerted here.
    const drop = new LocalDropFolder(resolve(LOCAL_DROP_DIR));
    await drop.create();
    const watcher = watchDropFolder(drop, { ...store, alerting: alertingFor(config, store), now: () => new Date() }, out);
    stops.push(() => watcher.stop());
    out(`Drop folder: a CSV put in ${join(drop.dir, 'incoming')} is imported, detected and alerted here, then moved to done/ or rejected/ with a report.`);
    const consoleServer = await startLocalConsole(config, { port: options.port, illustrative: true });
    stops.push(() => consoleServer.stop());
    out(`Console: ${consoleServer.url}  (the web console on this store, no sign-in)`);
    out('Press Ctrl+C to stop.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}
