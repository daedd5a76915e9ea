import type { Anomaly, Severity } from '../detection/index.js';

/** What subscribers were last told about an alert. */
export interface Notified {
  readonly severity: Severity;
  readonly direction: Anomaly['direction'];
  readonly change: number;
  readonly at: string;
}

/** What subscribers were told when every route received `anomaly`. */
export function notifiedOf(anomaly: Anomaly, at: Date): Notified {
  return { severity: anomaly.severity, direction: anomaly.direction, change: anomaly.explanation.change, at: at.toISOString() };
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
    before.type === after.type
  );
}

/**
 * Whether a revision is news: only a change of severity or direction from what subscribers were
 * told is sent again (as an update); other revisions update the stored alert quietly.
 */
export function revisionNotifies(told: Notified | undefined, revised: Anomaly): boolean {
  return !told || told.severity !== revised.severity || told.direction !== revised.direction;
}
