/**
 * Not a function: the libraries the ingest worker must use, called as it calls them, with none of
 * tradewatch's own code. Bundled like a function, its size is the floor under the ingest bundle:
 * the DynamoDB document client, SNS, Secrets Manager through Powertools Parameters, Powertools
 * Logger, Metrics and Batch, middy, and zod/mini with the kinds of schema the configuration uses.
 */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from '../../../shared/zod.js';

const schema = z.object({
  url: z.url(),
  time: z.iso.datetime({ offset: true }),
  code: z.optional(z.string().check(z.regex(/^[A-Z]{3}$/))),
  count: z._default(z.coerce.number().check(z.int(), z.positive()), 1),
  kind: z.enum(['a', 'b']),
  groups: z.record(z.string(), z.array(z.string())),
  partners: z.union([z.literal('*'), z.array(z.string())]),
  json: z.pipe(z.string(), z.transform((text) => JSON.parse(text) as unknown)),
});

const logger = new Logger();
const metrics = new Metrics({ namespace: 'floor' });
const processor = new BatchProcessor(EventType.SQS);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sns = new SNSClient({});

async function processRecord(record: SQSRecord): Promise<void> {
  const body = schema.parse(JSON.parse(record.body));
  const key = await getSecret('floor', { maxAge: 3600 });
  await doc.send(new QueryCommand({ TableName: 't', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': body.kind } }));
  await doc.send(new GetCommand({ TableName: 't', Key: { pk: 'a' } }));
  await doc.send(new PutCommand({ TableName: 't', Item: { pk: 'a', key } }));
  await doc.send(new UpdateCommand({ TableName: 't', Key: { pk: 'a' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': body.count } }));
  await doc.send(new BatchWriteCommand({ RequestItems: { t: [{ PutRequest: { Item: { pk: 'b' } } }] } }));
  await sns.send(new PublishCommand({ TopicArn: 'arn', Message: body.url }));
  metrics.addMetric('Floor', MetricUnit.Count, 1);
}

export const handler = middy((event: SQSEvent) => processPartialResponse(event, processRecord, processor))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
