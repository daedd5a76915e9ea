import { runDetectAndAlert } from '../alerts/alert-job.js';
import type { CliConfig } from '../config/functions.js';
import { detectChanges } from '../detect/detect-changes.js';
import { markAllHandled } from '../detect/mark-handled.js';
import { formatChange } from '../domain/format.js';
import { createAlertPublisher, detectionFor, type createStore } from '../wiring.js';
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
  const settings = { series: store.series, detection: store.detection, watched: store.backfill, reporters, detectionFor: detectionFor(config), lookbackMonths: config.alertLookbackMonths };
  if (!config.alertTopicArn) {
    const found = await detectChanges(settings);
    out(`Detected ${found.anomalies.length} anomal${found.anomalies.length === 1 ? 'y' : 'ies'} in ${found.seriesExamined} changed series; not alerted: no alert topic (set ALERT_TOPIC_ARN, or run \`npm start -- --keep-running\`), so they stay due.`);
    for (const anomaly of found.anomalies) out(`  ${anomaly.severity.toUpperCase()} ${anomaly.seriesId} ${anomaly.bucketLabel} ${formatChange(anomaly.explanation.change)} y/y`);
    return;
  }
  const result = await runDetectAndAlert({
    ...settings,
    alerts: store.alerts,
    silences: store.silences,
    publisher: createAlertPublisher({ ...config, alertTopicArn: config.alertTopicArn }),
    routes: config.routes,
    now: () => new Date(),
  });
  out(
    `Detected ${result.anomalies.length} anomal${result.anomalies.length === 1 ? 'y' : 'ies'} in ${result.seriesExamined} changed series; ` +
      `${result.sent.length} alert(s) sent as ${result.messages.length} message(s), ${result.silenced.length} silenced, ${result.alreadyHandled} already alerted, ${result.failed.length} failed.`,
  );
  for (const anomaly of result.anomalies) out(`  ${anomaly.severity.toUpperCase()} ${anomaly.seriesId} ${anomaly.bucketLabel} ${formatChange(anomaly.explanation.change)} y/y`);
  if (result.failed.length > 0) throw new Error(`${result.failed.length} message(s) could not be published (${result.failed[0]!.error}); run the same command again to send them`);
}
