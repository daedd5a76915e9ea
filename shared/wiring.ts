import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SnsAlertPublisher, createSnsClient } from './alerts/sns-publisher.js';
import { sdkClientConfig, type AwsConnection } from './aws/client-config.js';
import type { AlertSettings, CallBudgetSettings, ComextSettings, ComtradeSettings, DropSettings, StoreSettings, WatchSettings, WorkQueueSettings } from './config/environment.js';
import type { PlanConfig } from './config/functions.js';
import { comextCallEstimate, comtradeCallEstimate } from './plan/call-estimate.js';
import type { PlanDependencies, UpstreamPlanning } from './plan/plan-run.js';
import type { LoadDetectionFor } from './detect/detect-changes.js';
import type { DetectionFor } from './domain/detection/index.js';
import { detectionSettingsOf } from './plan/watchlist.js';
import { SqsWorkQueue, type WorkQueue } from './plan/work-queue.js';
import type { Alerting } from './alerts/alert-changes.js';
import { S3DropFolder } from './ingest/s3-drop-folder.js';
import { ComtradeClient } from './sources/comtrade/comtrade-client.js';
import { ComtradeSource } from './sources/comtrade/comtrade-source.js';
import { ComextSource } from './sources/eurostat/comext-source.js';
import type { ClientStats, RetryEvent } from './sources/http/resilient-http.js';
import type { TradeSource } from './sources/trade-source.js';
import type { Upstream } from './domain/upstream.js';
import { AlertHistory, AlertRepository } from './store/alert-repository.js';
import { BackfillRepository } from './store/backfill-repository.js';
import { createDocumentClient } from './store/client.js';
import { DetectionRepository } from './store/detection-repository.js';
import { RunRepository } from './store/run-repository.js';
import { SeriesReader, SeriesRepository } from './store/series-repository.js';
import { SilenceRepository } from './store/silence-repository.js';
import { SubscriptionRepository } from './store/subscription-repository.js';
import { WatchlistReader, WatchlistRepository } from './store/watchlist-repository.js';
import { watchlistOf } from './plan/watch-entries.js';
import type { Watchlist } from './plan/watchlist.js';
import { routesOfSubscriptions } from './domain/alerts/subscription.js';
import type { Route } from './domain/alerts/routing.js';
import type { ManageDependencies } from './manage/manage-api.js';
import { trackingStatus, type StatusStores, type StoredWatchlist } from './query/tracking-status.js';

/**
 * The one place where tradewatch's parts are built from validated configuration: the three
 * handlers, the CLI, the local demo and the test support all wire through here.
 */

/** The store: series, alerts, silences, run records and detection progress in the one table. */
export function createStore(settings: StoreSettings) {
  return storeOn({ region: settings.region, endpoint: settings.dynamoDbEndpoint }, settings.tableName);
}

/** The same store over a given connection (the fault-injection tests reach it through a proxy). */
export function storeOn(connection: AwsConnection, tableName: string) {
  const doc = createDocumentClient(connection);
  const settings = { tableName };
  return {
    runs: new RunRepository(doc, settings.tableName),
    series: new SeriesRepository(doc, settings.tableName),
    alerts: new AlertRepository(doc, settings.tableName),
    silences: new SilenceRepository(doc, settings.tableName),
    detection: new DetectionRepository(doc, settings.tableName),
    backfill: new BackfillRepository(doc, settings.tableName),
    watchlist: new WatchlistRepository(doc, settings.tableName),
    subscriptions: new SubscriptionRepository(doc, settings.tableName),
  };
}

/** The watchlist the table holds (seeded once from the configured one), as the jobs work from it. */
export function tableWatchlist(watchlist: WatchlistRepository, settings: Pick<WatchSettings, 'watchlistSeed'>): () => Promise<Watchlist> {
  return async () => watchlistOf(await watchlist.current(settings.watchlistSeed), settings.watchlistSeed);
}

/** The routes of the subscriptions the table holds, read once per alerting run. */
export function storedRoutes(subscriptions: SubscriptionRepository): () => Promise<Route[]> {
  return async () => routesOfSubscriptions(await subscriptions.list());
}

/** The watchlist's and the subscriptions' management, as the manage API and `tradewatch watch`/`subscribe` share it. */
export function manageServices(
  settings: StoreSettings & WatchSettings & CallBudgetSettings & Pick<AlertSettings<string | undefined>, 'alertTopicArn' | 'snsEndpoint'>,
  store: Pick<ReturnType<typeof createStore>, 'watchlist' | 'subscriptions'> = createStore(settings),
): ManageDependencies {
  const now = () => new Date();
  const { alertTopicArn } = settings;
  return {
    watchlist: { watchlist: store.watchlist, seed: settings.watchlistSeed, upstreams: upstreamPlanning(settings), now },
    subscriptions: alertTopicArn ? { subscriptions: store.subscriptions, sns: createSnsClient({ region: settings.region, endpoint: settings.snsEndpoint }), topicArn: alertTopicArn, now } : undefined,
  };
}

/** What the query side reads: series and alerts, the watchlist (for detection settings and the status), the run records and backfill states. */
export function createReadStore(settings: StoreSettings) {
  const doc = createDocumentClient({ region: settings.region, endpoint: settings.dynamoDbEndpoint });
  return {
    series: new SeriesReader(doc, settings.tableName),
    alerts: new AlertHistory(doc, settings.tableName),
    watchlist: new WatchlistReader(doc, settings.tableName),
    runs: new RunRepository(doc, settings.tableName),
    backfill: new BackfillRepository(doc, settings.tableName),
  };
}

/** `tradewatch status` and `GET /status` over a store: the watchlist the table holds (see storedWatchlist), read each time, with the schedule and budgets. */
export function statusOf(stores: StatusStores & { readonly watchlist: Pick<WatchlistReader, 'stored'> }, settings: WatchSettings & CallBudgetSettings) {
  const upstreams = upstreamPlanning(settings);
  const watchlist = storedWatchlist(stores.watchlist, settings);
  return async (reporter: string | undefined, now = new Date()) => {
    const read = await watchlist();
    return trackingStatus(stores, { watchlist: read.watchlist, watchlistFrom: read.from, schedule: settings.schedule, upstreams, now, reporter });
  };
}

/**
 * The watchlist as the table holds it, for those that only read it (detection, the charts, the
 * status): its entries once seeded, else the deploy's, which the first planner run will seed.
 * Nothing is written, so it needs no write grant.
 */
export function storedWatchlist(watchlist: Pick<WatchlistReader, 'stored'>, settings: Pick<WatchSettings, 'watchlist' | 'watchlistSeed'>): () => Promise<StoredWatchlist> {
  return async () => {
    const entries = await watchlist.stored();
    return entries ? { watchlist: watchlistOf(entries, settings.watchlistSeed), from: 'table' } : { watchlist: settings.watchlist, from: 'deploy' };
  };
}

/**
 * Detection settings per reporter from the table's watchlist (see storedWatchlist), under
 * DETECTION: each run or request loads them once, so an entry saved with `tradewatch watch add`
 * or the console applies from the next run on.
 */
export function storedDetection(watchlist: Pick<WatchlistReader, 'stored'>, settings: Pick<WatchSettings, 'watchlist' | 'watchlistSeed' | 'detection'>): LoadDetectionFor {
  const read = storedWatchlist(watchlist, settings);
  return async () => detectionSettingsOf((await read()).watchlist, settings.detection);
}

/** Detection settings per reporter from the configured watchlist alone: for what has no table (the demo's bundled data). */
export function configuredDetection(settings: Pick<WatchSettings, 'watchlist' | 'detection'>): DetectionFor {
  return detectionSettingsOf(settings.watchlist, settings.detection);
}

export function createAlertPublisher(settings: Pick<AlertSettings, 'alertTopicArn' | 'snsEndpoint'> & Pick<StoreSettings, 'region'>): SnsAlertPublisher {
  return new SnsAlertPublisher(createSnsClient({ region: settings.region, endpoint: settings.snsEndpoint }), settings.alertTopicArn);
}

/** Each upstream's calls a day and how a work item's calls are counted: the planner divides them, the status reports them. */
export function upstreamPlanning(settings: CallBudgetSettings): Readonly<Record<Upstream, UpstreamPlanning>> {
  return {
    comtrade: { dailyCallBudget: settings.dailyCallBudget, estimate: comtradeCallEstimate() },
    comext: { dailyCallBudget: settings.comextDailyCallBudget, estimate: comextCallEstimate() },
  };
}

/** The planner: the watchlist, the queue, and the table's backfill states and call budgets (each upstream its own). */
export function createPlanner(config: PlanConfig, queue: WorkQueue = createWorkQueue(config)): PlanDependencies {
  const doc = createDocumentClient({ region: config.region, endpoint: config.dynamoDbEndpoint });
  return {
    // Read from the table each run: the deploy's watchlist only seeds it.
    watchlist: tableWatchlist(new WatchlistRepository(doc, config.tableName), config),
    queue,
    backfill: new BackfillRepository(doc, config.tableName),
    budget: new RunRepository(doc, config.tableName),
    upstreams: upstreamPlanning(config),
  };
}

/**
 * Detecting and alerting after a store (import, ingest, a dropped file), on `store`: through the
 * configured topic, or, without one, finding what is due and leaving it due.
 */
export function alertingFor(
  settings: WatchSettings & AlertSettings<string | undefined> & Pick<StoreSettings, 'region'>,
  store: Pick<ReturnType<typeof createStore>, 'series' | 'alerts' | 'silences' | 'detection' | 'backfill' | 'subscriptions' | 'watchlist'>,
): Alerting {
  const { alertTopicArn } = settings;
  const { backfill, subscriptions, watchlist, ...parts } = store;
  return {
    ...parts,
    storedRoutes: storedRoutes(subscriptions),
    // The planner's watched partners: their first load is history, not news (as in the scheduled runs).
    watched: backfill,
    loadDetectionFor: storedDetection(watchlist, settings),
    lookbackMonths: settings.alertLookbackMonths,
    routes: settings.routes,
    publisher: alertTopicArn ? createAlertPublisher({ ...settings, alertTopicArn }) : undefined,
    now: () => new Date(),
  };
}

export function createWorkQueue(settings: WorkQueueSettings): WorkQueue {
  return new SqsWorkQueue(new SQSClient(sdkClientConfig({ region: settings.region, endpoint: settings.sqsEndpoint })), settings.workQueueUrl);
}

/** The drop bucket (on AWS; the SDK's AWS_ENDPOINT_URL_S3 points it at an emulator). */
export function createS3DropFolder(settings: DropSettings): S3DropFolder {
  return new S3DropFolder(new S3Client(sdkClientConfig({ region: settings.region })), settings.dropBucket);
}

/** The UN Comtrade key: from its secret on AWS (cached for an hour), else from the environment. */
export async function comtradeApiKey(settings: ComtradeSettings): Promise<string | undefined> {
  const secret = settings.comtrade.apiKeySecret;
  if (!secret) return settings.comtrade.apiKey;
  // The key never enters environment variables or logs.
  const key = await getSecret(secret, { maxAge: 3600 });
  if (typeof key !== 'string' || key.trim() === '') throw new Error(`Secret ${secret} holds no text: store the UN Comtrade key as its plain-text value`);
  return key.trim();
}

export interface ComtradeOptions {
  readonly apiKey: string | undefined;
  readonly onRetry?: (event: RetryEvent) => void;
  /** Asked before every call: false stops the run (see dailyCallBudget). */
  readonly budget?: () => Promise<boolean>;
  /** Awaited before every call: the pace every worker on the key shares (see sharedCallPace). */
  readonly sharedPace?: () => Promise<void>;
}

export function createComtradeSource(settings: ComtradeSettings, options: ComtradeOptions) {
  const client = new ComtradeClient({
    baseUrl: settings.comtrade.baseUrl,
    apiKey: options.apiKey,
    minIntervalMs: settings.comtrade.minIntervalMs,
    timeoutMs: settings.comtrade.timeoutMs,
    ...(settings.comtrade.maxRecords ? { maxRecords: settings.comtrade.maxRecords } : {}),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    ...(options.budget ? { budget: options.budget } : {}),
    ...(options.sharedPace ? { sharedPace: options.sharedPace } : {}),
  });
  return { client, source: new ComtradeSource(client) };
}

/** The daily call budget shared by every run, counted in the store: hand it to the client as `budget`. */
export function dailyCallBudget(settings: ComtradeSettings, runs: RunRepository, now: () => Date = () => new Date()) {
  return () => runs.consumeBudget('comtrade', now().toISOString().slice(0, 10), settings.comtrade.dailyCallBudget);
}

/**
 * The key's pace shared by every worker, kept in the store: workers running side by side (the
 * work queue's maximum concurrency) together call no faster than COMTRADE_MIN_INTERVAL_MS allows.
 */
export function sharedCallPace(settings: ComtradeSettings, runs: RunRepository, now: () => Date = () => new Date()) {
  return sharedPace('comtrade', settings.comtrade.minIntervalMs, runs, now);
}

function sharedPace(upstream: string, minIntervalMs: number, runs: RunRepository, now: () => Date) {
  return async () => {
    for (;;) {
      const waitMs = await runs.claimCallSlot(upstream, minIntervalMs, now());
      if (waitMs === 0) return;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  };
}

export interface ComextOptions {
  readonly onRetry?: (event: RetryEvent) => void;
  /** Awaited before every call: one pace for every worker (see sharedCallPace). */
  readonly sharedPace?: () => Promise<void>;
}

/** Eurostat Comext (no key, no quota): paced politely, asynchronous extractions waited for within COMEXT_ASYNC_MAX_WAIT_MS. */
export function createComextSource(settings: ComextSettings, options: ComextOptions = {}) {
  const source = new ComextSource({
    baseUrl: settings.comext.baseUrl,
    minIntervalMs: settings.comext.minIntervalMs,
    timeoutMs: settings.comext.timeoutMs,
    asyncPollIntervalMs: settings.comext.asyncPollIntervalMs,
    asyncMaxWaitMs: settings.comext.asyncMaxWaitMs,
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    ...(options.sharedPace ? { sharedPace: options.sharedPace } : {}),
  });
  return { client: source.http, source };
}

/** Comext's pace shared by every worker, kept in the store as Comtrade's is (a slot per upstream). */
export function sharedComextPace(settings: ComextSettings, runs: RunRepository, now: () => Date = () => new Date()) {
  return sharedPace('eurostat-comext', settings.comext.minIntervalMs, runs, now);
}

/**
 * The source a work item names, as an ingest worker builds it: UN Comtrade with its key, the day's
 * budget and the shared pace; Eurostat Comext with its own shared pace and no budget to spend.
 */
export async function createUpstreamSource(config: ComtradeSettings & ComextSettings, upstream: Upstream, runs: RunRepository, onRetry: (event: RetryEvent) => void): Promise<{ client: { readonly stats: ClientStats }; source: TradeSource }> {
  if (upstream === 'comext') return createComextSource(config, { onRetry, sharedPace: sharedComextPace(config, runs) });
  return createComtradeSource(config, { apiKey: await comtradeApiKey(config), onRetry, budget: dailyCallBudget(config, runs), sharedPace: sharedCallPace(config, runs) });
}
