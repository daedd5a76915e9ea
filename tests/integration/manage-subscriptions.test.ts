import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertAnomalies } from '../../shared/alerts/alert-job.js';
import { createSnsClient } from '../../shared/alerts/sns-publisher.js';
import { sdkClientConfig } from '../../shared/aws/client-config.js';
import { loadCliConfig } from '../../shared/config/functions.js';
import { listSubscriptionsCommand, subscribeCommand, unsubscribeCommand } from '../../shared/cli/commands/manage.js';
import { readDeliveredAlert } from '../../shared/domain/alerts/alert-message.js';
import { FEED_ROUTE, filterPolicy } from '../../shared/domain/alerts/routing.js';
import { newSubscriptionSchema, type Subscription } from '../../shared/domain/alerts/subscription.js';
import { detectAnomalies, type Anomaly } from '../../shared/domain/detection/index.js';
import { startLocalAlertTopic, type LocalAlertTopic } from '../../shared/local/local-alerts.js';
import { handleManageRequest, type Caller } from '../../shared/manage/manage-api.js';
import { subscribe, SMS_SANDBOX } from '../../shared/manage/subscription-admin.js';
import { createAlertPublisher, manageServices, storedRoutes } from '../../shared/wiring.js';
import { demoSeries } from '../support/demo-series.js';
import { freshTable } from '../support/local-table.js';

type Table = Awaited<ReturnType<typeof freshTable>>;
const IAM: Caller = { iam: true, groups: [] };
const READER: Caller = { iam: false, groups: [] };
const ADMIN: Caller = { iam: false, groups: ['readers', 'admins'] };

/** China–Azerbaijan trade, Jan-Feb 2024: the demo's critical alert; and the same move said of Kazakhstan. */
function anomalies(): { aze: Anomaly; kaz: Anomaly } {
  const { key, observations } = demoSeries('AZE', 'trade');
  const aze = detectAnomalies({ series: key, observations }).anomalies.find((a) => a.severity === 'critical')!;
  const kazSeries = { ...aze.series, partner: 'KAZ' };
  const kaz = { ...aze, series: kazSeries, seriesId: aze.seriesId.replace('.AZE.', '.KAZ.'), dedupKey: aze.dedupKey.replace('.AZE.', '.KAZ.') };
  return { aze, kaz };
}

async function snsSubscriptions(sns: SNSClient, topicArn: string) {
  const { Subscriptions = [] } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
  return Promise.all(
    Subscriptions.map(async (s) => ({ ...s, attributes: (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: s.SubscriptionArn }))).Attributes ?? {} })),
  );
}

describe('subscriptions stored in the table, each an SNS subscription filtered on its route', () => {
  let table: Table;
  let topic: LocalAlertTopic;
  let sns: SNSClient;
  let services: ReturnType<typeof manageServices>;
  beforeAll(async () => {
    table = await freshTable();
    topic = await startLocalAlertTopic([FEED_ROUTE]);
    sns = createSnsClient({ region: topic.region, endpoint: topic.endpoint });
    services = manageServices(loadCliConfig({ DYNAMODB_ENDPOINT: table.connection.endpoint, TABLE_NAME: table.tableName, SNS_ENDPOINT: topic.endpoint, ALERT_TOPIC_ARN: topic.topicArn }));
  });
  afterAll(async () => {
    sns.destroy();
    await topic.stop();
  });

  it('subscribes an e-mail with a severity floor and filters through the API, routes alerts to it, and removes it', async () => {
    const body = JSON.stringify({ protocol: 'email', endpoint: 'Analyst@Example.org', minSeverity: 'critical', reporters: ['CHN'], partners: ['AZE'] });
    expect(await handleManageRequest(services, { routeKey: 'POST /subscriptions', body, caller: READER })).toMatchObject({ statusCode: 403 });
    const created = await handleManageRequest(services, { routeKey: 'POST /subscriptions', body, caller: ADMIN });
    expect(created.statusCode).toBe(201);
    const subscription = (created.body as { subscription: Subscription }).subscription;
    expect(subscription).toMatchObject({ protocol: 'email', endpoint: 'analyst@example.org', minSeverity: 'critical', reporters: ['CHN'], partners: ['AZE'], state: 'pending-confirmation', route: 'sub-email-critical-r-chn-p-aze-d5' });
    expect(subscription.subscriptionArn).toMatch(/^arn:aws:sns:us-east-1:\d+:tradewatch-alerts:/);
    expect(subscription.note).toMatch(/confirmation message/);

    // In the emulator: the subscription with that filter policy.
    const atSns = (await snsSubscriptions(sns, topic.topicArn)).filter((s) => s.Protocol === 'email');
    expect(atSns).toHaveLength(1);
    expect(atSns[0]).toMatchObject({ Endpoint: 'analyst@example.org', SubscriptionArn: subscription.subscriptionArn });
    expect(JSON.parse(atSns[0]!.attributes.FilterPolicy!)).toEqual({ route: ['sub-email-critical-r-chn-p-aze-d5'] });
    expect(atSns[0]!.attributes.PendingConfirmation).toBe('true');
    expect(await handleManageRequest(services, { routeKey: 'GET /subscriptions', caller: READER })).toMatchObject({ statusCode: 200, body: { subscriptions: [{ id: subscription.id, state: 'pending-confirmation' }] } });

    // What its route receives, seen through a queue subscribed with the same filter policy as the e-mail.
    const sqs = new SQSClient(sdkClientConfig({ region: topic.region, endpoint: topic.endpoint }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'stored-route' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(new SubscribeCommand({ TopicArn: topic.topicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn!, Attributes: { FilterPolicy: JSON.stringify(filterPolicy({ id: subscription.route })) } }));
    const { aze, kaz } = anomalies();
    const alerting = { ...table, publisher: createAlertPublisher({ region: topic.region, alertTopicArn: topic.topicArn, snsEndpoint: topic.endpoint }), routes: [FEED_ROUTE], storedRoutes: storedRoutes(table.subscriptions), now: () => new Date() };
    const summary = await alertAnomalies(alerting, [aze, kaz], new Map());
    expect(summary.failed).toEqual([]);
    expect(summary.messages.filter((m) => m.route === subscription.route).map((m) => m.dedupKeys)).toEqual([[aze.dedupKey]]);
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages.map((m) => readDeliveredAlert(m.Body!)).map((p) => (p.kind === 'tradewatch.digest' ? p.dedupKeys : p.dedupKey))).toEqual([aze.dedupKey]);
    for (const m of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    // Once per event and route: a second run sends it nothing again.
    const again = await alertAnomalies(alerting, [aze, kaz], new Map());
    expect(again.messages).toEqual([]);
    expect((await table.alerts.get(aze.dedupKey))!.deliveries).toHaveProperty(subscription.route);
    sqs.destroy();

    expect(await handleManageRequest(services, { routeKey: 'DELETE /subscriptions/{id}', pathParameters: { id: subscription.id }, caller: IAM })).toEqual({ statusCode: 204, body: undefined });
    expect((await snsSubscriptions(sns, topic.topicArn)).filter((s) => s.Protocol === 'email')).toEqual([]);
    expect(await handleManageRequest(services, { routeKey: 'GET /subscriptions', caller: READER })).toEqual({ statusCode: 200, body: { subscriptions: [] } });
    expect(await handleManageRequest(services, { routeKey: 'DELETE /subscriptions/{id}', pathParameters: { id: subscription.id }, caller: IAM })).toMatchObject({ statusCode: 404 });
  });

  it('ends in one subscription whatever step a crash cut short, and unsubscribes one whose answer was never recorded', async () => {
    const input = newSubscriptionSchema.parse({ protocol: 'email', endpoint: 'desk@example.org', partners: ['KAZ'] });
    const admin = services.subscriptions!;
    // SNS unreachable after the intent was stored: the call fails, the intent stays.
    const unreachable = createSnsClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
    await expect(subscribe({ ...admin, sns: unreachable }, input)).rejects.toThrow();
    unreachable.destroy();
    expect(await table.subscriptions.list()).toMatchObject([{ endpoint: 'desk@example.org', state: 'pending-confirmation', note: expect.stringMatching(/subscribe again/) }]);
    expect((await table.subscriptions.list())[0]!.subscriptionArn).toBeUndefined();
    // The same call again finishes it.
    const { subscription } = await subscribe(admin, input);
    expect(subscription.subscriptionArn).toMatch(/^arn:/);
    // A crash after SNS answered, before the ARN was recorded: the retry finds the same subscription.
    await table.subscriptions.record(subscription.id, { state: 'pending-confirmation', note: 'not subscribed at SNS yet' });
    await table.subscriptions.remove(subscription.id);
    await table.subscriptions.putIntent({ ...subscription, subscriptionArn: undefined } as Subscription);
    const retried = await subscribe(admin, input);
    expect(retried.subscription.subscriptionArn).toBe(subscription.subscriptionArn);
    expect((await snsSubscriptions(sns, topic.topicArn)).filter((s) => s.Endpoint === 'desk@example.org')).toHaveLength(1);

    // Other filters for the same address: refused, naming it.
    const conflict = await handleManageRequest(services, { routeKey: 'POST /subscriptions', body: JSON.stringify({ protocol: 'email', endpoint: 'desk@example.org', minSeverity: 'info' }), caller: IAM });
    expect(conflict).toMatchObject({ statusCode: 409, body: { parameter: 'endpoint', error: expect.stringContaining('unsubscribe it first') } });

    // Unsubscribing an intent whose ARN was never recorded finds it on the topic by endpoint and filter policy.
    await table.subscriptions.remove(subscription.id);
    await table.subscriptions.putIntent({ ...subscription, subscriptionArn: undefined } as Subscription);
    expect(await handleManageRequest(services, { routeKey: 'DELETE /subscriptions/{id}', pathParameters: { id: subscription.id }, caller: IAM })).toMatchObject({ statusCode: 204 });
    expect((await snsSubscriptions(sns, topic.topicArn)).filter((s) => s.Endpoint === 'desk@example.org')).toEqual([]);
    expect(await table.subscriptions.list()).toEqual([]);
  });

  it('sends a route added after an alert no update of it, while the routes that had it get the update once', async () => {
    const fresh = await freshTable();
    const { aze } = anomalies();
    const sent: { route: string; kind: string }[] = [];
    const publisher = {
      publish: async (message: { attributes: Record<string, string> }) => {
        sent.push({ route: message.attributes.route!, kind: message.attributes.kind! });
        return `m-${sent.length}`;
      },
    };
    const at = (iso: string) => () => new Date(iso);
    const job = (now: string) => ({ ...fresh, publisher, routes: [FEED_ROUTE], storedRoutes: storedRoutes(fresh.subscriptions), now: at(now) });
    await alertAnomalies(job('2024-03-21T00:00:00.000Z'), [aze], new Map());
    expect(sent).toEqual([{ route: 'feed', kind: 'tradewatch.alert' }]);
    // An e-mail subscriber of every severity joins later; then the agency revises the month and the alert falls to warning.
    const joined = { id: 'a1b2c3d4e5f6', protocol: 'email', endpoint: 'late@example.org', minSeverity: 'info', route: 'sub-email-info-d5', state: 'confirmed', createdAt: '2024-04-01T00:00:00.000Z' } as const;
    await fresh.subscriptions.putIntent(joined);
    const revised = { ...aze, severity: 'warning' as const, explanation: { ...aze.explanation, value: aze.explanation.value * 0.8 } };
    await alertAnomalies(job('2024-04-21T00:00:00.000Z'), [revised], new Map());
    expect(sent).toEqual([
      { route: 'feed', kind: 'tradewatch.alert' },
      { route: 'feed', kind: 'tradewatch.update' },
    ]);
    expect(await fresh.alerts.get(aze.dedupKey)).toMatchObject({ status: 'SENT', routes: ['feed'] });
    // A new event does reach it.
    const next = { ...aze, dedupKey: `${aze.dedupKey}-next` };
    await alertAnomalies(job('2024-05-21T00:00:00.000Z'), [next], new Map());
    expect(sent.slice(2).map((m) => m.route).sort()).toEqual(['feed', 'sub-email-info-d5']);
    // Its last subscriber gone, a pending alert still naming its route is owed nothing: it is marked sent, not kept pending forever.
    await fresh.subscriptions.remove(joined.id);
    const later = { ...aze, dedupKey: `${aze.dedupKey}-later` };
    await fresh.alerts.claim(later, ['feed', 'sub-email-info-d5'], new Date('2024-06-21T00:00:00.000Z'));
    // After its claim's lease is over, the next run takes the pending alert over.
    await alertAnomalies(job('2024-06-21T00:10:00.000Z'), [], new Map());
    expect(await fresh.alerts.get(later.dedupKey)).toMatchObject({ status: 'SENT' });
    expect(sent.slice(4).map((m) => m.route)).toEqual(['feed']);
  });

  it('refuses bad subscribers with 400 naming the field', async () => {
    const post = (body: unknown) => handleManageRequest(services, { routeKey: 'POST /subscriptions', body: JSON.stringify(body), caller: IAM });
    expect(await post({ protocol: 'email', endpoint: 'not-an-address' })).toMatchObject({ statusCode: 400, body: { parameter: 'endpoint', error: expect.stringContaining('e-mail address') } });
    expect(await post({ protocol: 'sms', endpoint: '015112345678' })).toMatchObject({ statusCode: 400, body: { parameter: 'endpoint', error: expect.stringContaining('E.164') } });
    expect(await post({ protocol: 'pigeon', endpoint: 'x@example.org' })).toMatchObject({ statusCode: 400, body: { parameter: 'protocol' } });
    expect(await post({ protocol: 'email', endpoint: 'x@example.org', minSeverity: 'loud' })).toMatchObject({ statusCode: 400, body: { parameter: 'minSeverity' } });
    expect(await post({ protocol: 'email', endpoint: 'x@example.org', partners: ['Narnia'] })).toMatchObject({ statusCode: 400, body: { parameter: 'partners.0' } });
    expect(await table.subscriptions.list()).toEqual([]);
  });

  describe('tradewatch subscribe, subscriptions, unsubscribe', () => {
    const saved = { ...process.env };
    afterAll(() => {
      process.env = { ...saved };
    });
    const run = async (command: (out: (line: string) => void) => Promise<void>) => {
      Object.assign(process.env, { DYNAMODB_ENDPOINT: table.connection.endpoint, TABLE_NAME: table.tableName, SNS_ENDPOINT: topic.endpoint, ALERT_TOPIC_ARN: topic.topicArn });
      const lines: string[] = [];
      await command((line) => lines.push(line));
      return lines;
    };

    it('subscribes a phone number (confirmed at once, the SMS sandbox explained), lists and removes it', async () => {
      const added = await run((out) => subscribeCommand({ sms: '+49 151 12345678', reporters: 'CHN' }, out));
      const id = /^Subscription ([0-9a-f]{12}):/.exec(added[0]!)![1]!;
      expect(added).toEqual([`Subscription ${id}: sms +4915112345678, critical and above, reporters CHN, confirmed.`, `  ${SMS_SANDBOX}`]);
      const listed = await run((out) => listSubscriptionsCommand({}, out));
      expect(listed[1]).toMatch(new RegExp(`^${id}\\s+sms\\s+\\+4915112345678\\s+critical\\+\\s+CHN\\s+all\\s+confirmed$`));
      const atSns = (await snsSubscriptions(sns, topic.topicArn)).filter((s) => s.Protocol === 'sms');
      expect(atSns.map((s) => JSON.parse(s.attributes.FilterPolicy!))).toEqual([{ route: ['sub-sms-critical-r-chn-d3'] }]);
      expect(await run((out) => unsubscribeCommand(id, out))).toEqual([`Subscription ${id} removed, with its SNS subscription.`]);
      expect((await snsSubscriptions(sns, topic.topicArn)).filter((s) => s.Protocol === 'sms')).toEqual([]);
      await expect(run((out) => subscribeCommand({ email: 'a@example.org', sms: '+4915112345678' }, out))).rejects.toThrow(/name one subscriber/);
      await expect(run((out) => subscribeCommand({ email: 'a@example.org', minSeverity: 'loud' }, out))).rejects.toThrow(/^--min-severity:/);
    });
  });
});
