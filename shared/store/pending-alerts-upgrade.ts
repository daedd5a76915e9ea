import type { AlertFilter, AlertRecord } from './alert-repository.js';
import type { MigrationMarkers } from './migration-markers.js';
import type { Page, PageRequest } from './seek-page.js';

/**
 * The upgrade for tables from before the PENDING_ALERTS partition: their PENDING alerts have no
 * entry there, so the alerting job, which reads only that partition, would never deliver them.
 * It walks the alert history once, gives each PENDING alert without an entry its entry, and then
 * marks itself done; from then on it costs the one read of its marker.
 *
 * Safe to run any number of times, at once and after a crash: an entry is added only in a
 * transaction that finds the alert still PENDING and the entry absent (so an alert sent meanwhile
 * gets none), progress is recorded after each page and only forward, and a run that dies before
 * the marker says done is simply resumed by the next from the last page recorded.
 */
export const PENDING_ALERTS_PARTITION_UPGRADE = 'pending-alerts-partition';

/** Alerts evaluated per page of the history: a crash repeats at most one page. */
const PAGE_SIZE = 200;

export interface PendingAlertsSource {
  page(filter: AlertFilter, page: PageRequest): Promise<Page<AlertRecord>>;
  /** Adds a PENDING alert's entry if it lacks one: true when it was added. */
  restorePendingEntry(dedupKey: string): Promise<boolean>;
}

export interface UpgradeOutcome {
  /** False when the marker said it was done: nothing else was read. */
  readonly ran: boolean;
  /** PENDING alerts that got their entry in this run. */
  readonly restored: number;
}

export async function upgradePendingAlerts(alerts: PendingAlertsSource, markers: MigrationMarkers, now: () => Date, pageSize = PAGE_SIZE): Promise<UpgradeOutcome> {
  const state = await markers.state(PENDING_ALERTS_PARTITION_UPGRADE);
  if (state.completed) return { ran: false, restored: 0 };
  let restored = 0;
  let after = state.resumeAfter;
  do {
    const page = await alerts.page({ status: 'PENDING' }, { limit: pageSize, after });
    for (const record of page.items) if (await alerts.restorePendingEntry(record.dedupKey)) restored++;
    after = page.nextAfter;
    if (after !== undefined) await markers.recordProgress(PENDING_ALERTS_PARTITION_UPGRADE, after);
  } while (after !== undefined);
  await markers.complete(PENDING_ALERTS_PARTITION_UPGRADE, now());
  return { ran: true, restored };
}
