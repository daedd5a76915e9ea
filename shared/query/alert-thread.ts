import type { AlertRecord } from '../store/alert-repository.js';

/** One step of an event's story, as a reader of the console sees it. */
export interface ThreadEntry {
  readonly at: string;
  /** `alert`: first sent; `update`: sent again (severity, direction, a level shift, the end); `revised`: the stored figures changed quietly. */
  readonly kind: 'alert' | 'update' | 'revised';
  /** The numbers then; absent for a first notice an update has since replaced (the record keeps the last told). */
  readonly severity?: AlertRecord['severity'];
  readonly direction?: AlertRecord['anomaly']['direction'];
  /** Fraction, the y/y change then. */
  readonly change?: number;
  readonly period?: string | undefined;
  readonly phase?: string | undefined;
}

/** An event's alert and what followed it: the store keeps one record per event (its dedup key), revised month by month. */
export interface AlertThread {
  readonly eventKey: string;
  readonly eventStart: string;
  readonly eventBuckets: number;
  readonly phase: string;
  readonly entries: readonly ThreadEntry[];
}

/**
 * The thread of one stored alert: its first notice, the update subscribers were last sent (when
 * there was one), and a quiet revision after that when the stored anomaly has moved on since. The
 * record keeps what was last told (`notified`) and the anomaly as it stands, not every step between.
 */
export function alertThread(record: AlertRecord): AlertThread {
  const { anomaly, notified } = record;
  const now = { severity: anomaly.severity, direction: anomaly.direction, change: anomaly.explanation.change, period: anomaly.period, phase: anomaly.phase };
  const entries: ThreadEntry[] = [];
  if (record.notice === 'update' && notified) {
    // The first notice's numbers were replaced by the update's; its time is the record's creation.
    entries.push({ at: record.createdAt, kind: 'alert' });
    entries.push({ at: notified.at, kind: 'update', ...notifiedNumbers(notified) });
  } else {
    entries.push({ at: record.createdAt, kind: 'alert', ...(notified ? notifiedNumbers(notified) : now) });
  }
  const told = entries.at(-1)!;
  const quietlyRevised = record.updatedAt > told.at && (told.change !== now.change || told.period !== now.period || told.phase !== now.phase || told.severity !== now.severity);
  if (quietlyRevised) entries.push({ at: record.updatedAt, kind: 'revised', ...now });
  return { eventKey: anomaly.eventKey ?? record.dedupKey, eventStart: anomaly.eventStart ?? record.bucketKey, eventBuckets: anomaly.eventBuckets ?? 1, phase: anomaly.phase ?? 'new', entries };
}

function notifiedNumbers(notified: NonNullable<AlertRecord['notified']>) {
  return { severity: notified.severity, direction: notified.direction, change: notified.change, period: notified.period, phase: notified.phase };
}
