import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { subscriptionSchema, type Subscription, type SubscriptionState } from '../domain/alerts/subscription.js';
import { writtenIf } from './conditions.js';
import { SUBSCRIPTIONS_PK } from './keys.js';
import { queryItems } from './query-all.js';

/**
 * Subscribers added without a deploy, one item each (pk SUBSCRIPTIONS, sk the subscription's id):
 * the intent is written first, then the SNS subscription is made and its ARN and state recorded
 * (see shared/manage/subscription-admin.ts). The alert job reads their routes each run.
 */
export class SubscriptionRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(): Promise<Subscription[]> {
    const items = await queryItems(this.doc, { TableName: this.tableName, ConsistentRead: true, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': SUBSCRIPTIONS_PK } });
    return items.map((item) => subscriptionSchema.parse(item)).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<Subscription | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: this.key(id), ConsistentRead: true }));
    return Item ? subscriptionSchema.parse(Item) : undefined;
  }

  /** Writes the intent unless one with its id is there; answers what is stored and whether this call wrote it. */
  async putIntent(subscription: Subscription): Promise<{ subscription: Subscription; created: boolean }> {
    const created = await writtenIf(() => this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...this.key(subscription.id), ...subscription }, ConditionExpression: 'attribute_not_exists(pk)' })));
    if (created) return { subscription, created };
    const stored = await this.get(subscription.id);
    return stored ? { subscription: stored, created } : this.putIntent(subscription);
  }

  /** Records where its SNS subscription stands; nothing when the subscription was removed meanwhile. */
  async record(id: string, outcome: { state: SubscriptionState; subscriptionArn?: string | undefined; note?: string | undefined }): Promise<Subscription | undefined> {
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, unknown> = { ':state': outcome.state };
    const set = ['#state = :state'];
    const remove: string[] = [];
    if (outcome.subscriptionArn) {
      set.push('subscriptionArn = :arn');
      values[':arn'] = outcome.subscriptionArn;
    }
    if (outcome.note) {
      set.push('note = :note');
      values[':note'] = outcome.note;
    } else remove.push('note');
    let updated: Record<string, unknown> | undefined;
    const written = await writtenIf(async () => {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(id),
          UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      updated = result.Attributes;
    });
    return written && updated ? subscriptionSchema.parse(updated) : undefined;
  }

  /** Removes a subscription's item; false when there was none. */
  async remove(id: string): Promise<boolean> {
    const result = await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: this.key(id), ReturnValues: 'ALL_OLD' }));
    return result.Attributes !== undefined;
  }

  private key(id: string) {
    return { pk: SUBSCRIPTIONS_PK, sk: id };
  }
}
