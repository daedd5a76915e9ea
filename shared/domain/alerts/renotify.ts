import type { Anomaly, Severity } from '../detection/index.js';
import type { VolumePriceSplit } from '../detection/volume-price.js';

/** What subscribers were last told about an alert (records from before events lack the event's fields). */
export interface Notified {
  readonly severity: Severity;
  readonly direction: Anomaly['direction'];
  readonly change: number;
  readonly at: string;
  /** The bucket's last month, its type and the event's phase when they were told. */
  readonly period?: string;
  readonly type?: Anomaly['type'];
  readonly phase?: Anomaly['phase'];
}

/** What subscribers were told when every route received `anomaly`. */
export function notifiedOf(anomaly: Anomaly, at: Date): Notified {
  return {
    severity: anomaly.severity,
    direction: anomaly.direction,
    change: anomaly.explanation.change,
    at: at.toISOString(),
    period: anomaly.period,
    type: anomaly.type,
    phase: anomaly.phase,
  };
}

/** Whether a revised anomaly changes the numbers subscribers see: if not, the stored alert stays as it is. */
export function revisionChangesNumbers(before: Anomaly, after: Anomaly): boolean {
  const x = before.explanation;
  const y = after.explanation;
  return !(
    before.severity === after.severity &&
    before.direction === after.direction &&
    x.value === y.value &&
    x.comparisonValue === y.comparisonValue &&
    before.type === after.type &&
    before.period === after.period &&
    before.phase === after.phase &&
    sameSplit(x.volumePrice, y.volumePrice)
  );
}

/** Whether two volume and price splits say the same (a weight revised alone changes only this). */
function sameSplit(a: VolumePriceSplit | undefined, b: VolumePriceSplit | undefined): boolean {
  if (!a || !b) return a === b;
  return a.measure === b.measure && a.unit === b.unit && a.volume === b.volume && a.previousVolume === b.previousVolume && a.estimatedMonths.join() === b.estimatedMonths.join();
}

/**
 * The revised anomaly as the stored alert keeps it: where its volume and price split differs from
 * the one subscribers were sent, that first split is kept beside the current one (null where the
 * alert was sent without a split), so the stored explanation can say it changed.
 */
export function withSplitAsSent(before: Anomaly, after: Anomaly): Anomaly {
  const sent = before.explanation.volumePriceAsSent !== undefined ? before.explanation.volumePriceAsSent : (before.explanation.volumePrice ?? null);
  if (sameSplit(sent ?? undefined, after.explanation.volumePrice)) {
    const { volumePriceAsSent: _dropped, ...explanation } = after.explanation;
    return { ...after, explanation };
  }
  return { ...after, explanation: { ...after.explanation, volumePriceAsSent: sent } };
}

/**
 * Whether a change is news, sent again as an update: a severity or direction other than what
 * subscribers were told, an event that has become a level shift, or one that has ended. Other
 * changes (a revision, another month of the same event) update the stored alert quietly.
 */
export function revisionNotifies(told: Notified | undefined, revised: Anomaly): boolean {
  if (!told) return true;
  if (told.severity !== revised.severity || told.direction !== revised.direction) return true;
  if (revised.type === 'LS' && told.type !== undefined && told.type !== 'LS') return true;
  return revised.phase === 'ended' && told.phase !== undefined && told.phase !== 'ended';
}

/** Why an update goes out: the agency revised the same month, or the event moved on to a later one. */
export function updateReason(told: Notified, revised: Anomaly): 'revision' | 'event' {
  return told.period !== undefined && told.period !== revised.period ? 'event' : 'revision';
}
