import type { Config } from './config/config.js';
import { SnsAlertPublisher, createSnsClient } from './alerts/sns-publisher.js';
import { ComtradeClient } from './sources/comtrade/comtrade-client.js';
import type { RetryEvent } from './sources/http/resilient-http.js';
import { ComtradeSource } from './sources/comtrade/comtrade-source.js';
import { RunRepository } from './store/run-repository.js';

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
