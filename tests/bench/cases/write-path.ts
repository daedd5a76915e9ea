import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../../../shared/local/dynamodb-local.js';
import { batchPut } from '../../../shared/store/batch-writer.js';
import { createDocumentClient } from '../../../shared/store/client.js';
import { observationSk, seriesPk } from '../../../shared/store/keys.js';
import type { BenchContext, BenchResult } from '../bench-context.js';

/** Observation items as the repository writes them: 20 series x 240 months. */
function observationItems(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => {
    const year = 2000 + Math.floor((i % 240) / 12);
    const month = String((i % 12) + 1).padStart(2, '0');
    return {
      pk: seriesPk(`comtrade.CHN.P${Math.floor(i / 240)}.export.TOTAL.USD`),
      sk: observationSk(`${year}-${month}`),
      period: `${year}-${month}`,
      value: 1_000_000 + i,
      state: 'published',
      firstSeenAt: '2024-03-20T00:00:00.000Z',
      lastChangedAt: '2024-03-20T00:00:00.000Z',
      revisions: [],
    };
  });
}

async function timed(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

/** Observations/s into DynamoDB Local: the batch writer against one PutItem at a time. */
export async function writePath(context: BenchContext): Promise<BenchResult> {
  const doc = createDocumentClient(context.dynamo);
  const table = async () => {
    const name = `bench-${randomUUID()}`;
    await ensureTable(context.dynamo, name);
    return name;
  };
  const count = 4_800;
  const items = observationItems(count);

  // Warm DynamoDB Local's JVM on both paths before measuring.
  const warm = await table();
  await batchPut(doc, warm, items.slice(0, 500));
  for (const item of items.slice(0, 200)) await doc.send(new PutCommand({ TableName: warm, Item: item }));

  const batchTable = await table();
  const batchSeconds = await timed(async () => {
    await batchPut(doc, batchTable, items);
  });
  const naiveTable = await table();
  const naiveSeconds = await timed(async () => {
    for (const Item of items) await doc.send(new PutCommand({ TableName: naiveTable, Item }));
  });
  doc.destroy();

  const batchRate = count / batchSeconds;
  const naiveRate = count / naiveSeconds;
  return {
    name: 'write path: observations into DynamoDB Local',
    figures: [
      `batch writer (25 per BatchWriteItem, 8 in flight): ${batchRate.toFixed(0)} observations/s (${count} in ${batchSeconds.toFixed(2)} s)`,
      `naive loop (one PutItem at a time):               ${naiveRate.toFixed(0)} observations/s (${count} in ${naiveSeconds.toFixed(2)} s)`,
    ],
    ratio: { label: 'batch / naive', value: batchRate / naiveRate },
  };
}
