import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sdkClientConfig, type AwsConnection } from '../aws/client-config.js';

export function createDocumentClient(connection: AwsConnection): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(sdkClientConfig(connection)), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
