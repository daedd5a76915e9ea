import type { Anomaly, Severity } from '../detection/index.js';

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
    before.phase === after.phase
  );
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
