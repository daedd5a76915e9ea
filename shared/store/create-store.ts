import type { StoreSettings } from '../config/environment.js';
import { AlertHistory, AlertRepository } from './alert-repository.js';
import { createDocumentClient } from './client.js';
import { RunRepository } from './run-repository.js';
import { SeriesReader, SeriesRepository } from './series-repository.js';
import { SilenceRepository } from './silence-repository.js';

/** The store, wired from validated configuration: the same for the Lambdas and the CLI. */
export function createStore(settings: StoreSettings) {
  const doc = createDocumentClient({ region: settings.region, endpoint: settings.dynamoDbEndpoint });
  return {
    runs: new RunRepository(doc, settings.tableName),
    series: new SeriesRepository(doc, settings.tableName),
    alerts: new AlertRepository(doc, settings.tableName),
    silences: new SilenceRepository(doc, settings.tableName),
  };
}

/** What the query side reads, series and alerts, and no more: the query function bundles only these. */
export function createReadStore(settings: StoreSettings) {
  const doc = createDocumentClient({ region: settings.region, endpoint: settings.dynamoDbEndpoint });
  return { series: new SeriesReader(doc, settings.tableName), alerts: new AlertHistory(doc, settings.tableName) };
}
