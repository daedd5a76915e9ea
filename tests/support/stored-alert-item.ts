import type { Anomaly } from '../../shared/domain/detection/index.js';
import { ALERTS_INDEX_PK, ALERT_SK, alertPk, alertsIndexSk } from '../../shared/store/keys.js';

/**
 * An alert record in the item shape AlertRepository stores (with no PENDING_ALERTS entry), written
 * raw: for tables filled faster than claims can (the bench) or as older code left them (upgrades).
 */
export function storedAlertItem(options: {
  readonly anomaly: Anomaly;
  readonly dedupKey: string;
  readonly createdAt: string;
  readonly status: 'PENDING' | 'SENT' | 'SILENCED';
  readonly routes: readonly string[];
  readonly deliveries: Record<string, string>;
  readonly severity?: Anomaly['severity'];
  readonly leaseToken?: string;
}): Record<string, unknown> {
  const { anomaly, dedupKey, createdAt, status } = options;
  const severity = options.severity ?? anomaly.severity;
  return {
    pk: alertPk(dedupKey),
    sk: ALERT_SK,
    gsi1pk: ALERTS_INDEX_PK,
    gsi1sk: alertsIndexSk(createdAt, dedupKey),
    dedupKey,
    seriesId: anomaly.seriesId,
    bucketKey: anomaly.bucketKey,
    severity,
    status,
    notice: 'alert',
    createdAt,
    updatedAt: createdAt,
    // Its lease lapsed long ago.
    leaseExpiresAt: createdAt,
    ...(options.leaseToken ? { leaseToken: options.leaseToken } : {}),
    attempts: 1,
    version: 1,
    routes: [...options.routes],
    deliveries: options.deliveries,
    ...(status === 'SENT' ? { sentAt: createdAt } : {}),
    anomaly: { ...anomaly, dedupKey, severity },
  };
}
