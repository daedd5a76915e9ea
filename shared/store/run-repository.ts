import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isConditionFailure, writtenIf } from './conditions.js';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all.js';
import type { RejectedRecord } from '../sources/trade-source.js';
import { batchPut } from './batch-writer.js';
import { GSI1 } from './table-definition.js';
import {
  BUDGET_SK,
  CALL_SK_PREFIX,
  FAILED_CALL_SK_PREFIX,
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

/**
 * RUNNING: a process holds the run's lock. STOPPED: the call budget ran out. INCOMPLETE: it ended
 * with calls that failed every attempt. FAILED: an error ended it. DONE: every call completed.
 * All but DONE resume, with the same key, where they ended.
 */
export type RunStatus = 'RUNNING' | 'STOPPED' | 'INCOMPLETE' | 'FAILED' | 'DONE';

export interface RunRecord {
  readonly runKey: string;
  readonly source: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly calls: number;
  readonly observations: number;
  readonly quarantined: number;
  /** Calls that failed every attempt when the run last ended (retried when it resumes). */
  readonly failedCalls?: number;
  /** Why a run ended before its end. */
  readonly reason?: string;
  /** While RUNNING: which process holds the run, and until when (renewed with every call). */
  readonly owner?: string;
  readonly lockedUntil?: string;
}

export interface FailedCall {
  readonly url: string;
  readonly error: string;
  readonly failedAt: string;
}

/** How long a run's lock lasts without a completed call: longer than any call with its retries. */
export const RUN_LOCK_MS = 15 * 60_000;

/** Owners whose run ended in this process without giving its lock up (the table was unreachable then). */
const abandoned = new Set<string>();

/**
 * A run owner's name: this host, this process and a token. A lock whose owner is of this host
 * and either gone (its process ended) or abandoned by this process may be taken over at once:
 * no one else can still be running it.
 */
export function newRunOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID()}`;
}

/** Records that this process gave `owner`'s run up without releasing its lock. */
export function abandonRunOwner(owner: string): void {
  abandoned.add(owner);
}

function lockIsStale(owner: string | undefined): boolean {
  if (!owner) return false;
  if (abandoned.has(owner)) return true;
  const [host, pid] = owner.split(':');
  if (host !== hostname() || !pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Another process is running the run with this key now. */
export class RunInProgressError extends Error {
  constructor(runKey: string, lockedUntil: string | undefined) {
    super(`run ${runKey} is being run by another process (its lock lasts until ${lockedUntil ?? 'unknown'}); wait for it, or use another run key`);
    this.name = 'RunInProgressError';
  }
}

export interface QuarantinedRecord extends RejectedRecord {
  readonly runKey: string;
}

export const callKey = (url: string) => createHash('sha1').update(url).digest('hex');


/**
 * Ingest runs: a checkpoint per completed upstream call (so a run that dies resumes where it
 * stopped), the records that failed validation (kept for inspection), and a daily call budget.
 */
export class RunRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Starts a run, or resumes one with the same key, taking its lock as `owner`: a run another
   * process holds (its lock not expired) is refused; a finished run is returned as it is.
   */
  async start(runKey: string, source: string, now: Date, owner: string): Promise<RunRecord> {
    const at = now.toISOString();
    const lockedUntil = new Date(now.getTime() + RUN_LOCK_MS).toISOString();
    const run: RunRecord = { runKey, source, status: 'RUNNING', startedAt: at, updatedAt: at, calls: 0, observations: 0, quarantined: 0, owner, lockedUntil };
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
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: runPk(runKey), sk: RUN_SK },
          UpdateExpression: 'SET #status = :running, updatedAt = :at, #owner = :owner, lockedUntil = :until REMOVE reason',
          ConditionExpression: `#status <> :running OR attribute_not_exists(lockedUntil) OR lockedUntil < :at${lockIsStale(existing.owner) ? ' OR #owner = :stale' : ''}`,
          ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
          ExpressionAttributeValues: { ':running': 'RUNNING', ':at': at, ':owner': owner, ':until': lockedUntil, ...(lockIsStale(existing.owner) ? { ':stale': existing.owner } : {}) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toRun(result.Attributes!);
    } catch (error) {
      if (isConditionFailure(error)) throw new RunInProgressError(runKey, existing.lockedUntil);
      throw error;
    }
  }

  /** The run with key `base` if it is unfinished or new, else the first of `base.2`, `base.3`… that is. */
  async resumableKey(base: string): Promise<string> {
    for (let generation = 1; ; generation++) {
      const key = generation === 1 ? base : `${base}.${generation}`;
      const run = await this.get(key);
      if (run?.status !== 'DONE') return key;
    }
  }

  /** Runs, newest first. */
  async list(limit = 20): Promise<RunRecord[]> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': RUNS_INDEX_PK },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map(toRun);
  }

  async get(runKey: string): Promise<RunRecord | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: runPk(runKey), sk: RUN_SK }, ConsistentRead: true }));
    return result.Item ? toRun(result.Item) : undefined;
  }

  /** The calls this run has completed, by callKey. */
  async completedCalls(runKey: string): Promise<Set<string>> {
    const keys = new Set<string>();
    for await (const item of this.query(runKey, CALL_SK_PREFIX)) keys.add(String(item.sk).slice(CALL_SK_PREFIX.length));
    return keys;
  }

  /**
   * Marks a call done after its observations were stored, counts them (and the records it
   * quarantined) on the run and renews the lock, in one transaction: a call is counted once,
   * however often it is retried. A process whose lock another has taken over stops here
   * (RunInProgressError).
   */
  async checkpoint(runKey: string, owner: string, url: string, counts: { observations: number; quarantined: number }, now: Date): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: runPk(runKey), sk: `${CALL_SK_PREFIX}${callKey(url)}`, url, observations: counts.observations, completedAt: now.toISOString() },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: { pk: runPk(runKey), sk: RUN_SK },
                UpdateExpression: 'ADD calls :one, observations :n, quarantined :q SET updatedAt = :at, lockedUntil = :until',
                ConditionExpression: '#owner = :owner',
                ExpressionAttributeNames: { '#owner': 'owner' },
                ExpressionAttributeValues: {
                  ':one': 1,
                  ':n': counts.observations,
                  ':q': counts.quarantined,
                  ':at': now.toISOString(),
                  ':until': new Date(now.getTime() + RUN_LOCK_MS).toISOString(),
                  ':owner': owner,
                },
              },
            },
          ],
        }),
      );
    } catch (error) {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      if (reasons?.[1]?.Code === 'ConditionalCheckFailed') throw new RunInProgressError(runKey, undefined);
      // Already checkpointed (an earlier attempt whose answer was lost): counted once, as it should be.
      if (reasons?.[0]?.Code === 'ConditionalCheckFailed') return;
      throw error;
    }
  }

  /** Keeps a call that failed every attempt, to be retried when the run resumes. */
  async recordFailedCall(runKey: string, url: string, message: string, now: Date): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { pk: runPk(runKey), sk: `${FAILED_CALL_SK_PREFIX}${callKey(url)}`, url, error: message, failedAt: now.toISOString() } }),
    );
  }

  /** A failed call that has now completed is no longer failed. */
  async clearFailedCall(runKey: string, url: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: runPk(runKey), sk: `${FAILED_CALL_SK_PREFIX}${callKey(url)}` } }));
  }

  async failedCalls(runKey: string): Promise<FailedCall[]> {
    const calls: FailedCall[] = [];
    for await (const item of this.query(runKey, FAILED_CALL_SK_PREFIX)) calls.push({ url: String(item.url), error: String(item.error), failedAt: String(item.failedAt) });
    return calls;
  }

  /** Keeps records that failed validation, under the call they came from: keeping them again changes nothing. */
  async quarantine(runKey: string, url: string, records: readonly RejectedRecord[]): Promise<void> {
    if (records.length === 0) return;
    await batchPut(
      this.doc,
      this.tableName,
      records.map((record, i) => ({
        pk: runPk(runKey),
        sk: quarantineSk(callKey(url), i),
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

  /** Ends the run and gives up its lock. */
  async finish(runKey: string, status: Exclude<RunStatus, 'RUNNING'>, now: Date, details: { reason?: string; failedCalls?: number } = {}): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: runPk(runKey), sk: RUN_SK },
        UpdateExpression: `SET #status = :status, updatedAt = :at, failedCalls = :failed${details.reason ? ', reason = :reason' : ''} REMOVE lockedUntil`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':at': now.toISOString(), ':failed': details.failedCalls ?? 0, ...(details.reason ? { ':reason': details.reason } : {}) },
      }),
    );
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

  /**
   * Claims the next call slot of `source`, shared by every worker: resolves with 0 when this caller
   * may call now (the next slot moves `intervalMs` on), or with the ms to wait before asking again.
   */
  async claimCallSlot(source: string, intervalMs: number, now: Date): Promise<number> {
    const claimed = await writtenIf(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: pacePk(source), sk: PACE_SK },
          UpdateExpression: 'SET nextAt = :next',
          ConditionExpression: 'attribute_not_exists(nextAt) OR nextAt <= :now',
          ExpressionAttributeValues: { ':now': now.getTime(), ':next': now.getTime() + intervalMs },
        }),
      ),
    );
    if (claimed) return 0;
    const item = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: pacePk(source), sk: PACE_SK }, ConsistentRead: true }));
    return Math.max(1, Number(item.Item?.nextAt ?? 0) - now.getTime());
  }

  /** Takes one call from the source's budget for the day; false when it is used up. */
  async consumeBudget(source: string, day: string, limit: number): Promise<boolean> {
    return writtenIf(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: budgetPk(source, day), sk: BUDGET_SK },
          UpdateExpression: 'ADD calls :one',
          ConditionExpression: 'attribute_not_exists(calls) OR calls < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': limit },
        }),
      ),
    );
  }

  /** The source's budget for the day as it stands: calls taken, and calls the planner has planned (see addPlannedCalls). */
  async budgetUse(source: string, day: string): Promise<{ used: number; planned: number }> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: budgetPk(source, day), sk: BUDGET_SK }, ConsistentRead: true }));
    return { used: Number(result.Item?.calls ?? 0), planned: Number(result.Item?.planned ?? 0) };
  }

  /** Adds to the calls planned for the day, so a second planner run that day (the monthly refresh) plans only what is left. */
  async addPlannedCalls(source: string, day: string, calls: number): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: budgetPk(source, day), sk: BUDGET_SK },
        UpdateExpression: 'ADD planned :calls',
        ExpressionAttributeValues: { ':calls': calls },
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

function toRun(item: Record<string, unknown>): RunRecord {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...run } = item;
  return run as unknown as RunRecord;
}
