import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { TABLE_DEFINITION } from './table-definition.js';

/** Where a page of a Query starts: the LastEvaluatedKey of the page before, as DynamoDB gave it. */
export type StartKey = Record<string, string>;

export interface PageRequest {
  /** Items the Query evaluates at most (before any FilterExpression): unset, DynamoDB's 1 MB page. */
  readonly limit?: number | undefined;
  readonly startKey?: StartKey | undefined;
}

export interface Page<T> {
  readonly items: T[];
  /** Where the next page starts; undefined when the Query has nothing more. */
  readonly lastKey?: StartKey | undefined;
}

/** A start key that cannot belong to the Query it was given to (a tampered or foreign cursor). */
export class InvalidStartKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidStartKeyError';
  }
}

/** The attributes a LastEvaluatedKey of `indexName` (or of the table) has: the table's key and the index's. */
function keyAttributes(indexName: string | undefined): string[] {
  const table = [TABLE_DEFINITION.partitionKey.name, TABLE_DEFINITION.sortKey.name];
  if (indexName === undefined) return table;
  const index = TABLE_DEFINITION.globalIndexes.find((i) => i.indexName === indexName);
  if (!index) throw new Error(`no index ${indexName} in the table definition`);
  return [...new Set([...table, index.partitionKey.name, index.sortKey.name])];
}

function checkStartKey(indexName: string | undefined, startKey: StartKey): void {
  const expected = keyAttributes(indexName).sort();
  const given = Object.keys(startKey).sort();
  const shaped = given.length === expected.length && given.every((name, i) => name === expected[i] && typeof startKey[name] === 'string' && startKey[name] !== '');
  if (!shaped) throw new InvalidStartKeyError(`a start key of ${indexName ?? 'the table'} has ${expected.join(', ')}`);
}

/**
 * One Query, one page: at most `limit` items evaluated from `startKey` on. A start key that is not
 * shaped like the index's keys, or that DynamoDB finds outside the Query's key condition, is an
 * InvalidStartKeyError (never sent on as a ValidationException).
 */
export async function queryPage(doc: DynamoDBDocumentClient, input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>, page: PageRequest = {}): Promise<Page<Record<string, unknown>>> {
  if (page.startKey) checkStartKey(input.IndexName, page.startKey);
  try {
    const result = await doc.send(new QueryCommand({ ...input, ...(page.limit ? { Limit: page.limit } : {}), ...(page.startKey ? { ExclusiveStartKey: page.startKey } : {}) }));
    return { items: result.Items ?? [], lastKey: result.LastEvaluatedKey as StartKey | undefined };
  } catch (error) {
    if (page.startKey && (error as Error).name === 'ValidationException' && /start(ing)? key|ExclusiveStartKey/i.test((error as Error).message)) {
      throw new InvalidStartKeyError((error as Error).message);
    }
    throw error;
  }
}

/** Every item a Query matches, page after page. */
export async function* queryAll(doc: DynamoDBDocumentClient, input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): AsyncGenerator<Record<string, unknown>> {
  const { Limit: limit, ...rest } = input;
  let startKey: StartKey | undefined;
  do {
    const page = await queryPage(doc, rest, { limit, startKey });
    yield* page.items;
    startKey = page.lastKey;
  } while (startKey);
}

/** The same, collected. */
export async function queryItems(doc: DynamoDBDocumentClient, input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const item of queryAll(doc, input)) items.push(item);
  return items;
}

/** Every item of a paged read, page after page: the loop the CLI and the jobs share with the API's single pages. */
export async function* allPages<T>(read: (page: PageRequest) => Promise<Page<T>>, limit?: number): AsyncGenerator<T> {
  let startKey: StartKey | undefined;
  do {
    const page = await read({ limit, startKey });
    yield* page.items;
    startKey = page.lastKey;
  } while (startKey);
}
