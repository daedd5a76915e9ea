import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandOutput, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SDK_CALL_BUDGET_MS } from '../aws/client-config.js';
import { queryAll } from './query-all.js';
import { allPages, seekPage, type Page, type PageRequest } from './seek-page.js';
import type { Anomaly } from '../domain/detection/index.js';
import { SEVERITIES, type Severity } from '../domain/severity.js';
import { notifiedOf, revisionChangesNumbers, revisionNotifies, withSplitAsSent, type Notified } from '../domain/alerts/renotify.js';
import type { Silence } from '../domain/alerts/silence.js';
import { ALERTS_INDEX_PK, ALERT_SK, PENDING_ALERTS_PK, alertPk, alertsIndexSk } from './keys.js';
import { isConditionFailure } from './conditions.js';
import { GSI1 } from './table-definition.js';
import { MigrationMarkers } from './migration-markers.js';
import { upgradePendingAlerts, type UpgradeOutcome } from './pending-alerts-upgrade.js';

export type DeliveryStatus = 'PENDING' | 'SENT' | 'SILENCED';

/**
 * What alert listings filter on: created at or after `since` (ISO time), `severity` or above,
 * `status`, and the anomaly's series (`reporter`, `partner`, `commodity` codes as stored) and `direction`.
 */
export interface AlertFilter {
  readonly since?: string | undefined;
  readonly severity?: Severity | undefined;
  readonly status?: DeliveryStatus | undefined;
  readonly reporter?: string | undefined;
  readonly partner?: string | undefined;
  readonly commodity?: string | undefined;
  readonly direction?: Anomaly['direction'] | undefined;
}

/** The filters on the stored anomaly's fields, each an attribute path under `anomaly`. */
const ANOMALY_FILTERS = {
  reporter: ['series', 'reporter'],
  partner: ['series', 'partner'],
  commodity: ['series', 'commodity'],
  direction: ['direction'],
} as const satisfies Partial<Record<keyof AlertFilter, readonly string[]>>;

export interface AlertRecord {
  readonly dedupKey: string;
  readonly seriesId: string;
  readonly bucketKey: string;
  readonly severity: Severity;
  readonly status: DeliveryStatus;
  /** `alert` the first time, `update` when a revision changed its severity or direction. */
  readonly notice: 'alert' | 'update';
  readonly createdAt: string;
  readonly updatedAt: string;
  /** A PENDING alert is being delivered by whoever holds the lease until this time. */
  readonly leaseExpiresAt: string;
  /** Who holds the lease: every claim draws a new one, and every delivery is fenced by it. */
  readonly leaseToken?: string;
  readonly attempts: number;
  /** Bumped on every change of the record's anomaly, for optimistic concurrency. */
  readonly version: number;
  /** Routes the current notice is due to, and the message id each has received. */
  readonly routes: readonly string[];
  readonly deliveries: Readonly<Record<string, string>>;
  readonly notified?: Notified;
  readonly sentAt?: string;
  readonly silence?: Pick<Silence, 'id' | 'reason' | 'until'>;
  readonly anomaly: Anomaly;
}

/**
 * How long a claim lasts. A publisher renews it before each publish (holdLease) while it has
 * less than LEASE_RENEW_BELOW_MS left, so one publish, bounded by the SDK's own timeouts
 * (SDK_CALL_BUDGET_MS), always ends inside the lease: a run whose lease lapsed cannot publish.
 */
export const LEASE_MS = 5 * 60_000;
export const LEASE_RENEW_BELOW_MS = 2 * SDK_CALL_BUDGET_MS;


/** Attempts of a status change whose transaction met another on the same items before one wins or fails its condition. */
const TRANSACTION_ATTEMPTS = 6;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/** Alert records as stored: the history the query side and the CLI read. */
export class AlertHistory {
  constructor(
    protected readonly doc: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  protected key(dedupKey: string) {
    return { pk: alertPk(dedupKey), sk: ALERT_SK };
  }

  /** Which of these events already have an alert record (sent, pending or silenced): one BatchGetItem per 100 keys. */
  async known(dedupKeys: Iterable<string>): Promise<Set<string>> {
    const found = new Set<string>();
    const all = [...new Set(dedupKeys)];
    for (let i = 0; i < all.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = all.slice(i, i + 100).map((k) => this.key(k));
      for (let round = 0; keys && keys.length > 0; round++) {
        if (round >= 5) throw new Error(`alert records: ${keys.length} key(s) still unprocessed after ${round} rounds`);
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
        const result: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true, ProjectionExpression: 'dedupKey' } } }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) found.add(String(item.dedupKey));
        keys = result.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return found;
  }

  async get(dedupKey: string): Promise<AlertRecord | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: this.key(dedupKey), ConsistentRead: true }));
    return result.Item ? toRecord(result.Item) : undefined;
  }

  /**
   * One page of alerts created at or after `since`, of `severity` or above (and of `status`, and the
   * anomaly's series and direction), oldest first: exactly one Query of gsi1's ALERTS partition from
   * `since` (or from just after `page.after`) on, at most `page.limit` items evaluated; the other
   * filters are a FilterExpression, so a page may hold fewer items than the limit and still have a `nextAfter`.
   */
  async page(filter: AlertFilter, page: PageRequest = {}): Promise<Page<AlertRecord>> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const residual: string[] = [];
    if (filter.severity && filter.severity !== SEVERITIES[0]) {
      const levels = SEVERITIES.slice(SEVERITIES.indexOf(filter.severity));
      names['#severity'] = 'severity';
      levels.forEach((level, i) => {
        values[`:severity${i}`] = level;
      });
      residual.push(`#severity IN (${levels.map((_, i) => `:severity${i}`).join(', ')})`);
    }
    if (filter.status) {
      names['#status'] = 'status';
      values[':status'] = filter.status;
      residual.push('#status = :status');
    }
    for (const [name, path] of Object.entries(ANOMALY_FILTERS)) {
      const wanted = filter[name as keyof typeof ANOMALY_FILTERS];
      if (wanted === undefined) continue;
      names['#anomaly'] = 'anomaly';
      for (const part of path) names[`#${part}`] = part;
      values[`:${name}`] = wanted;
      residual.push(`${['#anomaly', ...path.map((part) => `#${part}`)].join('.')} = :${name}`);
    }
    const result = await seekPage(
      this.doc,
      {
        tableName: this.tableName,
        indexName: GSI1,
        partition: ALERTS_INDEX_PK,
        ...(filter.since ? { sortKey: { atLeast: filter.since } } : {}),
        ...(residual.length > 0 ? { filter: { expression: residual.join(' AND '), names, values } } : {}),
      },
      page,
    );
    return { items: result.items.map(toRecord), nextAfter: result.nextAfter };
  }

  /** Every alert matching `filter`, oldest first, page after page through `page`. */
  async list(filter: AlertFilter = {}): Promise<AlertRecord[]> {
    const records: AlertRecord[] = [];
    for await (const record of allPages((page) => this.page(filter, page))) records.push(record);
    return records;
  }

  /**
   * The alerts PENDING now, and only those: the PENDING_ALERTS partition holds one key per PENDING
   * alert (written and removed in the transaction that changes its status), read strongly
   * consistently, then each record read as it is.
   */
  async listPending(): Promise<AlertRecord[]> {
    const keys: string[] = [];
    for await (const item of queryAll(this.doc, {
      TableName: this.tableName,
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': PENDING_ALERTS_PK },
    })) {
      keys.push(String(item.sk));
    }
    const records = await Promise.all(keys.map((dedupKey) => this.get(dedupKey)));
    return records.filter((r): r is AlertRecord => r?.status === 'PENDING');
  }
}

/**
 * Alert records drive exactly-once delivery: an alert is written PENDING with a conditional put
 * (so one run owns it), published to each of its routes (each delivery recorded as it happens),
 * then marked SENT. A run that dies or fails to publish leaves it PENDING with what it did
 * deliver, and a later run sends the rest once the lease has expired.
 */
export class AlertRepository extends AlertHistory {
  /**
   * Takes ownership of delivering an anomaly to `routes`. Returns the record to deliver, or
   * undefined when there is nothing to send: already sent (a revision that changes neither
   * severity nor direction only updates the stored numbers), silenced, or another run holds it.
   */
  async claim(anomaly: Anomaly, routes: readonly string[], now: Date, routeSince: ReadonlyMap<string, string> = new Map()): Promise<AlertRecord | undefined> {
    const at = now.toISOString();
    const record: AlertRecord = {
      dedupKey: anomaly.dedupKey,
      seriesId: anomaly.seriesId,
      bucketKey: anomaly.bucketKey,
      severity: anomaly.severity,
      status: 'PENDING',
      notice: 'alert',
      createdAt: at,
      updatedAt: at,
      leaseExpiresAt: new Date(now.getTime() + LEASE_MS).toISOString(),
      leaseToken: randomUUID(),
      attempts: 1,
      version: 1,
      routes: [...routes],
      deliveries: {},
      anomaly,
    };
    if (await this.putIfAbsent(record)) return record;
    const existing = await this.get(anomaly.dedupKey);
    if (!existing) return undefined;
    if (existing.status === 'SENT' && revisionChangesNumbers(existing.anomaly, anomaly)) {
      // An update goes to the routes that were there when the alert was first sent, not to one added since.
      const since = (route: string) => routeSince.get(route);
      return this.revise(existing, withSplitAsSent(existing.anomaly, anomaly), routes.filter((route) => !(since(route) && since(route)! > existing.createdAt)), now);
    }
    if (existing.status === 'PENDING') return this.takeOverExpiredLease(anomaly.dedupKey, now);
    return undefined;
  }

  /** Stores a silenced anomaly without sending it (and without sending it later). */
  async recordSilenced(anomaly: Anomaly, silence: Silence, now: Date): Promise<boolean> {
    const at = now.toISOString();
    return this.putIfAbsent({
      dedupKey: anomaly.dedupKey,
      seriesId: anomaly.seriesId,
      bucketKey: anomaly.bucketKey,
      severity: anomaly.severity,
      status: 'SILENCED',
      notice: 'alert',
      createdAt: at,
      updatedAt: at,
      leaseExpiresAt: at,
      attempts: 0,
      version: 1,
      routes: [],
      deliveries: {},
      silence: { id: silence.id, reason: silence.reason, until: silence.until },
      anomaly,
    });
  }

  /**
   * Writes a new record unless one exists. A PENDING one goes in one transaction with its key in the
   * PENDING_ALERTS partition, so the two exist together or not at all.
   */
  private async putIfAbsent(record: AlertRecord): Promise<boolean> {
    const put = {
      TableName: this.tableName,
      Item: { ...this.key(record.dedupKey), gsi1pk: ALERTS_INDEX_PK, gsi1sk: alertsIndexSk(record.createdAt, record.dedupKey), ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    if (record.status === 'PENDING') return this.transact([{ Put: put }, this.pendingPut(record.dedupKey)]);
    try {
      await this.doc.send(new PutCommand(put));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private pendingKey(dedupKey: string) {
    return { pk: PENDING_ALERTS_PK, sk: dedupKey };
  }

  private pendingPut(dedupKey: string) {
    return { Put: { TableName: this.tableName, Item: this.pendingKey(dedupKey) } };
  }

  /**
   * Runs a status change and its PENDING_ALERTS entry as one transaction: true when it landed,
   * false when a condition failed. A transaction that met another on the same items (two runs
   * claiming at once) is tried again until one wins and the other's condition fails. The SDK's own
   * retries reuse the request's idempotency token, so a retried transaction never applies twice.
   */
  private async transact(items: TransactItems): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return true;
      } catch (error) {
        const name = (error as Error).name;
        const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
        if (name === 'TransactionCanceledException' && reasons.some((r) => r.Code === 'ConditionalCheckFailed')) return false;
        const conflict = name === 'TransactionConflictException' || (name === 'TransactionCanceledException' && reasons.some((r) => r.Code === 'TransactionConflict'));
        if (!conflict || attempt >= TRANSACTION_ATTEMPTS) throw error;
        await pause(Math.random() * 20 * 2 ** attempt);
      }
    }
  }

  /**
   * A sent alert whose numbers were revised: the record takes the new numbers, and when severity
   * or direction changed from what subscribers were told, it becomes PENDING as an update.
   */
  private async revise(existing: AlertRecord, anomaly: Anomaly, routes: readonly string[], now: Date): Promise<AlertRecord | undefined> {
    const notify = revisionNotifies(existing.notified, anomaly);
    const values: Record<string, unknown> = {
      ':anomaly': anomaly,
      ':severity': anomaly.severity,
      ':updatedAt': now.toISOString(),
      ':version': existing.version,
      ':one': 1,
    };
    let set = 'anomaly = :anomaly, severity = :severity, updatedAt = :updatedAt, version = version + :one';
    if (notify) {
      set += ', #status = :pending, notice = :update, routes = :routes, deliveries = :none, leaseExpiresAt = :lease, leaseToken = :token, attempts = attempts + :one';
      Object.assign(values, {
        ':pending': 'PENDING',
        ':update': 'update',
        ':routes': [...routes],
        ':none': {},
        ':lease': new Date(now.getTime() + LEASE_MS).toISOString(),
        ':token': randomUUID(),
      });
    }
    const update = {
      TableName: this.tableName,
      Key: this.key(existing.dedupKey),
      UpdateExpression: `SET ${set}`,
      ConditionExpression: 'version = :version',
      ...(notify ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ExpressionAttributeValues: values,
    };
    if (notify) {
      // Back to PENDING: the record and its PENDING_ALERTS entry change together. The condition on
      // the version read makes the record exactly `existing` with this update applied.
      if (!(await this.transact([{ Update: update }, this.pendingPut(existing.dedupKey)]))) return undefined; // another run revised it first
      return {
        ...existing,
        anomaly,
        severity: anomaly.severity,
        updatedAt: values[':updatedAt'] as string,
        version: existing.version + 1,
        status: 'PENDING',
        notice: 'update',
        routes: [...routes],
        deliveries: {},
        leaseExpiresAt: values[':lease'] as string,
        leaseToken: values[':token'] as string,
        attempts: existing.attempts + 1,
      };
    }
    try {
      await this.doc.send(new UpdateCommand(update));
      return undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined; // another run revised it first
      throw error;
    }
  }

  private async takeOverExpiredLease(dedupKey: string, now: Date): Promise<AlertRecord | undefined> {
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(dedupKey),
          UpdateExpression: 'SET leaseExpiresAt = :lease, leaseToken = :token, attempts = attempts + :one',
          ConditionExpression: '#status = :pending AND leaseExpiresAt < :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':lease': new Date(now.getTime() + LEASE_MS).toISOString(),
            ':token': randomUUID(),
            ':one': 1,
            ':pending': 'PENDING',
            ':now': now.toISOString(),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toRecord(result.Attributes!);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /**
   * Keeps the lease of a claimed alert for another LEASE_MS when less than LEASE_RENEW_BELOW_MS
   * is left, and returns the record with its lease as it now is; undefined when it is no longer
   * this claim's (it lapsed and another run took it over, or the alert is no longer PENDING): then
   * this run must not publish it.
   */
  async holdLease(record: AlertRecord, now: Date): Promise<AlertRecord | undefined> {
    // Plenty left: no other run can have taken it over (a takeover needs an expired lease).
    if (Date.parse(record.leaseExpiresAt) - now.getTime() >= LEASE_RENEW_BELOW_MS) return record;
    const leaseExpiresAt = new Date(now.getTime() + LEASE_MS).toISOString();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(record.dedupKey),
          UpdateExpression: 'SET leaseExpiresAt = :lease',
          ConditionExpression: '#status = :pending AND leaseToken = :token AND leaseExpiresAt > :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'PENDING', ':token': record.leaseToken, ':now': now.toISOString(), ':lease': leaseExpiresAt },
        }),
      );
      return { ...record, leaseExpiresAt };
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /**
   * Records that one route received the alert; never twice for the same route and notice. A
   * delivery already recorded (an earlier attempt of this call whose answer was lost) counts.
   */
  async recordDelivery(dedupKey: string, route: string, messageId: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(dedupKey),
          UpdateExpression: 'SET deliveries.#route = :messageId',
          ConditionExpression: '#status = :pending AND attribute_not_exists(deliveries.#route)',
          ExpressionAttributeNames: { '#status': 'status', '#route': route },
          ExpressionAttributeValues: { ':pending': 'PENDING', ':messageId': messageId },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error) && (await this.get(dedupKey))?.deliveries[route] === messageId) return;
      throw error;
    }
  }

  /** Gives a claimed alert back at once (a publish failed), so the next run need not wait out the lease; only the claim's holder can. */
  async release(record: Pick<AlertRecord, 'dedupKey' | 'leaseToken'>): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(record.dedupKey),
        UpdateExpression: 'SET leaseExpiresAt = :expired',
        ConditionExpression: '#status = :pending AND leaseToken = :token',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':expired': new Date(0).toISOString(), ':pending': 'PENDING', ':token': record.leaseToken },
      }),
    );
  }

  /**
   * Gives a PENDING alert its PENDING_ALERTS entry if it lacks one (an alert stored before that
   * partition existed): true when it was added. One transaction that finds the alert still
   * PENDING, so an alert sent meanwhile is never left an entry.
   */
  async restorePendingEntry(dedupKey: string): Promise<boolean> {
    return this.transact([
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: this.key(dedupKey),
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'PENDING' },
        },
      },
      { Put: { ...this.pendingPut(dedupKey).Put, ConditionExpression: 'attribute_not_exists(pk)' } },
    ]);
  }

  /** Makes sure a table from before the PENDING_ALERTS partition has its entries (see pending-alerts-upgrade.ts): once done, one GetItem. */
  upgradePendingPartition(now: () => Date): Promise<UpgradeOutcome> {
    return upgradePendingAlerts(this, new MigrationMarkers(this.doc, this.tableName), now);
  }

  /** Every route has it: SENT, remembering what subscribers were told; its PENDING_ALERTS entry goes in the same transaction. */
  async markSent(record: AlertRecord, sentAt: Date): Promise<void> {
    const notified = notifiedOf(record.anomaly, sentAt);
    const sent = await this.transact([
      {
        Update: {
          TableName: this.tableName,
          Key: this.key(record.dedupKey),
          UpdateExpression: 'SET #status = :sent, sentAt = :sentAt, notified = :notified REMOVE leaseToken',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sent': 'SENT', ':pending': 'PENDING', ':sentAt': notified.at, ':notified': notified },
        },
      },
      { Delete: { TableName: this.tableName, Key: this.pendingKey(record.dedupKey) } },
    ]);
    if (!sent) throw new ConditionalCheckFailedException({ message: `alert ${record.dedupKey} is no longer PENDING`, $metadata: {} });
  }
}

function toRecord(item: Record<string, unknown>): AlertRecord {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...record } = item;
  return record as unknown as AlertRecord;
}
