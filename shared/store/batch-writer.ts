import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** DynamoDB accepts at most 25 items per BatchWriteItem. */
const BATCH_SIZE = 25;

export interface BatchWriteOptions {
  /** Batches in flight at once. */
  readonly concurrency?: number;
  /** Attempts per batch before unprocessed items are reported as a failure. */
  readonly maxAttempts?: number;
  /** Base of the exponential backoff between retries of unprocessed items, in ms. */
  readonly backoffBaseMs?: number;
}

export class UnprocessedItemsError extends Error {
  constructor(
    readonly tableName: string,
    readonly remaining: number,
    attempts: number,
  ) {
    super(`${remaining} item(s) for table ${tableName} were still unprocessed after ${attempts} attempts (throttling?)`);
    this.name = 'UnprocessedItemsError';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Puts items in batches of 25, several batches in flight, retrying what DynamoDB hands back as
 * unprocessed with exponential backoff and full jitter. Resolves with the number of items written.
 */
export async function batchPut(
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  options: BatchWriteOptions = {},
): Promise<number> {
  const { concurrency = 8, maxAttempts = 8, backoffBaseMs = 50 } = options;
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) batches.push(items.slice(i, i + BATCH_SIZE));

  const writeOne = async (batch: Record<string, unknown>[]) => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; requests.length > 0; attempt++) {
      if (attempt > maxAttempts) throw new UnprocessedItemsError(tableName, requests.length, maxAttempts);
      if (attempt > 1) await sleep(Math.random() * backoffBaseMs * 2 ** (attempt - 2));
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  };

  let next = 0;
  const worker = async () => {
    while (next < batches.length) await writeOne(batches[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
  return items.length;
}
