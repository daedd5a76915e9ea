import { writtenIf } from './conditions.js';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { detectedPk } from './keys.js';
import { queryAll } from './query-all.js';
import type { Period } from '../domain/period.js';

/**
 * How far detection has got, per series: the series version (see SeriesMetadata.version) whose
 * anomalies have all been alerted, silenced or found already handled. A series whose version is
 * higher is due: whatever crashed between storing a change and alerting it, the next run for its
 * reporter picks it up from here, not from what one attempt happened to hold in memory.
 */
export class DetectionRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * The reporter's series as detection has them, in one Query: the handled versions, and where
   * a series' news begins (months before it are history: never alerted).
   */
  async progress(reporter: string): Promise<{ handled: Map<string, number>; newsFrom: Map<string, Period> }> {
    const handled = new Map<string, number>();
    const newsFrom = new Map<string, Period>();
    for await (const item of queryAll(this.doc, {
      TableName: this.tableName,
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': detectedPk(reporter) },
    })) {
      if (item.version !== undefined) handled.set(String(item.sk), Number(item.version));
      if (typeof item.newsFrom === 'string') newsFrom.set(String(item.sk), item.newsFrom);
    }
    return { handled, newsFrom };
  }

  /**
   * Records where the series' news begins, once: its initial load is done, so the months it holds
   * are history and the first month after them is news. A later call changes nothing.
   */
  async establishNews(reporter: string, seriesId: string, newsFrom: Period): Promise<void> {
    await writtenIf(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: detectedPk(reporter), sk: seriesId },
          UpdateExpression: 'SET newsFrom = :newsFrom',
          ConditionExpression: 'attribute_not_exists(newsFrom)',
          ExpressionAttributeValues: { ':newsFrom': newsFrom },
        }),
      ),
    );
  }

  /** Records that `version` of the series is handled; never moves back (a slower run's older version loses). */
  async markHandled(reporter: string, seriesId: string, version: number): Promise<void> {
    await writtenIf(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: detectedPk(reporter), sk: seriesId },
          UpdateExpression: 'SET #version = :version',
          ConditionExpression: 'attribute_not_exists(#version) OR #version < :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': version },
        }),
      ),
    );
  }
}
