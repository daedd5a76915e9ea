import { selectionCovers } from '../domain/commodity.js';
import { buildAlertMessage, buildDigestMessage, type AlertMessage } from '../domain/alerts/alert-message.js';
import { renderAlert, renderDigest, type UpdateContext } from '../domain/alerts/alert-text.js';
import { updateReason } from '../domain/alerts/renotify.js';
import { planDeliveries, routeWants, type Route } from '../domain/alerts/routing.js';
import { isSubscriptionRoute } from '../domain/alerts/subscription.js';
import { activeSilenceFor } from '../domain/alerts/silence.js';
import type { Anomaly } from '../domain/detection/index.js';
import { addMonths, periodRange, type Period } from '../domain/period.js';
import { comparableValue, type Observation } from '../domain/series.js';
import { detectChanges, type DetectChangesInput, type DetectionResult } from '../detect/detect-changes.js';
import type { AlertRecord, AlertRepository } from '../store/alert-repository.js';
import type { DetectionRepository } from '../store/detection-repository.js';
import type { SilenceRepository } from '../store/silence-repository.js';
import type { AlertPublisher } from './sns-publisher.js';

export interface AlertJobInput {
  readonly alerts: AlertRepository;
  /** Where detection records what it has handled, once every alert of it is out. */
  readonly detection: Pick<DetectionRepository, 'progress' | 'markHandled' | 'establishNews'>;
  readonly silences: SilenceRepository;
  readonly publisher: AlertPublisher;
  /** Where alerts go: each route's subscribers filter on its id (see domain/alerts/routing.ts). */
  readonly routes: readonly Route[];
  /**
   * The routes of the subscriptions stored in the table, read once per run and added to `routes`.
   * With it, a stored route no longer read (its last subscriber removed) is owed nothing.
   */
  readonly storedRoutes?: () => Promise<readonly Route[]>;
  readonly now: () => Date;
}

export type DetectAndAlertInput = DetectChangesInput &
  AlertJobInput & {
    /**
     * The slice a load just stored whole (a scheduled run's item, a backfill's newest chunk): its
     * watched series that have no start of news yet get one, the month after their latest. What
     * they hold is their initial load, history; what comes after is news.
     */
    readonly establishNewsFor?: { readonly source: string; readonly reporter: string; readonly partners: readonly string[]; readonly commodity: string };
  };

export interface DeliveredMessage {
  readonly route: string;
  readonly kind: 'alert' | 'update' | 'digest';
  readonly dedupKeys: readonly string[];
  readonly messageId: string;
}

export interface AlertSummary {
  /** Messages published, one per route (a digest stands for several alerts). */
  readonly messages: readonly DeliveredMessage[];
  /** Alerts every route of which now has them. */
  readonly sent: readonly string[];
  /** Anomalies matched by a silence: stored, not sent. */
  readonly silenced: readonly string[];
  /** Anomalies already alerted (or being alerted by another run): not sent again. */
  readonly alreadyHandled: number;
  /** Publishes that failed: their alerts stay PENDING for the next run. */
  readonly failed: readonly { readonly route: string; readonly dedupKeys: readonly string[]; readonly error: string }[];
}

export type DetectAndAlertSummary = Omit<DetectionResult, 'observationsById'> & AlertSummary;

const SPARKLINE_MONTHS = 24;

/**
 * Scores what changed since it was last handled (and its trade turnover), alerts each anomaly
 * once per route, and only then records the series as handled: a run cut short anywhere before
 * leaves them due, and the next run for their reporter does the rest, sending nothing twice.
 */
export async function runDetectAndAlert(input: DetectAndAlertInput): Promise<DetectAndAlertSummary> {
  const { observationsById, ...detection } = await detectChanges(input);
  const alerted = await alertAnomalies(input, detection.anomalies, observationsById);
  if (alerted.failed.length === 0) {
    const slice = input.establishNewsFor;
    for (const series of detection.unestablished) {
      if (!slice || series.source !== slice.source || series.reporter !== slice.reporter || !selectionCovers(slice.commodity, series.commodity) || !slice.partners.includes(series.partner)) continue;
      await input.detection.establishNews(series.reporter, series.seriesId, addMonths(series.lastPeriod, 1));
    }
    // History anomalies are handled with the rest: recorded, never alerted.
    for (const series of detection.due) await input.detection.markHandled(series.reporter, series.seriesId, series.version);
  }
  return { ...detection, ...alerted };
}

/**
 * Alerts each anomaly once per route: silenced ones are stored, not sent; the others are claimed
 * (exactly once across runs) and delivered, with what earlier runs left PENDING.
 */
export async function alertAnomalies(
  input: AlertJobInput,
  anomalies: readonly Anomaly[],
  observationsById: ReadonlyMap<string, readonly Observation[]>,
): Promise<AlertSummary> {
  const now = input.now();
  const claims = { silenced: [] as string[], claimed: [] as AlertRecord[], alreadyHandled: 0 };
  const run = { ...input, routes: await routesOfRun(input) };
  try {
    await claimAll(run, anomalies, now, claims);
    return { silenced: claims.silenced, alreadyHandled: claims.alreadyHandled, ...(await deliver(run, claims.claimed, observationsById)) };
  } catch (error) {
    // Whatever this run claimed and did not send goes back at once: a redelivery need not wait out the lease.
    await Promise.all(claims.claimed.map((record) => input.alerts.release(record).catch(() => undefined)));
    throw error;
  }
}

/** The deploy's routes and, when read from the table, the stored subscriptions' (a deploy-time route of the same id wins). */
async function routesOfRun(input: AlertJobInput): Promise<readonly Route[]> {
  if (!input.storedRoutes) return input.routes;
  const known = new Set(input.routes.map((route) => route.id));
  return [...input.routes, ...(await input.storedRoutes()).filter((route) => !known.has(route.id))];
}

/** One anomaly per event: the months of one event share its key, and its latest month says where it stands. */
function latestOfEachEvent(anomalies: readonly Anomaly[]): Anomaly[] {
  const latest = new Map<string, Anomaly>();
  for (const anomaly of anomalies) {
    const known = latest.get(anomaly.dedupKey);
    if (!known || anomaly.period > known.period) latest.set(anomaly.dedupKey, anomaly);
  }
  return [...latest.values()];
}

/** Stores silenced anomalies, claims the others, and claims what earlier runs left PENDING. */
async function claimAll(input: AlertJobInput, anomalies: readonly Anomaly[], now: Date, claims: { silenced: string[]; claimed: AlertRecord[]; alreadyHandled: number }) {
  const silences = await input.silences.list();
  for (const anomaly of latestOfEachEvent(anomalies)) {
    const silence = activeSilenceFor(silences, anomaly.seriesId, now);
    if (silence) {
      if (await input.alerts.recordSilenced(anomaly, silence, now)) claims.silenced.push(anomaly.dedupKey);
      continue;
    }
    const routes = input.routes.filter((route) => routeWants(route, anomaly));
    // A route that joined after the alert was first sent gets no update of it (it never had the alert).
    const record = await input.alerts.claim(anomaly, routes.map((route) => route.id), now, new Map(routes.flatMap((route) => (route.since ? [[route.id, route.since] as const] : []))));
    if (record) claims.claimed.push(record);
    else claims.alreadyHandled++;
  }
  // Alerts left PENDING by an earlier run whose publish failed or that died mid-way: only those are read, not the history
  // (once the table has been upgraded to hold them apart: a no-op but for one read after the first run).
  await input.alerts.upgradePendingPartition(input.now);
  const seen = new Set(anomalies.map((a) => a.dedupKey));
  for (const pending of await input.alerts.listPending()) {
    if (seen.has(pending.dedupKey)) continue;
    const record = await input.alerts.claim(pending.anomaly, pending.routes, now);
    if (record) claims.claimed.push(record);
  }
}

/** Publishes what each route is due (singly or as a digest), recording every delivery as it lands. */
async function deliver(input: AlertJobInput, claimed: readonly AlertRecord[], observationsById: ReadonlyMap<string, readonly Observation[]>) {
  const messages: DeliveredMessage[] = [];
  const failed: { route: string; dedupKeys: string[]; error: string }[] = [];
  const delivered = new Map(claimed.map((r) => [r.dedupKey, new Set(Object.keys(r.deliveries))]));
  // Each claim as last held: a claim whose lease another run took over is dropped, never published.
  const held = new Map(claimed.map((r) => [r.dedupKey, r]));
  const plan = planDeliveries(
    input.routes,
    (route) => claimed.filter((r) => r.routes.includes(route.id) && !delivered.get(r.dedupKey)!.has(route.id)),
    (record) => record.anomaly,
  );
  for (const item of plan) {
    const records = item.kind === 'single' ? [item.item] : item.items;
    const route = item.route.id;
    const message: AlertMessage =
      item.kind === 'single'
        ? singleMessage(item.item, route, observationsById)
        : buildDigestMessage(item.items.map((r) => r.anomaly), renderDigest(item.items.map((r) => r.anomaly)), route);
    if (!(await holdLeases(input, held, records))) continue;
    let messageId: string;
    try {
      messageId = await input.publisher.publish(message);
    } catch (error) {
      failed.push({ route, dedupKeys: records.map((r) => r.dedupKey), error: (error as Error).message });
      continue;
    }
    for (const record of records) {
      // Published already: the record must follow, or the next run would send it again.
      await withRetries(() => input.alerts.recordDelivery(record.dedupKey, route, messageId));
      delivered.get(record.dedupKey)!.add(route);
    }
    const kind = item.kind === 'digest' ? 'digest' : item.item.notice;
    messages.push({ route, kind, dedupKeys: records.map((r) => r.dedupKey), messageId });
  }

  const sent: string[] = [];
  const now = input.now();
  // A stored subscription's route that is no longer read had its last subscriber removed: nobody is left to send it to.
  const live = new Set(input.routes.map((route) => route.id));
  const owed = (route: string) => !input.storedRoutes || live.has(route) || !isSubscriptionRoute(route);
  for (const record of claimed) {
    if (!held.has(record.dedupKey)) continue;
    if (record.routes.filter(owed).every((route) => delivered.get(record.dedupKey)!.has(route))) {
      await input.alerts.markSent(record, now);
      sent.push(record.dedupKey);
    } else {
      await input.alerts.release(record).catch(() => undefined);
    }
  }
  return { messages, failed, sent };
}

/** Renews the leases of the records a message stands for; false (and the lost ones dropped) when another run took one over. */
async function holdLeases(input: AlertJobInput, held: Map<string, AlertRecord>, records: readonly AlertRecord[]): Promise<boolean> {
  let all = true;
  for (const record of records) {
    const current = held.get(record.dedupKey);
    const kept = current && (await input.alerts.holdLease(current, input.now()));
    if (kept) held.set(record.dedupKey, kept);
    else {
      held.delete(record.dedupKey);
      all = false;
    }
  }
  return all;
}

/** A write that must land: tried again twice, briefly, before the error goes up. */
async function withRetries<T>(write: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

function singleMessage(record: AlertRecord, route: string, observationsById: ReadonlyMap<string, readonly Observation[]>): AlertMessage {
  const anomaly = record.anomaly;
  const update: UpdateContext | undefined =
    record.notice === 'update' && record.notified
      ? {
          previousSeverity: record.notified.severity,
          previousDirection: record.notified.direction,
          previousChange: record.notified.change,
          reason: updateReason(record.notified, anomaly),
        }
      : undefined;
  const rendered = renderAlert(anomaly, sparklineContext(observationsById.get(anomaly.seriesId), anomaly.period), update);
  return buildAlertMessage(anomaly, rendered, route, record.notice === 'update');
}

function sparklineContext(observations: readonly Observation[] | undefined, period: Period) {
  if (!observations) return {};
  const first = addMonths(period, -(SPARKLINE_MONTHS - 1));
  const byPeriod = new Map(observations.map((o) => [o.period, o]));
  const months = periodRange(first, period);
  return {
    recentValues: months.map((m) => comparableValue(byPeriod.get(m))),
    recentRange: [first, period] as const,
  };
}
