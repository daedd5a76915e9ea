import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { writtenIf } from './conditions.js';
import { MIGRATIONS_PK } from './keys.js';

/** Where an upgrade of stored data stands: done, or how far an unfinished run of it got. */
export interface MigrationState {
  readonly completed: boolean;
  /** The sort key its last run had finished up to, to resume after. */
  readonly resumeAfter?: string | undefined;
}

/**
 * One item per upgrade of stored data (pk MIGRATIONS, sk its name): its progress while it runs,
 * then when it completed. Reading it is the whole cost of an upgrade that has run.
 */
export class MigrationMarkers {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private key(name: string) {
    return { pk: MIGRATIONS_PK, sk: name };
  }

  async state(name: string): Promise<MigrationState> {
    const { Item: item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: this.key(name), ConsistentRead: true }));
    return { completed: typeof item?.completedAt === 'string', resumeAfter: typeof item?.resumeAfter === 'string' ? item.resumeAfter : undefined };
  }

  /** Records that a run got past `after`; never moves back (a slower concurrent run) nor touches a completed marker. */
  async recordProgress(name: string, after: string): Promise<void> {
    await writtenIf(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(name),
          UpdateExpression: 'SET resumeAfter = :after',
          ConditionExpression: 'attribute_not_exists(completedAt) AND (attribute_not_exists(resumeAfter) OR resumeAfter < :after)',
          ExpressionAttributeValues: { ':after': after },
        }),
      ),
    );
  }

  /** Marks the upgrade done; the first run to complete it keeps its time. */
  async complete(name: string, at: Date): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(name),
        UpdateExpression: 'SET completedAt = if_not_exists(completedAt, :at) REMOVE resumeAfter',
        ExpressionAttributeValues: { ':at': at.toISOString() },
      }),
    );
  }
}
