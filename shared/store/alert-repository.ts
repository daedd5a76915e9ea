import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Anomaly, Severity } from '../domain/detection/index.js';
import { ALERTS_INDEX_PK, ALERT_SK, alertPk, alertsIndexSk } from './keys.js';
import { GSI1 } from './table-definition.js';

export type DeliveryStatus = 'PENDING' | 'SENT';

export interface AlertRecord {
  readonly dedupKey: string;
  readonly seriesId: string;
  readonly bucketKey: string;
  readonly severity: Severity;
  readonly status: DeliveryStatus;
  readonly createdAt: string;
  /** A PENDING alert is being published by whoever holds the lease until this time. */
  readonly leaseExpiresAt: string;
  readonly attempts: number;
  readonly messageId?: string;
  readonly sentAt?: string;
  readonly anomaly: Anomaly;
}

/** How long a run may take between claiming an alert and marking it sent. */
const LEASE_MS = 5 * 60_000;

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as Error)?.name === 'ConditionalCheckFailedException';
}

/**
 * Alert records drive exactly-once delivery: an alert is written PENDING with a conditional put
 * (so one run owns it), published, then marked SENT. A run that dies or fails to publish leaves it
 * PENDING, and a later run takes it over once the lease has expired.
 */
export class AlertRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Takes ownership of delivering an anomaly. Returns the record to publish, or undefined when it
   * was already sent or another run holds a live lease on it.
   */
  async claim(anomaly: Anomaly, now: Date): Promise<AlertRecord | undefined> {
    const record: AlertRecord = {
      dedupKey: anomaly.dedupKey,
      seriesId: anomaly.seriesId,
      bucketKey: anomaly.bucketKey,
      severity: anomaly.severity,
      status: 'PENDING',
      createdAt: now.toISOString(),
      leaseExpiresAt: new Date(now.getTime() + LEASE_MS).toISOString(),
      attempts: 1,
      anomaly,
    };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: alertPk(record.dedupKey),
            sk: ALERT_SK,
            gsi1pk: ALERTS_INDEX_PK,
            gsi1sk: alertsIndexSk(record.createdAt, record.dedupKey),
            ...record,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return record;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    return this.takeOverExpiredLease(anomaly.dedupKey, now);
  }

  private async takeOverExpiredLease(dedupKey: string, now: Date): Promise<AlertRecord | undefined> {
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: alertPk(dedupKey), sk: ALERT_SK },
          UpdateExpression: 'SET leaseExpiresAt = :lease, attempts = attempts + :one',
          ConditionExpression: '#status = :pending AND leaseExpiresAt < :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':lease': new Date(now.getTime() + LEASE_MS).toISOString(),
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

  /** Gives a claimed alert back at once (a publish failed), so the next run need not wait out the lease. */
  async release(dedupKey: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: alertPk(dedupKey), sk: ALERT_SK },
        UpdateExpression: 'SET leaseExpiresAt = :expired',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':expired': new Date(0).toISOString(), ':pending': 'PENDING' },
      }),
    );
  }

  async markSent(dedupKey: string, messageId: string, sentAt: Date): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: alertPk(dedupKey), sk: ALERT_SK },
        UpdateExpression: 'SET #status = :sent, messageId = :messageId, sentAt = :sentAt',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sent': 'SENT',
          ':pending': 'PENDING',
          ':messageId': messageId,
          ':sentAt': sentAt.toISOString(),
        },
      }),
    );
  }

  async get(dedupKey: string): Promise<AlertRecord | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: alertPk(dedupKey), sk: ALERT_SK } }),
    );
    return result.Item ? toRecord(result.Item) : undefined;
  }

  /** Alerts created at or after `since` (ISO time), oldest first. */
  async list(filter: { since?: string; severity?: Severity; status?: DeliveryStatus } = {}): Promise<AlertRecord[]> {
    const records: AlertRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI1,
          ...(filter.since
            ? {
                KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :since',
                ExpressionAttributeValues: { ':pk': ALERTS_INDEX_PK, ':since': filter.since },
              }
            : { KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': ALERTS_INDEX_PK } }),
          ExclusiveStartKey: startKey,
        }),
      );
      records.push(...(page.Items ?? []).map(toRecord));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records.filter(
      (r) => (!filter.severity || r.severity === filter.severity) && (!filter.status || r.status === filter.status),
    );
  }
}

function toRecord(item: Record<string, unknown>): AlertRecord {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...record } = item;
  return record as unknown as AlertRecord;
}
