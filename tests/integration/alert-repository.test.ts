import { beforeAll, describe, expect, it } from 'vitest';
import { detectAnomalies, type Anomaly } from '../../shared/domain/detection/index.js';
import { demoSeries } from '../support/demo-series.js';
import { freshTable } from '../support/local-table.js';

function anomaly(): Anomaly {
  const { key, observations } = demoSeries('AZE', 'trade');
  return detectAnomalies({ series: key, observations }).anomalies[0]!;
}

describe('alert repository on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof freshTable>>;
  beforeAll(async () => {
    table = await freshTable();
  });
  const now = new Date('2024-03-20T08:00:00Z');

  it('lets exactly one of many concurrent claims win', async () => {
    const claims = await Promise.all(Array.from({ length: 10 }, () => table.alerts.claim(anomaly(), now)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await table.alerts.get(anomaly().dedupKey)).toMatchObject({ status: 'PENDING', attempts: 1, severity: 'critical' });
  });

  it('does not hand a live lease to another run, but an expired one', async () => {
    expect(await table.alerts.claim(anomaly(), new Date(now.getTime() + 60_000))).toBeUndefined();
    const later = await table.alerts.claim(anomaly(), new Date(now.getTime() + 10 * 60_000));
    expect(later).toMatchObject({ status: 'PENDING', attempts: 2 });
  });

  it('hands a released alert to the next claim at once', async () => {
    const at = new Date(now.getTime() + 11 * 60_000);
    expect(await table.alerts.claim(anomaly(), at)).toBeUndefined();
    await table.alerts.release(anomaly().dedupKey);
    expect(await table.alerts.claim(anomaly(), at)).toMatchObject({ attempts: 3 });
  });

  it('never hands out an alert that was sent', async () => {
    await table.alerts.markSent(anomaly().dedupKey, 'message-1', now);
    expect(await table.alerts.claim(anomaly(), new Date(now.getTime() + 3_600_000))).toBeUndefined();
    expect(await table.alerts.get(anomaly().dedupKey)).toMatchObject({ status: 'SENT', messageId: 'message-1' });
    await expect(table.alerts.markSent(anomaly().dedupKey, 'message-2', now)).rejects.toThrow();
  });

  it('lists alerts by time, severity and delivery status', async () => {
    expect((await table.alerts.list()).map((a) => a.dedupKey)).toEqual([anomaly().dedupKey]);
    expect(await table.alerts.list({ severity: 'warning' })).toEqual([]);
    expect(await table.alerts.list({ status: 'PENDING' })).toEqual([]);
    expect(await table.alerts.list({ since: '2025-01-01' })).toEqual([]);
    expect((await table.alerts.list({ since: '2024-03-01' }))[0]!.anomaly.explanation.change).toBeCloseTo(0.83, 2);
  });
});
