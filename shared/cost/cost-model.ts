import { periodRange } from '../domain/period.js';
import { rowsPerSeriesMonth } from '../domain/commodity.js';
import { ComtradeClient } from '../sources/comtrade/comtrade-client.js';
import { callParams, planCalls } from '../sources/comtrade/request-plan.js';
import { planComextCalls } from '../sources/eurostat/comext-request-plan.js';
import { upstreamOf, type Upstream } from '../domain/upstream.js';
import { METRICS } from '../observability.js';
import type { Watchlist } from '../plan/watchlist.js';

/**
 * Monthly cost of running tradewatch, from the code's own request counts (the Comtrade request
 * planner, the store's item shapes, the schedules) and list prices. An estimate to decide with,
 * not a bill: every price and assumption is named below.
 */

/** US$, us-east-1 list prices (on-demand), as published by AWS in 2025. */
export const PRICES = {
  dynamoWriteRequestUnit: 0.625 / 1e6,
  dynamoReadRequestUnit: 0.125 / 1e6,
  dynamoStorageGbMonth: 0.25,
  dynamoPitrGbMonth: 0.2,
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  snsPublish: 0.5 / 1e6,
  snsEmail: 2 / 1e5,
  snsSmsUs: 0.00846,
  cloudwatchAlarm: 0.1,
  cloudwatchCustomMetric: 0.3,
  cloudwatchLogsIngestGb: 0.5,
  kmsKeyMonth: 1,
  secretMonth: 0.4,
  secretsManagerApiCall: 0.05 / 1e4,
  schedulerInvocation: 1 / 1e6,
  httpApiRequest: 1 / 1e6,
  s3StandardGbMonth: 0.023,
  s3PutRequest: 0.005 / 1e3,
  s3GetRequest: 0.0004 / 1e3,
  cloudfrontDataOutGb: 0.085,
  cloudfrontHttpsRequest: 0.01 / 1e4,
  /** Cognito Lite tier, per monthly active user (the console's pool). */
  cognitoLiteMau: 0.0055,
} as const;

export interface Assumptions {
  /** Daily and monthly runs a month. */
  readonly dailyRuns: number;
  readonly monthlyRefreshes: number;
  /** Share of the trailing window an agency revises a month. */
  readonly revisedShare: number;
  /** Alerts per series and year (the backtest's noise budget on the demo: about 0.06). */
  readonly alertsPerSeriesYear: number;
  readonly smsShareOfAlerts: number;
  readonly emailSubscribers: number;
  readonly apiRequests: number;
  /** Months kept per series. */
  readonly monthsStored: number;
  readonly lambdaMemoryGb: number;
  /** Seconds a Lambda spends per UN Comtrade call (pacing dominates: 6 s by default). */
  readonly secondsPerCall: number;
  /** CSV files put into the drop bucket a month (hand-downloaded releases), their rows, and days kept after. */
  readonly droppedFiles: number;
  readonly rowsPerDroppedFile: number;
  readonly droppedFilesKeptDays: number;
  /** Seconds per Eurostat Comext call (1 s pacing and the answer); Comext itself charges nothing. */
  readonly secondsPerComextCall: number;
  /** Requests a month to the manage API (watchlist and subscription pages, `tradewatch watch`/`subscribe` go to the table directly). */
  readonly manageRequests: number;
  /** The web console: people signed in a month, pages they open, API calls a page makes, KB a page loads (compressed; `npm run bench` measures it). */
  readonly consoleUsers: number;
  readonly consolePageViews: number;
  readonly consoleApiCallsPerPage: number;
  readonly consolePageKb: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  dailyRuns: 30,
  monthlyRefreshes: 1,
  revisedShare: 0.03,
  alertsPerSeriesYear: 0.06,
  smsShareOfAlerts: 0.3,
  emailSubscribers: 3,
  apiRequests: 10_000,
  monthsStored: 240,
  lambdaMemoryGb: 0.5,
  secondsPerCall: 6,
  droppedFiles: 4,
  rowsPerDroppedFile: 2_000,
  droppedFilesKeptDays: 90,
  secondsPerComextCall: 1.5,
  manageRequests: 1_000,
  consoleUsers: 10,
  consolePageViews: 1_000,
  consoleApiCallsPerPage: 3,
  consolePageKb: 50,
};

/** The console's built files in S3 (about 150 KB), and the share of requests CloudFront's cache does not answer. */
const CONSOLE_FILES_GB = 150 / 1024 / 1024;
const CONSOLE_CACHE_MISS_SHARE = 0.1;

/** A manage request: a few table reads or writes and at most a couple of SNS calls, about a fifth of a second at 256 MB. */
const MANAGE_SECONDS_PER_REQUEST = 0.2;
const MANAGE_FUNCTION_GB = 0.25;

const DROP_FUNCTION_GB = 1;
/** Rows stored a second, the slowest rate measured (DynamoDB Local; see README, Benchmarks). */
const DROP_ROWS_PER_SECOND = 300;
const CSV_BYTES_PER_ROW = 40;
/** Per file: the upload, the report and the copy (PUT class); the download (GET class). */
const DROP_PUTS_PER_FILE = 3;

const OBSERVATION_ITEM_KB = 0.2;
/** The functions' Powertools metrics, one per name and service, and the ingest function's ColdStart. */
export const CUSTOM_METRICS = Object.values(METRICS).reduce((sum, names) => sum + names.length, 0) + 1;

export interface CostLine {
  readonly service: string;
  readonly what: string;
  readonly usd: number;
}

/**
 * Upstream calls for one full pass over the watchlist's trailing window, planned by the real
 * planner within the records cap (a level such as AG2 counts each of its codes as a series).
 */
export function callsPerPass(watchlist: Pick<Watchlist, 'entries' | 'monthsBack'>): { calls: number; series: number } {
  const { comtrade, comext, series } = upstreamCallsPerPass(watchlist);
  return { calls: comtrade + comext, series };
}

/** The same, per upstream: each entry planned by its own upstream's request planner. */
export function upstreamCallsPerPass(watchlist: Pick<Watchlist, 'entries' | 'monthsBack'>): Record<Upstream, number> & { series: number } {
  const client = new ComtradeClient({ baseUrl: 'https://comtradeapi.un.org', apiKey: 'key' });
  const periods = periodRange('2023-01', '2024-12').slice(-watchlist.monthsBack);
  const calls: Record<Upstream, number> = { comtrade: 0, comext: 0 };
  let series = 0;
  for (const entry of watchlist.entries) {
    const request = { reporter: entry.reporter, partners: entry.partners, flows: entry.flows, commodity: entry.commodity, periods };
    if (upstreamOf(entry) === 'comext') calls.comext += planComextCalls(request, 'https://ec.europa.eu').length;
    else calls.comtrade += planCalls(request, (call) => client.dataUrl(callParams(call, client.recordCap)), client.recordCap).length;
    series += entry.partners.length * entry.flows.length * rowsPerSeriesMonth(entry.commodity);
  }
  return { ...calls, series };
}

/** Upstream calls a month the scheduled runs make for the watchlist, per upstream (the monthly cost's and a watchlist change's preview). */
export function monthlyUpstreamCalls(watchlist: Pick<Watchlist, 'entries' | 'monthsBack'>, a: Assumptions = DEFAULT_ASSUMPTIONS): Record<Upstream, number> & { series: number } {
  const { comtrade: calls, comext: comextPass, series } = upstreamCallsPerPass(watchlist);
  const comtradeEntries = watchlist.entries.filter((entry) => upstreamOf(entry) === 'comtrade');
  const availabilityCalls = comtradeEntries.length * Math.ceil(watchlist.monthsBack / 12);
  // Daily runs: availability checks, plus on release days the new and revised months (about a fifth of a pass).
  const comtrade = a.dailyRuns * availabilityCalls + 2 * Math.ceil(calls / 5) + a.monthlyRefreshes * calls;
  // Comext: a release check per work item a day; its monthly update re-fetches the whole window once, and the refresh once more.
  const comextItems = watchlist.entries.filter((entry) => upstreamOf(entry) === 'comext').reduce((sum, entry) => sum + Math.ceil(entry.partners.length / 50), 0);
  const comext = a.dailyRuns * comextItems + comextPass + a.monthlyRefreshes * comextPass;
  return { comtrade, comext, series };
}

export function monthlyCost(watchlist: Pick<Watchlist, 'entries' | 'monthsBack'>, alarms: number, a: Assumptions = DEFAULT_ASSUMPTIONS): CostLine[] {
  const { comtrade: upstreamCalls, comext: comextCalls, series } = monthlyUpstreamCalls(watchlist, a);
  const comtradeEntries = watchlist.entries.filter((entry) => upstreamOf(entry) === 'comtrade');
  const newMonths = series;
  const revisedMonths = series * watchlist.monthsBack * a.revisedShare;
  // Writes: each new month an observation and the series' metadata; a revision the month and the metadata.
  const writeUnits = 2 * newMonths + 2 * revisedMonths;
  // Reads: every pass compares a series with what is stored (one strongly consistent Query of its months),
  // and detection reads the changed reporters' series again.
  const seriesQueryUnits = Math.ceil((a.monthsStored * OBSERVATION_ITEM_KB) / 4);
  const passesPerMonth = 2 + a.monthlyRefreshes;
  const readUnits = series * seriesQueryUnits * (passesPerMonth + 2);
  const storageGb = (series * a.monthsStored * OBSERVATION_ITEM_KB) / 1024 / 1024;
  const alerts = (series * 1.5 * a.alertsPerSeriesYear) / 12; // 1.5: stored flows plus derived trade turnover
  const runs = a.dailyRuns + a.monthlyRefreshes;
  // A route gets one digest per run instead of its alerts once a run has more than its threshold.
  const perRoute = (count: number, threshold: number) => (count / runs > threshold ? runs : count);
  const emailMessages = perRoute(alerts, 5);
  const smsMessages = perRoute(alerts * a.smsShareOfAlerts, 3);
  const lambdaSeconds = upstreamCalls * a.secondsPerCall + comextCalls * a.secondsPerComextCall + (a.dailyRuns + a.monthlyRefreshes) * 2;
  // The key is cached for an hour per worker: at most one read per Comtrade work item (50 partners each).
  const workItems = comtradeEntries.reduce((sum, entry) => sum + Math.ceil(entry.partners.length / 50), 0);
  const secretReads = runs * workItems;
  const droppedRows = a.droppedFiles * a.rowsPerDroppedFile;
  const dropSeconds = droppedRows / DROP_ROWS_PER_SECOND;
  const droppedGbKept = (droppedRows * CSV_BYTES_PER_ROW * (a.droppedFilesKeptDays / 30)) / 1024 ** 3;
  return [
    { service: 'DynamoDB', what: `${Math.round(writeUnits).toLocaleString('en')} write units (new and revised months)`, usd: writeUnits * PRICES.dynamoWriteRequestUnit },
    { service: 'DynamoDB', what: `${Math.round(readUnits).toLocaleString('en')} read units (compare before write, detection)`, usd: readUnits * PRICES.dynamoReadRequestUnit },
    { service: 'DynamoDB', what: `${storageGb.toFixed(2)} GB stored, with point-in-time recovery`, usd: storageGb * (PRICES.dynamoStorageGbMonth + PRICES.dynamoPitrGbMonth) },
    { service: 'Lambda', what: `${Math.round(lambdaSeconds).toLocaleString('en')} s at ${a.lambdaMemoryGb} GB arm64 (${upstreamCalls.toLocaleString('en')} Comtrade calls${comextCalls > 0 ? ` and ${comextCalls.toLocaleString('en')} Comext calls, free upstream` : ''}, paced)`, usd: lambdaSeconds * a.lambdaMemoryGb * PRICES.lambdaArmGbSecond + (a.dailyRuns + a.monthlyRefreshes + a.apiRequests) * PRICES.lambdaRequest },
    {
      service: 'Lambda',
      what: `drop function: ${a.droppedFiles} files of ${a.rowsPerDroppedFile.toLocaleString('en')} rows, ${Math.round(dropSeconds)} s at ${DROP_FUNCTION_GB} GB`,
      usd: dropSeconds * DROP_FUNCTION_GB * PRICES.lambdaArmGbSecond + a.droppedFiles * PRICES.lambdaRequest,
    },
    // Each dropped row a new month: a conditional create in a transaction (2 write units) and its share of the metadata.
    { service: 'DynamoDB', what: `${(2 * droppedRows).toLocaleString('en')} write units (dropped files' months)`, usd: 2 * droppedRows * PRICES.dynamoWriteRequestUnit },
    {
      service: 'S3',
      what: `drop bucket: ${a.droppedFiles} files and their reports kept ${a.droppedFilesKeptDays} days`,
      usd: droppedGbKept * PRICES.s3StandardGbMonth + a.droppedFiles * (DROP_PUTS_PER_FILE * PRICES.s3PutRequest + PRICES.s3GetRequest),
    },
    {
      service: 'SNS',
      what: `${alerts.toFixed(1)} alerts: ${Math.round(emailMessages)} e-mail and ${Math.round(smsMessages)} SMS messages (digests past 5 and 3 a run), ${Math.round(alerts)} feed`,
      usd: (alerts + emailMessages + smsMessages) * PRICES.snsPublish + emailMessages * a.emailSubscribers * PRICES.snsEmail + smsMessages * PRICES.snsSmsUs,
    },
    {
      service: 'CloudWatch',
      what: `${alarms} alarms, ${CUSTOM_METRICS} custom metrics, logs`,
      usd: alarms * PRICES.cloudwatchAlarm + CUSTOM_METRICS * PRICES.cloudwatchCustomMetric + 0.05 * PRICES.cloudwatchLogsIngestGb,
    },
    { service: 'KMS', what: 'one key for the topics', usd: PRICES.kmsKeyMonth },
    {
      service: 'Secrets Manager',
      what: `the Comtrade key, at most ${secretReads.toLocaleString('en')} reads (cached an hour per worker)`,
      usd: PRICES.secretMonth + secretReads * PRICES.secretsManagerApiCall,
    },
    { service: 'EventBridge Scheduler', what: `${a.dailyRuns + a.monthlyRefreshes} invocations`, usd: (a.dailyRuns + a.monthlyRefreshes) * PRICES.schedulerInvocation },
    { service: 'API Gateway', what: `${a.apiRequests.toLocaleString('en')} HTTP API requests`, usd: a.apiRequests * PRICES.httpApiRequest },
    {
      service: 'Lambda',
      what: `manage API: ${a.manageRequests.toLocaleString('en')} requests (watchlist, subscriptions; SNS Subscribe calls are free)`,
      // Each request: the function, the HTTP API, and about 3 read and 1 write units.
      usd:
        a.manageRequests * (MANAGE_SECONDS_PER_REQUEST * MANAGE_FUNCTION_GB * PRICES.lambdaArmGbSecond + PRICES.lambdaRequest + PRICES.httpApiRequest) +
        a.manageRequests * (3 * PRICES.dynamoReadRequestUnit + PRICES.dynamoWriteRequestUnit),
    },
    ...consoleCost(a),
  ];
}

/** The web console: CloudFront (its files and the API calls it passes on), S3 for the files, Cognito sign-in, and the API calls with their Lambda requests. */
export function consoleCost(a: Assumptions = DEFAULT_ASSUMPTIONS): CostLine[] {
  const apiCalls = a.consolePageViews * a.consoleApiCallsPerPage;
  // A page view: index.html, config.json, the script and the stylesheet (the last two cached by the browser after the first).
  const requests = a.consolePageViews * 4 + apiCalls;
  const outGb = (a.consolePageViews * a.consolePageKb + apiCalls * 10) / 1024 / 1024;
  return [
    {
      service: 'CloudFront',
      what: `console: ${a.consolePageViews.toLocaleString('en')} page views, ${requests.toLocaleString('en')} HTTPS requests, ${outGb.toFixed(2)} GB out`,
      usd: requests * PRICES.cloudfrontHttpsRequest + outGb * PRICES.cloudfrontDataOutGb,
    },
    {
      service: 'S3',
      what: 'console files (about 150 KB), read by CloudFront on cache misses',
      usd: CONSOLE_FILES_GB * PRICES.s3StandardGbMonth + a.consolePageViews * 4 * CONSOLE_CACHE_MISS_SHARE * PRICES.s3GetRequest,
    },
    { service: 'Cognito', what: `console sign-in: ${a.consoleUsers} monthly active users (Lite)`, usd: a.consoleUsers * PRICES.cognitoLiteMau },
    { service: 'API Gateway', what: `console: ${apiCalls.toLocaleString('en')} JWT-authorized HTTP API requests`, usd: apiCalls * (PRICES.httpApiRequest + PRICES.lambdaRequest) },
  ];
}
