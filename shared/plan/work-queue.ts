import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { WorkItem } from './work-items.js';

/** Where planned work items wait for the ingest workers. */
export interface WorkQueue {
  enqueue(items: readonly WorkItem[]): Promise<void>;
}

/** SQS takes at most ten messages per batch. */
const SQS_BATCH = 10;

export class SqsWorkQueue implements WorkQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(items: readonly WorkItem[]): Promise<void> {
    for (let i = 0; i < items.length; i += SQS_BATCH) {
      const batch = items.slice(i, i + SQS_BATCH);
      const result = await this.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: batch.map((item, j) => ({ Id: String(j), MessageBody: JSON.stringify(item) })) }),
      );
      if (result.Failed?.length) throw new Error(`${result.Failed.length} work item(s) were not queued: ${result.Failed[0]!.Message}`);
    }
  }
}
