import { storedAlertItem } from '../support/stored-alert-item.js';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { alertAnomalies, type AlertSummary } from '../../shared/alerts/alert-job.js';
import type { AlertPublisher } from '../../shared/alerts/sns-publisher.js';
import { FEED_ROUTE, routeOf } from '../../shared/domain/alerts/routing.js';
import { detectAnomalies } from '../../shared/domain/detection/index.js';
import { AlertRepository } from '../../shared/store/alert-repository.js';
import { MIGRATIONS_PK, PENDING_ALERTS_PK, } from '../../shared/store/keys.js';
import { MigrationMarkers } from '../../shared/store/migration-markers.js';
import { PENDING_ALERTS_PARTITION_UPGRADE, upgradePendingAlerts } from '../../shared/store/pending-alerts-upgrade.js';
import { demoSeries } from '../support/demo-series.js';
import { freshTable } from '../support/local-table.js';

const EMAIL = routeOf({ protocol: 'email', endpoint: 'desk@example.org', minSeverity: 'info', digestAbove: 100 });
const ROUTES = [FEED_ROUTE, EMAIL];
const { key, observations } = demoSeries('AZE', 'trade');
const [anomaly] = detectAnomalies({ series: key, observations }).anomalies;
const NOW = new Date('2024-06-01T00:00:00.000Z');

type Status = 'PENDING' | 'SENT' | 'SILENCED';

/** An alert record exactly as the code before the PENDING_ALERTS partition stored it: no entry in that partition. */
function oldAlertItem(n: number, status: Status, deliveries: Record<string, string> = {}) {
  return storedAlertItem({
    anomaly: anomaly!,
    dedupKey: `${anomaly!.dedupKey}#old${n}`,
    createdAt: new Date(Date.UTC(2024, 4, 1, 0, n)).toISOString(),
    status,
    // A run that died holding it long ago.
    ...(status === 'PENDING' ? { leaseToken: `token-${n}` } : {}),
    routes: status === 'SILENCED' ? [] : ROUTES.map((r) => r.id),
    deliveries,
  }) as Record<string, unknown> & { dedupKey: string };
}

/** A table as the old code left it: seven PENDING alerts (one already delivered to the feed), one SENT, one SILENCED. */
async function oldTable() {
  const table = await freshTable();
  const items = [
    ...[0, 1, 2, 3, 4, 5].map((n) => oldAlertItem(n, 'PENDING')),
    oldAlertItem(6, 'PENDING', { feed: 'message-from-before' }),
    oldAlertItem(7, 'SENT', { feed: 'a', [EMAIL.id]: 'b' }),
    oldAlertItem(8, 'SILENCED'),
  ];
  for (const item of items) await table.doc.send(new PutCommand({ TableName: table.tableName, Item: item }));
  const pending = items.filter((i) => i.status === 'PENDING').map((i) => i.dedupKey);
  return { table, pending };
}

const publisher: AlertPublisher = {
  publish: async () => `message-${Math.random().toString(36).slice(2)}`,
};

/** The alert job with nothing newly detected: it delivers what is PENDING. Its store goes through `table.doc`, where a test can watch the calls. */
function runAlertJob(table: Awaited<ReturnType<typeof freshTable>>): Promise<AlertSummary> {
  return alertAnomalies({ ...table, alerts: new AlertRepository(table.doc, table.tableName), publisher, routes: ROUTES, now: () => NOW }, [], new Map());
}

/** How many messages each alert went out in, per route, over all the runs' summaries. */
function deliveriesPerRoute(summaries: readonly AlertSummary[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of summaries.flatMap((s) => s.messages)) {
    for (const dedupKey of message.dedupKeys) counts.set(`${dedupKey} ${message.route}`, (counts.get(`${dedupKey} ${message.route}`) ?? 0) + 1);
  }
  return counts;
}

function expectEachDeliveredOnce(summaries: readonly AlertSummary[], pending: readonly string[]) {
  const expected = new Map<string, number>();
  for (const dedupKey of pending) {
    for (const route of ROUTES) if (!(dedupKey.endsWith('#old6') && route.id === 'feed')) expected.set(`${dedupKey} ${route.id}`, 1);
  }
  expect(deliveriesPerRoute(summaries)).toEqual(expected);
}

async function marker(table: Awaited<ReturnType<typeof freshTable>>) {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: { pk: MIGRATIONS_PK, sk: PENDING_ALERTS_PARTITION_UPGRADE }, ConsistentRead: true }));
  return Item;
}

async function pendingEntries(table: Awaited<ReturnType<typeof freshTable>>) {
  const { Items } = await table.doc.send(
    new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': PENDING_ALERTS_PK }, ConsistentRead: true }),
  );
  return Items ?? [];
}

describe('upgrading a table from before the PENDING_ALERTS partition', () => {
  it('delivers each alert the old code left PENDING exactly once, sets the marker, and then reads only the marker', async () => {
    const { table, pending } = await oldTable();
    const first = await runAlertJob(table);
    expectEachDeliveredOnce([first], pending);
    expect([...first.sent].sort()).toEqual([...pending].sort());
    for (const dedupKey of pending) expect((await table.alerts.get(dedupKey))?.status).toBe('SENT');
    expect(await marker(table)).toMatchObject({ completedAt: NOW.toISOString() });
    expect(await pendingEntries(table)).toEqual([]);

    const calls: string[] = [];
    table.doc.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { IndexName?: string; Key?: { pk?: string } };
        calls.push(`${context.commandName}${input.IndexName ? ` ${input.IndexName}` : ''}${input.Key?.pk ? ` ${input.Key.pk}` : ''}`);
        return next(args);
      },
      { step: 'initialize', name: 'recordCalls' },
    );
    const second = await runAlertJob(table);
    expect(second.messages).toEqual([]);
    expect(second.sent).toEqual([]);
    // Once done, the upgrade costs the one read of its marker: no walk of the alert history.
    expect(calls.filter((call) => call.includes(MIGRATIONS_PK))).toEqual([`GetItemCommand ${MIGRATIONS_PK}`]);
    expect(calls.some((call) => call.includes('gsi1'))).toBe(false);
    expect(await marker(table)).toMatchObject({ completedAt: NOW.toISOString() });
  });

  it('resumes a backfill that died half-way from the last page it recorded, delivering each once', async () => {
    const { table, pending } = await oldTable();
    let restores = 0;
    const dying = {
      page: table.alerts.page.bind(table.alerts),
      restorePendingEntry: async (dedupKey: string) => {
        if (++restores === 4) throw new Error('the function timed out');
        return table.alerts.restorePendingEntry(dedupKey);
      },
    };
    await expect(upgradePendingAlerts(dying, new MigrationMarkers(table.doc, table.tableName), () => NOW, 2)).rejects.toThrow('timed out');
    const halfway = await marker(table);
    expect(halfway?.completedAt).toBeUndefined();
    expect(halfway?.resumeAfter).toEqual(expect.any(String));
    expect(await pendingEntries(table)).toHaveLength(3);

    // The next run starts after the last page recorded: the alerts of the pages before are not looked at again.
    const asked: string[] = [];
    const recording = {
      page: table.alerts.page.bind(table.alerts),
      restorePendingEntry: (dedupKey: string) => {
        asked.push(dedupKey);
        return table.alerts.restorePendingEntry(dedupKey);
      },
    };
    expect(await upgradePendingAlerts(recording, new MigrationMarkers(table.doc, table.tableName), () => NOW, 2)).toEqual({ ran: true, restored: 4 });
    expect(asked).toEqual(pending.slice(2));

    const runs = [await runAlertJob(table), await runAlertJob(table)];
    expectEachDeliveredOnce(runs, pending);
    expect(await marker(table)).toMatchObject({ completedAt: NOW.toISOString() });
    expect((await marker(table))?.resumeAfter).toBeUndefined();
  });

  it('delivers each once when several alert jobs upgrade the same table at once', async () => {
    const { table, pending } = await oldTable();
    const runs = await Promise.all([runAlertJob(table), runAlertJob(table), runAlertJob(table)]);
    runs.push(await runAlertJob(table));
    expectEachDeliveredOnce(runs, pending);
    for (const dedupKey of pending) expect((await table.alerts.get(dedupKey))?.status).toBe('SENT');
    expect(await marker(table)).toMatchObject({ completedAt: NOW.toISOString() });
    expect(await pendingEntries(table)).toEqual([]);
  });

  it('never gives an entry to an alert that is not PENDING, nor a second one', async () => {
    const { table, pending } = await oldTable();
    expect(await table.alerts.restorePendingEntry(oldAlertItem(7, 'SENT').dedupKey)).toBe(false);
    expect(await table.alerts.restorePendingEntry(oldAlertItem(8, 'SILENCED').dedupKey)).toBe(false);
    expect(await table.alerts.restorePendingEntry(pending[0]!)).toBe(true);
    expect(await table.alerts.restorePendingEntry(pending[0]!)).toBe(false);
    expect((await pendingEntries(table)).map((e) => e.sk)).toEqual([pending[0]]);
  });
});
