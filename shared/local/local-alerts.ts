import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { readDeliveredAlert, type AlertPayload } from '../domain/alerts/alert-message.js';
import { filterPolicy, type Route } from '../domain/alerts/routing.js';
import { createSnsClient } from '../alerts/sns-publisher.js';
import { sdkClientConfig } from '../aws/client-config.js';

export interface LocalAlertTopic {
  readonly endpoint: string;
  readonly region: string;
  readonly topicArn: string;
  /** Every message delivered to the route's queue so far (received and deleted). */
  drain(routeId: string): Promise<AlertPayload[]>;
  stop(): Promise<void>;
}

const REGION = 'us-east-1';

/**
 * A local SNS topic (fauxqs, in this process) with one SQS queue per route, each subscribed
 * through the real Subscribe API with the route's filter policy, as the stack subscribes e-mail
 * and SMS endpoints: what a queue receives is what that route's subscribers would get.
 */
export async function startLocalAlertTopic(routes: readonly Pick<Route, 'id'>[], topicName = 'tradewatch-alerts'): Promise<LocalAlertTopic> {
  const server = await startFauxqs({ port: 0, logger: false });
  const connection = { region: REGION, endpoint: server.address };
  const sns = createSnsClient(connection);
  const sqs = new SQSClient(sdkClientConfig(connection));
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: topicName }));
  const queueUrls = new Map<string, string>();
  for (const route of routes) {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${topicName}-${route.id}` }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: Attributes!.QueueArn!,
        Attributes: { FilterPolicy: JSON.stringify(filterPolicy(route)) },
      }),
    );
    queueUrls.set(route.id, QueueUrl!);
  }

  const drain = async (routeId: string): Promise<AlertPayload[]> => {
    const QueueUrl = queueUrls.get(routeId);
    if (!QueueUrl) throw new RangeError(`no local route ${routeId}`);
    const alerts: AlertPayload[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      if (Messages.length === 0) return alerts;
      for (const message of Messages) {
        alerts.push(readDeliveredAlert(message.Body!));
        await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
      }
    }
  };

  return {
    endpoint: server.address,
    region: REGION,
    topicArn: TopicArn!,
    drain,
    stop: async () => {
      sns.destroy();
      sqs.destroy();
      await server.stop();
    },
  };
}
