import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryItems } from './query-all.js';
import { silenceSchema, type Silence } from '../domain/alerts/silence.js';
import { SILENCES_INDEX_PK, SILENCE_SK, silencePk, silencesIndexSk } from './keys.js';
import { GSI1 } from './table-definition.js';

/** Silences: anomalies of matching series are stored but not sent until the silence ends. */
export class SilenceRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(input: Pick<Silence, 'series' | 'until' | 'reason'>, now: Date): Promise<Silence> {
    const silence = silenceSchema.parse({ ...input, id: randomUUID().slice(0, 8), createdAt: now.toISOString() });
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: silencePk(silence.id), sk: SILENCE_SK, gsi1pk: SILENCES_INDEX_PK, gsi1sk: silencesIndexSk(silence.createdAt, silence.id), ...silence },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return silence;
  }

  /** Every silence, ended ones included, oldest first. */
  async list(): Promise<Silence[]> {
    const items = await queryItems(this.doc, {
      TableName: this.tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': SILENCES_INDEX_PK },
    });
    const silences = items.map((item) => silenceSchema.parse(item));
    return silences;
  }

  /** Removes a silence; false when there was none with that id. */
  async remove(id: string): Promise<boolean> {
    const result = await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: silencePk(id), sk: SILENCE_SK }, ReturnValues: 'ALL_OLD' }),
    );
    return result.Attributes !== undefined;
  }
}
