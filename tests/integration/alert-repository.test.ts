import { beforeAll, describe, expect, it } from 'vitest';
import { renderEmail } from '../../shared/domain/alerts/alert-text.js';
import { detectAnomalies, type Anomaly } from '../../shared/domain/detection/index.js';
import { demoSeries } from '../support/demo-series.js';
import { SDK_CALL_BUDGET_MS } from '../../shared/aws/client-config.js';
import { LEASE_MS, LEASE_RENEW_BELOW_MS } from '../../shared/store/alert-repository.js';
import { freshTable } from '../support/local-table.js';

function anomaly(): Anomaly {
  const { key, observations } = demoSeries('AZE', 'trade');
  return detectAnomalies({ series: key, observations }).anomalies[0]!;
}
const ROUTES = ['feed', 'email-warning-d5'];

describe('alert repository on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof freshTable>>;
  beforeAll(async () => {
    table = await freshTable();
  });
  const now = new Date('2024-03-20T08:00:00Z');
  const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

  it('lets exactly one of many concurrent claims win', async () => {
    const claims = await Promise.all(Array.from({ length: 10 }, () => table.alerts.claim(anomaly(), ROUTES, now)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await table.alerts.get(anomaly().dedupKey)).toMatchObject({ status: 'PENDING', notice: 'alert', attempts: 1, routes: ROUTES, deliveries: {} });
  });

  it('does not hand a live lease to another run, but an expired one, with what was already delivered', async () => {
    await table.alerts.recordDelivery(anomaly().dedupKey, 'feed', 'message-feed-1');
    expect(await table.alerts.claim(anomaly(), ROUTES, later(1))).toBeUndefined();
    const takeover = await table.alerts.claim(anomaly(), ROUTES, later(10));
    expect(takeover).toMatchObject({ status: 'PENDING', attempts: 2, deliveries: { feed: 'message-feed-1' } });
  });

  it('records a route delivery once only', async () => {
    await expect(table.alerts.recordDelivery(anomaly().dedupKey, 'feed', 'message-feed-2')).rejects.toThrow();
    expect((await table.alerts.get(anomaly().dedupKey))!.deliveries).toEqual({ feed: 'message-feed-1' });
  });

  it('hands a released alert to the next claim at once', async () => {
    expect(await table.alerts.claim(anomaly(), ROUTES, later(11))).toBeUndefined();
    const holder = (await table.alerts.get(anomaly().dedupKey))!;
    // Only the claim's holder can give it back.
    await expect(table.alerts.release({ dedupKey: holder.dedupKey, leaseToken: 'someone-else' })).rejects.toThrow();
    await table.alerts.release(holder);
    expect(await table.alerts.claim(anomaly(), ROUTES, later(11))).toMatchObject({ attempts: 3 });
  });

  it('never hands out a sent alert again, and remembers what subscribers were told', async () => {
    await table.alerts.recordDelivery(anomaly().dedupKey, 'email-warning-d5', 'message-email-1');
    await table.alerts.markSent((await table.alerts.get(anomaly().dedupKey))!, now);
    expect(await table.alerts.claim(anomaly(), ROUTES, later(60))).toBeUndefined();
    expect(await table.alerts.get(anomaly().dedupKey)).toMatchObject({
      status: 'SENT',
      deliveries: { feed: 'message-feed-1', 'email-warning-d5': 'message-email-1' },
      notified: { severity: 'critical', direction: 'up' },
    });
  });

  it('takes revised numbers quietly when severity and direction stay, and as an update when they change', async () => {
    const original = anomaly();
    const revised: Anomaly = { ...original, explanation: { ...original.explanation, value: original.explanation.value * 1.01 } };
    expect(await table.alerts.claim(revised, ROUTES, later(120))).toBeUndefined();
    expect(await table.alerts.get(original.dedupKey)).toMatchObject({ status: 'SENT', version: 2, anomaly: { explanation: { value: revised.explanation.value } } });

    const downgraded: Anomaly = { ...revised, severity: 'warning' };
    const update = await table.alerts.claim(downgraded, ROUTES, later(180));
    expect(update).toMatchObject({ status: 'PENDING', notice: 'update', deliveries: {}, notified: { severity: 'critical' }, version: 3 });
    expect(await table.alerts.claim(downgraded, ROUTES, later(181))).toBeUndefined(); // once
  });

  it('stores the current volume and price split when only a weight is revised after sending, says it changed, and sends nothing again', async () => {
    const own = await freshTable();
    const { key, observations } = demoSeries('AZE', 'trade');
    const sent = anomaly();
    const claimed = (await own.alerts.claim(sent, ROUTES, now))!;
    for (const route of ROUTES) await own.alerts.recordDelivery(sent.dedupKey, route, `message-${route}`);
    await own.alerts.markSent((await own.alerts.get(claimed.dedupKey))!, now);
    // A later release revises February 2024's net weight alone: detection finds the same alert with another split.
    const reweighed = observations.map((o) =>
      o.period === '2024-02' && o.quantities?.netWeight ? { ...o, quantities: { ...o.quantities, netWeight: { ...o.quantities.netWeight, kg: Math.round(o.quantities.netWeight.kg * 1.2) } } } : o,
    );
    const revised = detectAnomalies({ series: key, observations: reweighed }).anomalies.find((a) => a.dedupKey === sent.dedupKey)!;
    expect(await own.alerts.claim(revised, ROUTES, later(60))).toBeUndefined();
    const stored = (await own.alerts.get(sent.dedupKey))!;
    expect(stored).toMatchObject({ status: 'SENT', version: 2, deliveries: { feed: 'message-feed', 'email-warning-d5': 'message-email-warning-d5' } });
    expect(stored.anomaly.explanation.volumePrice).toEqual(revised.explanation.volumePrice);
    expect(stored.anomaly.explanation.volumePriceAsSent).toEqual(sent.explanation.volumePrice);
    expect(renderEmail(stored.anomaly)).toMatch(/Revised since the alert was sent \(weights or quantities revised\): it said volume \+25 %, unit value \+47 %/);
    expect(await own.alerts.listPending()).toEqual([]);
    // The same revision seen again changes nothing more.
    expect(await own.alerts.claim(revised, ROUTES, later(61))).toBeUndefined();
    expect((await own.alerts.get(sent.dedupKey))!.version).toBe(2);
  });

  it('lists alerts by time, severity and delivery status', async () => {
    expect((await table.alerts.list()).map((a) => a.dedupKey)).toEqual([anomaly().dedupKey]);
    expect(await table.alerts.list({ severity: 'critical' })).toEqual([]);
    expect(await table.alerts.list({ status: 'SENT' })).toEqual([]);
    expect(await table.alerts.list({ since: '2025-01-01' })).toEqual([]);
    expect((await table.alerts.list({ since: '2024-03-01', status: 'PENDING' }))[0]!.notice).toBe('update');
  });

  it('keeps exactly the PENDING alerts in the pending partition: claimed, sent, revised into an update, silenced', async () => {
    const pendingKeys = async () => (await table.alerts.listPending()).map((r) => r.dedupKey).sort();
    const own: Anomaly = { ...anomaly(), dedupKey: `${anomaly().dedupKey}#pending-test` };
    const quiet: Anomaly = { ...anomaly(), dedupKey: `${anomaly().dedupKey}#silenced-test` };
    const before = await pendingKeys();
    const claimed = (await table.alerts.claim(own, ROUTES, later(300)))!;
    expect(await pendingKeys()).toEqual([...before, own.dedupKey].sort());
    await table.alerts.markSent(claimed, later(301));
    expect(await pendingKeys()).toEqual(before);
    // A sent alert cannot be marked sent again: the record and its pending entry move together or not at all.
    await expect(table.alerts.markSent(claimed, later(302))).rejects.toThrow(/no longer PENDING/);
    const update = (await table.alerts.claim({ ...own, severity: own.severity === 'critical' ? 'info' : 'critical' }, ROUTES, later(303)))!;
    expect(update).toMatchObject({ status: 'PENDING', notice: 'update' });
    // The record the update returns is the record stored.
    expect(update).toEqual(await table.alerts.get(own.dedupKey));
    expect(await pendingKeys()).toEqual([...before, own.dedupKey].sort());
    await table.alerts.recordSilenced(quiet, { id: 's1', series: quiet.seriesId, until: '2099-01-01T00:00:00.000Z', reason: 'known', createdAt: later(0).toISOString() }, later(304));
    expect(await pendingKeys()).toEqual([...before, own.dedupKey].sort());
  });

  it('fences publishing by the lease: renewed while it is this claim, refused once another run took the lapsed lease over', async () => {
    const other = { ...anomaly(), dedupKey: 'fence-test', seriesId: 'comtrade.CHN.KAZ.export.TOTAL.USD' };
    const first = (await table.alerts.claim(other, ROUTES, now))!;
    // Plenty of lease left: held without a write.
    expect(await table.alerts.holdLease(first, later(1))).toBe(first);
    // Little left: renewed for another full lease.
    const renewed = (await table.alerts.holdLease(first, later(4)))!;
    expect(Date.parse(renewed.leaseExpiresAt)).toBe(later(4).getTime() + LEASE_MS);
    // The renewed lease lapses (a slow run), another run takes it over: the slow one may not publish.
    const takeover = (await table.alerts.claim(other, ROUTES, later(10)))!;
    expect(takeover.leaseToken).not.toBe(first.leaseToken);
    expect(await table.alerts.holdLease({ ...renewed, leaseExpiresAt: later(9).toISOString() }, later(10))).toBeUndefined();
    expect(await table.alerts.holdLease(takeover, later(10))).toBeDefined();
  });

  it('holds a lease longer than the worst publish: two SDK calls, every attempt timing out, fit inside what is renewed', () => {
    expect(LEASE_RENEW_BELOW_MS).toBeGreaterThanOrEqual(2 * SDK_CALL_BUDGET_MS);
    expect(LEASE_MS).toBeGreaterThan(LEASE_RENEW_BELOW_MS);
  });
});
