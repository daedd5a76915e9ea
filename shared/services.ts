import type { Config } from './config.js';
import { SnsAlertPublisher, createSnsClient } from './alerts/sns-publisher.js';
import { ComtradeClient } from './sources/comtrade/comtrade-client.js';
import type { RetryEvent } from './sources/http/resilient-http.js';
import { ComtradeSource } from './sources/comtrade/comtrade-source.js';
import { AlertRepository } from './store/alert-repository.js';
import { createDocumentClient } from './store/client.js';
import { RunRepository } from './store/run-repository.js';
import { SeriesRepository } from './store/series-repository.js';
import { SilenceRepository } from './store/silence-repository.js';

/** The store, wired from validated configuration: the same for the Lambdas and the CLI. */
export function createStore(config: Config) {
  const doc = createDocumentClient({ region: config.region, endpoint: config.dynamoDbEndpoint });
  return {
    runs: new RunRepository(doc, config.tableName),
    series: new SeriesRepository(doc, config.tableName),
    alerts: new AlertRepository(doc, config.tableName),
    silences: new SilenceRepository(doc, config.tableName),
  };
}

/** What the query side reads, series and alerts, and no more: the query function bundles only these. */
export function createReadStore(config: Config) {
  const doc = createDocumentClient({ region: config.region, endpoint: config.dynamoDbEndpoint });
  return { series: new SeriesRepository(doc, config.tableName), alerts: new AlertRepository(doc, config.tableName) };
}

export function createAlertPublisher(config: Config): SnsAlertPublisher {
  if (!config.alertTopicArn) throw new Error('ALERT_TOPIC_ARN is not set: there is no topic to publish alerts to');
  return new SnsAlertPublisher(createSnsClient({ region: config.region, endpoint: config.snsEndpoint }), config.alertTopicArn);
}

export function createComtradeSource(
  config: Config,
  apiKey: string | undefined,
  onRetry?: (event: RetryEvent) => void,
  budget?: () => Promise<boolean>,
) {
  const client = new ComtradeClient({
    baseUrl: config.comtrade.baseUrl,
    apiKey,
    minIntervalMs: config.comtrade.minIntervalMs,
    timeoutMs: config.comtrade.timeoutMs,
    ...(config.comtrade.maxRecords ? { maxRecords: config.comtrade.maxRecords } : {}),
    ...(onRetry ? { onRetry } : {}),
    ...(budget ? { budget } : {}),
  });
  return { client, source: new ComtradeSource(client) };
}

/** The daily call budget shared by every run, counted in the store: hand it to the client as `budget`. */
export function dailyCallBudget(config: Config, runs: RunRepository, now: () => Date = () => new Date()) {
  return () => runs.consumeBudget('comtrade', now().toISOString().slice(0, 10), config.comtrade.dailyCallBudget);
}
