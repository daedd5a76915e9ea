import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toWatchEntry, watchEntrySchema, type WatchEntry } from '../plan/watch-entries.js';
import type { WatchlistInput } from '../plan/watchlist.js';
import { writtenIf } from './conditions.js';
import { MIGRATIONS_PK, WATCHLIST_PK, WATCHLIST_SEEDED_SK } from './keys.js';
import { queryItems } from './query-all.js';

/** DynamoDB's cap on a transaction's items: the seed and its marker go in one when they fit. */
const TRANSACTION_ITEMS = 100;

/**
 * The watchlist in the table, one item per entry (pk WATCHLIST, sk the entry's id), as the
 * functions that only read it see it (the query function has no write grant): detection, the
 * charts and the status read it through here.
 */
export class WatchlistReader {
  constructor(
    protected readonly doc: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  /** The stored entries, oldest first; undefined while the table was never seeded (then the deploy's watchlist stands). */
  async stored(): Promise<WatchEntry[] | undefined> {
    const entries = await this.list();
    // Entries stored means the seed ran (it lands with its marker); only an empty watchlist needs the marker read.
    if (entries.length > 0 || (await this.seeded())) return entries;
    return undefined;
  }

  async list(): Promise<WatchEntry[]> {
    const items = await queryItems(this.doc, { TableName: this.tableName, ConsistentRead: true, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': WATCHLIST_PK } });
    return items.map((item) => watchEntrySchema.parse(item)).sort((a, b) => a.addedAt.localeCompare(b.addedAt) || a.id.localeCompare(b.id));
  }

  async seeded(): Promise<boolean> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: MIGRATIONS_PK, sk: WATCHLIST_SEEDED_SK }, ConsistentRead: true }));
    return Item !== undefined;
  }
}

/**
 * The watchlist in the table, read and changed: the planner reads it each run, `tradewatch watch`
 * and the manage API change it. The deploy's watchlist seeds it once, marked by MIGRATIONS /
 * watchlist-seeded: a watchlist emptied or edited later is never seeded again.
 */
export class WatchlistRepository extends WatchlistReader {
  /** The stored entries, oldest first; seeded from `seed` first when the table never was. */
  async current(seed: WatchlistInput, now: Date = new Date()): Promise<WatchEntry[]> {
    const stored = await this.stored();
    if (stored) return stored;
    await this.seedOnce(seed, now);
    return this.list();
  }

  /**
   * Writes the seed's entries and the marker together, unless the marker is there: of two runs at
   * once one lands and the other's condition fails. A seed too long for one transaction is written
   * entry by entry first (ids come from the entries, so a rerun rewrites the same items), the marker last.
   */
  async seedOnce(seed: WatchlistInput, now: Date): Promise<boolean> {
    const items = seed.entries.map((entry) => this.itemOf(toWatchEntry(entry, now)));
    const marker = { Put: { TableName: this.tableName, Item: { pk: MIGRATIONS_PK, sk: WATCHLIST_SEEDED_SK, completedAt: now.toISOString(), entries: items.length }, ConditionExpression: 'attribute_not_exists(pk)' } };
    if (items.length >= TRANSACTION_ITEMS) {
      if (await this.seeded()) return false;
      for (const Item of items) await this.doc.send(new PutCommand({ TableName: this.tableName, Item }));
      return writtenIf(() => this.doc.send(new PutCommand(marker.Put)));
    }
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: [marker, ...items.map((Item) => ({ Put: { TableName: this.tableName, Item } }))] }));
      return true;
    } catch (error) {
      if (isCancelledByCondition(error)) return false;
      throw error;
    }
  }

  /** Stores the entry unless the same one is there already; answers what is stored and whether this call stored it. */
  async add(entry: WatchEntry): Promise<{ entry: WatchEntry; created: boolean }> {
    const created = await writtenIf(() => this.doc.send(new PutCommand({ TableName: this.tableName, Item: this.itemOf(entry), ConditionExpression: 'attribute_not_exists(pk)' })));
    if (created) return { entry, created };
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: WATCHLIST_PK, sk: entry.id }, ConsistentRead: true }));
    return { entry: Item ? watchEntrySchema.parse(Item) : entry, created };
  }

  /** Removes an entry; false when there was none with that id. */
  async remove(id: string): Promise<boolean> {
    const result = await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: WATCHLIST_PK, sk: id }, ReturnValues: 'ALL_OLD' }));
    return result.Attributes !== undefined;
  }

  private itemOf(entry: WatchEntry) {
    return { pk: WATCHLIST_PK, sk: entry.id, ...entry };
  }
}

function isCancelledByCondition(error: unknown): boolean {
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return (error as Error).name === 'TransactionCanceledException' && reasons.some((r) => r.Code === 'ConditionalCheckFailed');
}
