import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_DEFINITION } from './table-definition.js';

/**
 * Paged listings of one index partition in sort-key order, where a page starts by a key condition
 * on the sort key (`> the last key read`), never by ExclusiveStartKey: a range condition is a seek
 * in the index, so every page, first, middle or last, is one Query whose cost does not grow with
 * the partition. (DynamoDB Local seeks an ExclusiveStartKey by walking the index up to it: a middle
 * page of 100k series took 3 to 4 times as long as a first one.) This needs the sort key to be
 * unique within the partition, which every listed index key is by construction (see keys.ts).
 */

type IndexName = (typeof TABLE_DEFINITION.globalIndexes)[number]['indexName'];

/** The sort keys a listing covers within its partition: those with a prefix, or from a value on. */
export type SortKeyBound = { readonly beginsWith: string } | { readonly atLeast: string };

/** What the key cannot serve, applied to the items each page reads (so a page may come back short). */
export interface ResidualFilter {
  readonly expression: string;
  readonly names: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, unknown>>;
}

export interface SortedListing {
  readonly tableName: string;
  readonly indexName: IndexName;
  readonly partition: string;
  readonly sortKey?: SortKeyBound | undefined;
  readonly filter?: ResidualFilter | undefined;
}

export interface PageRequest {
  /** Items the Query evaluates at most (before the residual filter): unset, DynamoDB's 1 MB page. */
  readonly limit?: number | undefined;
  /** The page starts after this sort key: the `nextAfter` of the page before. */
  readonly after?: string | undefined;
}

export interface Page<T> {
  readonly items: T[];
  /** Where the next page starts (the sort key of the last item evaluated); undefined after the last page. */
  readonly nextAfter?: string | undefined;
}

/** A page start outside the listing's sort keys (a forged cursor): it could only read what the listing does not cover. */
export class PageStartOutOfRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PageStartOutOfRangeError';
  }
}

/** DynamoDB orders strings by their UTF-8 bytes: a key with U+0000 appended is the least string after it. */
const justAfter = (key: string) => `${key}\u0000`;
/**
 * A bound above every key with `prefix` but one that has U+10FFFF, the last code point (a
 * noncharacter no key holds), right after it: BETWEEN is inclusive, so the prefix's exact end
 * cannot be named.
 */
const endOfPrefix = (prefix: string) => `${prefix}\u{10FFFF}`;

export interface SortKeyCondition {
  /** The sort-key part of the KeyConditionExpression (with `#sk` for the sort key), or undefined for the whole partition. */
  readonly expression?: string;
  readonly values: Readonly<Record<string, string>>;
}

/**
 * The sort-key condition of one page: the listing's bound, narrowed to the keys after `after`.
 * A bound and a seek combine into one condition: `>=` then `>`, and a prefix as a BETWEEN from
 * just after `after` to the prefix's end (begins_with cannot be combined with a range).
 */
export function sortKeyCondition(bound: SortKeyBound | undefined, after: string | undefined): SortKeyCondition {
  if (after !== undefined) checkInside(bound, after);
  if (bound && 'beginsWith' in bound) {
    return after === undefined
      ? { expression: 'begins_with(#sk, :prefix)', values: { ':prefix': bound.beginsWith } }
      : { expression: '#sk BETWEEN :after AND :prefixEnd', values: { ':after': justAfter(after), ':prefixEnd': endOfPrefix(bound.beginsWith) } };
  }
  if (after !== undefined) return { expression: '#sk > :after', values: { ':after': after } };
  if (bound) return { expression: '#sk >= :atLeast', values: { ':atLeast': bound.atLeast } };
  return { values: {} };
}

function checkInside(bound: SortKeyBound | undefined, after: string): void {
  if (after === '') throw new PageStartOutOfRangeError('a page cannot start after an empty key');
  if (!bound) return;
  if ('beginsWith' in bound && !after.startsWith(bound.beginsWith)) throw new PageStartOutOfRangeError(`a page of keys beginning ${bound.beginsWith} cannot start after ${after}`);
  if ('atLeast' in bound && after < bound.atLeast) throw new PageStartOutOfRangeError(`a page of keys from ${bound.atLeast} on cannot start after ${after}`);
}

function indexKeys(indexName: IndexName) {
  const index = TABLE_DEFINITION.globalIndexes.find((i) => i.indexName === indexName)!;
  return { partitionKey: index.partitionKey.name, sortKey: index.sortKey.name };
}

/** One page of a listing: exactly one Query of at most `page.limit` items evaluated, from just after `page.after`. */
export async function seekPage(doc: DynamoDBDocumentClient, listing: SortedListing, page: PageRequest = {}): Promise<Page<Record<string, unknown>>> {
  const keys = indexKeys(listing.indexName);
  const sortKey = sortKeyCondition(listing.sortKey, page.after);
  const result = await doc.send(
    new QueryCommand({
      TableName: listing.tableName,
      IndexName: listing.indexName,
      KeyConditionExpression: sortKey.expression ? `#pk = :partition AND ${sortKey.expression}` : '#pk = :partition',
      ExpressionAttributeNames: { '#pk': keys.partitionKey, ...(sortKey.expression ? { '#sk': keys.sortKey } : {}), ...listing.filter?.names },
      ExpressionAttributeValues: { ':partition': listing.partition, ...sortKey.values, ...listing.filter?.values },
      ...(listing.filter ? { FilterExpression: listing.filter.expression } : {}),
      ...(page.limit ? { Limit: page.limit } : {}),
    }),
  );
  const last = result.LastEvaluatedKey?.[keys.sortKey];
  return { items: result.Items ?? [], nextAfter: typeof last === 'string' ? last : undefined };
}

/** Every item of a paged read, page after page: the loop the CLI and the jobs share with the API's single pages. */
export async function* allPages<T>(read: (page: PageRequest) => Promise<Page<T>>, limit?: number): AsyncGenerator<T> {
  let after: string | undefined;
  do {
    const page = await read({ limit, after });
    yield* page.items;
    after = page.nextAfter;
  } while (after !== undefined);
}
