import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all.js';
import type { RejectedRecord } from '../sources/trade-source.js';
import { batchPut } from './batch-writer.js';
import {
  BUDGET_SK,
  CALL_SK_PREFIX,
  QUARANTINE_SK_PREFIX,
  RUN_SK,
  RUNS_INDEX_PK,
  budgetPk,
  PACE_SK,
  pacePk,
  releasesPk,
  quarantineSk,
  runPk,
  runsIndexSk,
} from './keys.js';

export type RunStatus = 'RUNNING' | 'STOPPED' | 'DONE';

export interface RunRecord {
  readonly runKey: string;
  readonly source: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly calls: number;
  readonly observations: number;
  readonly quarantined: number;
  /** Why a run stopped before its end (it resumes on the next start with the same key). */
  readonly reason?: string;
}

export interface QuarantinedRecord extends RejectedRecord {
  readonly runKey: string;
}

export const callKey = (url: string) => createHash('sha1').update(url).digest('hex');

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as Error)?.name === 'ConditionalCheckFailedException';
}

/**
 * Ingest runs: a checkpoint per completed upstream call (so a run that dies resumes where it
 * stopped), the records that failed validation (kept for inspection), and a daily call budget.
 */
export class RunRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Starts a run, or resumes one with the same key; a finished run is returned as it is. */
  async start(runKey: string, source: string, now: Date): Promise<RunRecord> {
    const at = now.toISOString();
    const run: RunRecord = { runKey, source, status: 'RUNNING', startedAt: at, updatedAt: at, calls: 0, observations: 0, quarantined: 0 };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: runPk(runKey), sk: RUN_SK, gsi1pk: RUNS_INDEX_PK, gsi1sk: runsIndexSk(at, runKey), ...run },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return run;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const existing = (await this.get(runKey))!;
    if (existing.status === 'DONE') return existing;
    await this.update(runKey, { status: 'RUNNING', updatedAt: at });
    return { ...existing, status: 'RUNNING', updatedAt: at };
  }

  async get(runKey: string): Promise<RunRecord | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: runPk(runKey), sk: RUN_SK }, ConsistentRead: true }));
    if (!result.Item) return undefined;
    const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...run } = result.Item;
    return run as RunRecord;
  }

  /** The calls this run has completed, by callKey. */
  async completedCalls(runKey: string): Promise<Set<string>> {
    const keys = new Set<string>();
    for await (const item of this.query(runKey, CALL_SK_PREFIX)) keys.add(String(item.sk).slice(CALL_SK_PREFIX.length));
    return keys;
  }

  /** Marks a call done after its observations were stored, and counts them on the run. */
  async checkpoint(runKey: string, url: string, observations: number, now: Date): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: runPk(runKey), sk: `${CALL_SK_PREFIX}${callKey(url)}`, url, observations, completedAt: now.toISOString() },
      }),
    );
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: runPk(runKey), sk: RUN_SK },
        UpdateExpression: 'ADD calls :one, observations :n SET updatedAt = :at',
        ExpressionAttributeValues: { ':one': 1, ':n': observations, ':at': now.toISOString() },
      }),
    );
  }

  /** Keeps records that failed validation, numbered after those already kept for this run. */
  async quarantine(runKey: string, records: readonly RejectedRecord[]): Promise<void> {
    if (records.length === 0) return;
    const result = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: runPk(runKey), sk: RUN_SK },
        UpdateExpression: 'ADD quarantined :n',
        ExpressionAttributeValues: { ':n': records.length },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const last = Number(result.Attributes?.quarantined ?? records.length);
    await batchPut(
      this.doc,
      this.tableName,
      records.map((record, i) => ({
        pk: runPk(runKey),
        sk: quarantineSk(last - records.length + i + 1),
        runKey,
        ...record,
        value: JSON.stringify(record.value) ?? 'undefined',
      })),
    );
  }

  async quarantined(runKey: string): Promise<QuarantinedRecord[]> {
    const records: QuarantinedRecord[] = [];
    for await (const item of this.query(runKey, QUARANTINE_SK_PREFIX)) {
      records.push({ runKey, where: String(item.where), field: String(item.field), value: JSON.parse(String(item.value)) as unknown, reason: String(item.reason) });
    }
    return records;
  }

  async finish(runKey: string, status: Exclude<RunStatus, 'RUNNING'>, now: Date, reason?: string): Promise<void> {
    await this.update(runKey, { status, updatedAt: now.toISOString(), ...(reason ? { reason } : {}) });
  }

  /** When each month of a reporter was last released, as of the last complete run. */
  async knownReleases(source: string, reporter: string): Promise<Map<string, string>> {
    const known = new Map<string, string>();
    for await (const item of queryAll(this.doc, {
      TableName: this.tableName,
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': releasesPk(source, reporter) },
    })) {
      known.set(String(item.sk), String(item.lastReleased));
    }
    return known;
  }

  /** Remembers releases once their data is stored. */
  async recordReleases(source: string, reporter: string, released: ReadonlyMap<string, string>): Promise<void> {
    await batchPut(
      this.doc,
      this.tableName,
      [...released].map(([period, lastReleased]) => ({ pk: releasesPk(source, reporter), sk: period, lastReleased })),
    );
  }

  /** Takes one call from the source's budget for the day; false when it is used up. */
  /**
   * Claims the next call slot of `source`, shared by every worker: resolves with 0 when this caller
   * may call now (the next slot moves `intervalMs` on), or with the ms to wait before asking again.
   */
  async claimCallSlot(source: string, intervalMs: number, now: Date): Promise<number> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: pacePk(source), sk: PACE_SK },
          UpdateExpression: 'SET nextAt = :next',
          ConditionExpression: 'attribute_not_exists(nextAt) OR nextAt <= :now',
          ExpressionAttributeValues: { ':now': now.getTime(), ':next': now.getTime() + intervalMs },
        }),
      );
      return 0;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const item = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: pacePk(source), sk: PACE_SK }, ConsistentRead: true }));
      return Math.max(1, Number(item.Item?.nextAt ?? 0) - now.getTime());
    }
  }

  async consumeBudget(source: string, day: string, limit: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: budgetPk(source, day), sk: BUDGET_SK },
          UpdateExpression: 'ADD calls :one',
          ConditionExpression: 'attribute_not_exists(calls) OR calls < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': limit },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async update(runKey: string, fields: Record<string, unknown>): Promise<void> {
    const names = Object.keys(fields);
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: runPk(runKey), sk: RUN_SK },
        UpdateExpression: `SET ${names.map((_n, i) => `#f${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#f${i}`, n])),
        ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, fields[n]])),
      }),
    );
  }

  private query(runKey: string, prefix: string): AsyncGenerator<Record<string, unknown>> {
    return queryAll(this.doc, {
      TableName: this.tableName,
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': runPk(runKey), ':prefix': prefix },
    });
  }
}
