import { AlertsNotPublishedError, alertChanges, assertAllPublished, describeAlertChanges } from '../alerts/alert-changes.js';
import type { CliConfig } from '../config/functions.js';
import { markAllHandled } from '../detect/mark-handled.js';
import { alertingFor, type createStore } from '../wiring.js';
import type { Out } from './commands/output.js';

/**
 * What `import` and `ingest` do after storing, as the scheduled runs do: detect on what changed
 * for these reporters and alert through the configured topic (the `npm start -- --keep-running`
 * one locally, ALERT_TOPIC_ARN otherwise). With `noAlert` the changes are recorded as handled
 * without alerting; without a topic, anomalies are printed and stay due for a run that has one.
 */
export async function alertStored(config: CliConfig, store: ReturnType<typeof createStore>, reporters: readonly string[], options: { noAlert: boolean }, out: Out): Promise<void> {
  if (options.noAlert) {
    const marked = await markAllHandled(store.series, store.detection, reporters);
    out(`Not alerted (--no-alert): ${marked} series recorded as handled as they stand.`);
    return;
  }
  const outcome = await alertChanges(alertingFor(config, store), reporters);
  for (const line of describeAlertChanges(outcome)) out(line);
  try {
    assertAllPublished(outcome);
  } catch (error) {
    if (error instanceof AlertsNotPublishedError) throw new Error(`${error.message}; run the same command again to send them`);
    throw error;
  }
}
