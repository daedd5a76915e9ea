import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { sdkClientConfig, type AwsConnection } from '../aws/client-config.js';
import type { AlertMessage } from '../domain/alerts/alert-message.js';

export interface AlertPublisher {
  /** Publishes one alert; resolves with the message id. */
  publish(message: AlertMessage): Promise<string>;
}

export function createSnsClient(connection: AwsConnection): SNSClient {
  return new SNSClient(sdkClientConfig(connection));
}

export class SnsAlertPublisher implements AlertPublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(message: AlertMessage): Promise<string> {
    const result = await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: message.subject,
        MessageStructure: 'json',
        Message: message.structuredMessage,
        MessageAttributes: Object.fromEntries(
          Object.entries(message.attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
        ),
      }),
    );
    if (!result.MessageId) throw new Error(`SNS accepted the alert "${message.subject}" but returned no MessageId`);
    return result.MessageId;
  }
}
