import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { DeployConfigError, parseDeployConfig } from '../../infra/deploy-config.js';
import { TradewatchStack } from '../../infra/tradewatch-stack.js';
import { TABLE_DEFINITION } from '../../shared/store/table-definition.js';
import { MANAGE_ROUTES, QUERY_ROUTES } from '../../shared/query/console-routes.js';

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** An app that synthesizes offline without bundling, into a temporary folder, with cdk-nag on. */
function synth(context: Record<string, unknown> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'tradewatch-cdk-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new TradewatchStack(app, 'Tradewatch', { config: parseDeployConfig(app.node.tryGetContext('tradewatch')) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stack, template: Template.fromStack(stack) };
}

const subscribers = {
  tradewatch: {
    subscribers: [
      { protocol: 'email', endpoint: 'analyst@example.org' },
      { protocol: 'sms', endpoint: '+4915112345678' },
      { protocol: 'email', endpoint: 'kz-desk@example.org', minSeverity: 'info', partners: ['KAZ'] },
    ],
    comtradeApiKeySecret: 'tradewatch/comtrade-key',
    opsEmail: 'ops@example.org',
  },
};

describe('the tradewatch stack', () => {
  const { template, app } = synth(subscribers);

  it('keeps the data: on-demand table from the shared definition, PITR, deletion protection, retained', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: TABLE_DEFINITION.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: TABLE_DEFINITION.sortKey.name, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          Match.objectLike({ IndexName: 'gsi1' }),
          Match.objectLike({ IndexName: 'gsi2', KeySchema: [{ AttributeName: 'sk', KeyType: 'HASH' }, { AttributeName: 'seriesId', KeyType: 'RANGE' }] }),
          // Series by partner (detection's cross-reporter peers), keyed on the metadata's own attributes: DynamoDB fills it when it is added.
          Match.objectLike({ IndexName: 'gsi3', KeySchema: [{ AttributeName: 'partner', KeyType: 'HASH' }, { AttributeName: 'seriesId', KeyType: 'RANGE' }] }),
        ],
        Replicas: [Match.objectLike({ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      }),
    });
  });

  it('encrypts the alert topic with a rotating KMS key and refuses publishing without TLS', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'tradewatch alerts', KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it("subscribes e-mail and SMS each to its route, and tells the function every route's rules", () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'analyst@example.org', FilterPolicy: { route: ['email-warning-d5'] } });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sms', FilterPolicy: { route: ['sms-critical-d3'] } });
    template.hasResourceProperties('AWS::SNS::Subscription', { Endpoint: 'kz-desk@example.org', FilterPolicy: { route: ['email-info-kaz-d5'] } });
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((f) => String(f.Properties.Description).startsWith('Ingest worker'))!;
    expect(JSON.parse(fn.Properties.Environment.Variables.ROUTES)).toEqual([
      { id: 'email-warning-d5', minSeverity: 'warning', digestAbove: 5 },
      { id: 'sms-critical-d3', minSeverity: 'critical', digestAbove: 3 },
      { id: 'email-info-kaz-d5', minSeverity: 'info', partners: ['KAZ'], digestAbove: 5 },
    ]);
  });

  it('runs the ingest function on arm64 with a recent Node, explicit memory, timeout and logs', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: Match.stringLikeRegexp('^nodejs(22|24)\\.x$'),
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 900,
      // No X-Ray: each function is one hop (schedule → planner, queue → worker) whose logs carry the request id; no Tracer is used.
      TracingConfig: Match.absent(),
      Environment: { Variables: Match.objectLike({ COMTRADE_API_KEY_SECRET: 'tradewatch/comtrade-key' }) },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('serves the query API with IAM authorization on every route, read-only access for its function, JSON access logs', () => {
    // The machines' routes: the query function's read-only ones and the manage function's (the watchlist and subscriptions);
    // the console's copies under /console carry a JWT authorizer (see the web console below).
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter((r) => !String(r.Properties.RouteKey).includes(' /console/'));
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual([
      'DELETE /subscriptions/{id}',
      'DELETE /watchlist/{id}',
      'GET /alerts',
      'GET /alerts/{key}',
      'GET /series',
      'GET /series/{id}/chart',
      'GET /series/{id}/observations',
      'GET /status',
      'GET /subscriptions',
      'GET /watchlist',
      'POST /subscriptions',
      'POST /watchlist',
      'POST /watchlist/preview',
    ]);
    for (const route of routes) expect(route.Properties.AuthorizationType).toBe('AWS_IAM');
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') } });
    const queryPolicy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('QueryRole'))![1];
    const actions = (queryPolicy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
  });

  it('serves the manage API from its own function: IAM routes, the table with deletes, SNS subscription calls on the alert topic only', () => {
    const fnId = Object.keys(template.findResources('AWS::Lambda::Function')).find((id) => id.startsWith('ManageFunction'))!;
    const integrations = Object.entries(template.findResources('AWS::ApiGatewayV2::Integration'))
      .filter(([, i]) => JSON.stringify(i.Properties.IntegrationUri).includes(fnId))
      .map(([id]) => id);
    const manageRoutes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'))
      .filter((r) => integrations.some((id) => JSON.stringify(r.Properties.Target).includes(id)))
      // The console's JWT-authorized copies under /console are asserted with the web console below.
      .filter((r) => !String(r.Properties.RouteKey).includes(' /console/'));
    expect(manageRoutes.map((r) => r.Properties.RouteKey).sort()).toEqual(['DELETE /subscriptions/{id}', 'DELETE /watchlist/{id}', 'GET /subscriptions', 'GET /watchlist', 'POST /subscriptions', 'POST /watchlist', 'POST /watchlist/preview']);
    for (const route of manageRoutes) expect(route.Properties.AuthorizationType).toBe('AWS_IAM');
    const policy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('ManageRole'))![1];
    const statements = policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[];
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    const snsStatement = statements.find((s) => [s.Action].flat().some((a) => a.startsWith('sns:')))!;
    expect([snsStatement.Action].flat().sort()).toEqual(['sns:GetSubscriptionAttributes', 'sns:ListSubscriptionsByTopic', 'sns:Subscribe', 'sns:Unsubscribe']);
    const topicId = Object.keys(template.findResources('AWS::SNS::Topic')).find((id) => id.startsWith('AlertTopic'))!;
    expect(snsStatement.Resource).toEqual([{ Ref: topicId }, { 'Fn::Join': ['', [{ Ref: topicId }, ':*']] }]);
    // It may not publish: subscribing is all it does on the topic.
    expect(actions).not.toContain('sns:Publish');
    const manage = template.findResources('AWS::Lambda::Function')[fnId]!.Properties.Environment.Variables;
    expect(manage.ALERT_TOPIC_ARN).toEqual({ Ref: topicId });
    expect(manage.WATCHLIST).toBeDefined();
    expect(manage.COMTRADE_DAILY_CALL_BUDGET).toBe('450');
  });

  it('gives the query function the deploy\'s watchlist and detection settings, so its charts mark what ingest would alert', () => {
    const stack = synth({ tradewatch: { detection: { zThreshold: 4 } } }).template;
    const functions = Object.values(stack.findResources('AWS::Lambda::Function')).map((f) => f.Properties as { Description: string; Environment: { Variables: Record<string, unknown> } });
    const query = functions.find((f) => f.Description.startsWith('HTTP API'))!;
    const ingest = functions.find((f) => f.Description.startsWith('Ingest worker'))!;
    expect(query.Environment.Variables.DETECTION).toEqual(ingest.Environment.Variables.DETECTION);
    expect(JSON.parse(String(query.Environment.Variables.DETECTION))).toMatchObject({ zThreshold: 4 });
    // GET /status tells the next runs and today's budget as the stack schedules and sets them.
    expect(JSON.parse(String(query.Environment.Variables.RUN_SCHEDULE))).toEqual({ hour: 10, minute: 0, timeZone: 'Asia/Shanghai', monthlyRefreshDay: 25 });
    expect(query.Environment.Variables.COMTRADE_DAILY_CALL_BUDGET).toBe('450');
    expect(query.Environment.Variables.COMEXT_DAILY_CALL_BUDGET).toBe('1000');
    expect(query.Environment.Variables.WATCHLIST).toEqual(ingest.Environment.Variables.WATCHLIST);
  });

  it('never puts the Comtrade key itself in the template: the ingest role may only read the named secret', () => {
    expect(JSON.stringify(template.toJSON())).not.toMatch(/COMTRADE_API_KEY"/);
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const secretReads = statements.filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
    expect(secretReads).toHaveLength(1);
    expect(JSON.stringify(secretReads[0]!.Resource)).toMatch(/:secret:tradewatch\/comtrade-key-\?{6}/);
  });

  it('schedules a daily run in a time zone, with retries and a dead-letter queue, passing the scheduled time', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 10 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: Match.objectLike({
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 },
        DeadLetterConfig: { Arn: Match.anyValue() },
        Input: Match.serializedJson({ run: 'daily', scheduledTime: '<aws.scheduler.scheduled-time>' }),
      }),
    });
  });

  it('keeps alerts SNS could not deliver in a dead-letter queue', () => {
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription'));
    expect(subscriptions).toHaveLength(4);
    for (const subscription of subscriptions) expect(subscription.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: expect.anything() });
  });

  /** Each metric an alarm may watch, with the dimensions its publisher documents (or, for tradewatch's own, logs as EMF). */
  const DOCUMENTED_METRICS: Record<string, Record<string, string[]>> = {
    'AWS/Lambda': { Errors: ['FunctionName'], Throttles: ['FunctionName'] },
    'AWS/SQS': { ApproximateNumberOfMessagesVisible: ['QueueName'], ApproximateAgeOfOldestMessage: ['QueueName'] },
    'AWS/Scheduler': { TargetErrorCount: ['ScheduleGroup'] },
    // SMSMonthToDateSpentUSD is account-wide: SNS publishes it with no dimension at all.
    'AWS/SNS': { NumberOfNotificationsFailed: ['TopicName'], SMSMonthToDateSpentUSD: [] },
    'AWS/ApiGateway': { '5xx': ['ApiId'] },
    // Powertools Metrics: the namespace and the `service` dimension (checked against the bundle's EMF in the bundle test).
    tradewatch: { DaysSinceNewData: ['service'] },
  };

  it('alarms, to the ops topic, only on metrics that exist with the dimensions they are published with', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toHaveLength(1);
      const dimensions = ((alarm.Dimensions ?? []) as { Name: string }[]).map((d) => d.Name).sort();
      expect(DOCUMENTED_METRICS[alarm.Namespace]?.[alarm.MetricName], `${alarm.Namespace} ${alarm.MetricName}`).toEqual(dimensions);
    }
    const watched = alarms.map((a) => `${a.Namespace} ${a.MetricName}`);
    const count = (metric: string) => watched.filter((w) => w === metric).length;
    expect(count('AWS/Lambda Errors')).toBe(5);
    expect(count('AWS/Lambda Throttles')).toBe(5);
    expect(count('AWS/SQS ApproximateNumberOfMessagesVisible')).toBe(5);
    for (const metric of ['AWS/SQS ApproximateAgeOfOldestMessage', 'AWS/Scheduler TargetErrorCount', 'AWS/SNS NumberOfNotificationsFailed', 'AWS/SNS SMSMonthToDateSpentUSD', 'AWS/ApiGateway 5xx', 'tradewatch DaysSinceNewData']) {
      expect(count(metric), metric).toBe(1);
    }
    const byMetric = Object.fromEntries(alarms.map((a) => [a.MetricName, a]));
    expect(byMetric.SMSMonthToDateSpentUSD).toMatchObject({ Threshold: 20 });
    expect(byMetric.DaysSinceNewData).toMatchObject({ Threshold: 45, TreatMissingData: 'breaching', Dimensions: [{ Name: 'service', Value: 'ingest' }] });
  });

  it("lets only this account's CloudWatch alarms publish to the encrypted ops topic", () => {
    const fromAlarms = (statement: { Principal?: { Service?: string }; Condition?: Record<string, Record<string, unknown>> }) =>
      statement.Principal?.Service === 'cloudwatch.amazonaws.com';
    const topicPolicy = Object.values(template.findResources('AWS::SNS::TopicPolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const publish = topicPolicy.filter(fromAlarms);
    expect(publish).toHaveLength(1);
    expect(publish[0]).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } });
    const keyPolicy = Object.values(template.findResources('AWS::KMS::Key')).flatMap((k) => k.Properties.KeyPolicy.Statement);
    const decrypt = keyPolicy.filter(fromAlarms);
    expect(decrypt).toHaveLength(1);
    expect(decrypt[0]).toMatchObject({ Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } });
  });

  it('scales out: schedules start the planner, which queues work items that ingest workers take one at a time', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 5400, RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 } });
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('^Ingest worker'), Timeout: 900 });
    const functions = template.findResources('AWS::Lambda::Function');
    const planner = Object.entries(functions).find(([, f]) => String(f.Properties.Description).startsWith('Scheduled run planner'))!;
    const targets = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((s) => JSON.stringify(s.Properties.Target.Arn));
    for (const target of targets) expect(target).toContain(planner[0]);
    const planPolicy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('PlanRole'))![1];
    const actions = (planPolicy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) => [s.Action].flat());
    // The planner queues (work items; its own failures via its destination) and keeps the backfill states and the day's call budget in the table: no topic, no delete.
    expect(actions.filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:')).sort()).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
      'sqs:SendMessage',
    ]);
    const environment = functions[planner[0]]!.Properties.Environment.Variables;
    expect(environment).toMatchObject({ TABLE_NAME: expect.anything(), COMTRADE_DAILY_CALL_BUDGET: '450', WATCHLIST: expect.stringContaining('"historyMonths":60') });
  });

  it('takes a global watchlist as a configuration change that fits in a Lambda environment (4 KB)', () => {
    const { template: global } = synth({ tradewatch: { watchlist: { entries: [{ reporter: '*', partners: '*', commodity: 'AG2' }] } } });
    for (const fn of Object.values(global.findResources('AWS::Lambda::Function'))) {
      expect(JSON.stringify(fn.Properties.Environment.Variables).length).toBeLessThan(4096);
    }
  });

  it('never throttles a work item into the dead-letter queue: the event source runs at most as many workers as are reserved', () => {
    for (const [upstreamConcurrency, workers] of [[1, 2], [3, 3]] as const) {
      const { template: deployed } = synth({ tradewatch: { upstreamConcurrency } });
      const mapping = Object.values(deployed.findResources('AWS::Lambda::EventSourceMapping'))[0]!.Properties;
      expect(mapping).toMatchObject({ BatchSize: 1, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: workers } });
      const ingest = Object.values(deployed.findResources('AWS::Lambda::Function')).find((f) => String(f.Properties.Description).startsWith('Ingest worker'))!;
      // Lambda polls with several batches at once; with fewer reserved instances the extra receives are throttled and count toward maxReceiveCount.
      expect(ingest.Properties.ReservedConcurrentExecutions).toBeGreaterThanOrEqual(mapping.ScalingConfig.MaximumConcurrency);
    }
  });

  it('runs daily (only new releases) and a monthly full refresh, both in the configured time zone', () => {
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties);
    expect(schedules.map((s) => s.ScheduleExpression).sort()).toEqual(['cron(0 10 * * ? *)', 'cron(0 10 25 * ? *)']);
    expect(schedules.map((s) => JSON.parse(s.Target.Input).run).sort()).toEqual(['daily', 'monthly-refresh']);
  });

  it('grants named actions on named resources only: no wildcard actions, data access scoped to the table', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    for (const statement of statements) {
      for (const action of [statement.Action].flat()) expect(action, JSON.stringify(statement)).not.toMatch(/\*/);
      if ([statement.Action].flat().some((a) => a.startsWith('dynamodb:'))) {
        expect(JSON.stringify(statement.Resource)).toMatch(/Table/);
        expect(JSON.stringify(statement.Resource)).not.toMatch(/index\/\*/);
      }
    }
    // One per function, the scheduler's and the console deployment's (given its own role, so none of CDK's wildcard grants):
    // no other custom-resource role (the drop bucket's notification is set on the bucket itself).
    expect(Object.keys(template.findResources('AWS::IAM::Role'))).toHaveLength(7);
    expect(JSON.stringify(template.toJSON())).not.toContain('AWSLambdaBasicExecutionRole');
  });

  describe('the drop bucket', () => {
    const [bucketId, bucket] = Object.entries(template.findResources('AWS::S3::Bucket')).find(([id]) => id.startsWith('DropBucket'))!;
    const dropFunction = () => Object.entries(template.findResources('AWS::Lambda::Function')).find(([, f]) => String(f.Properties.Description).startsWith('Drop bucket'))!;

    it('is the one bucket, named for the stack, account and region, and retained with its files', () => {
      // The drop bucket and the console's (its built files only).
      expect(Object.keys(template.findResources('AWS::S3::Bucket')).map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['ConsoleBucket', 'DropBucket']);
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(JSON.stringify(bucket.Properties.BucketName)).toMatch(/tradewatch-drop-.*AWS::AccountId.*AWS::Region/);
      template.hasOutput('DropBucketName', { Value: { Ref: bucketId } });
    });

    it('is encrypted, blocks every kind of public access, and refuses requests without TLS', () => {
      expect(bucket.Properties.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });

    it('expires handled files after the configured days and abandoned multipart uploads after 7', () => {
      expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Prefix: 'done/', ExpirationInDays: 90, Status: 'Enabled' }),
          expect.objectContaining({ Prefix: 'rejected/', ExpirationInDays: 90, Status: 'Enabled' }),
          expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }),
        ]),
      );
      const { template: shorter } = synth({ tradewatch: { dropRetentionDays: 30 } });
      const rules = Object.values(shorter.findResources('AWS::S3::Bucket'))[0]!.Properties.LifecycleConfiguration.Rules as { Prefix?: string; ExpirationInDays?: number }[];
      expect(rules.filter((rule) => rule.Prefix).map((rule) => rule.ExpirationInDays)).toEqual([30, 30]);
      expect(() => parseDeployConfig({ dropRetentionDays: 0 })).toThrow(/dropRetentionDays/);
    });

    it('starts the drop function for CSV files created under incoming/ only, as S3 may (source account and bucket)', () => {
      const [fnId] = dropFunction();
      const configurations = bucket.Properties.NotificationConfiguration.LambdaConfigurations as { Event: string; Function: unknown; Filter: unknown }[];
      expect(configurations.map((c) => c.Filter)).toEqual(
        ['.csv', '.CSV'].map((suffix) => ({ S3Key: { Rules: [{ Name: 'prefix', Value: 'incoming/' }, { Name: 'suffix', Value: suffix }] } })),
      );
      for (const c of configurations) expect(c).toMatchObject({ Event: 's3:ObjectCreated:*', Function: { 'Fn::GetAtt': [fnId, 'Arn'] } });
      const [permissionId, permission] = Object.entries(template.findResources('AWS::Lambda::Permission')).find(([, p]) => p.Properties.Principal === 's3.amazonaws.com')!;
      expect(permission.Properties).toMatchObject({ FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] }, SourceAccount: { Ref: 'AWS::AccountId' } });
      expect(JSON.stringify(permission.Properties.SourceArn)).toMatch(/arn:.*:s3:::tradewatch-drop-/);
      // S3 checks the permission when the notification is set, so the bucket waits for it.
      expect(bucket.DependsOn).toContain(permissionId);
      expect(Object.keys(template.findResources('Custom::S3BucketNotifications'))).toHaveLength(0);
    });

    it('runs the drop function for 15 minutes with room for large files, retried twice, then kept in DropFailures with an alarm', () => {
      const [fnId, fn] = dropFunction();
      expect(fn.Properties).toMatchObject({ Timeout: 900, MemorySize: 1024, EphemeralStorage: { Size: 2048 }, Architectures: ['arm64'] });
      expect(fn.Properties.Environment.Variables).toMatchObject({ DROP_BUCKET: expect.anything(), TABLE_NAME: expect.anything(), ALERT_TOPIC_ARN: expect.anything(), ROUTES: expect.anything() });
      const [queueId] = Object.entries(template.findResources('AWS::SQS::Queue')).find(([id]) => id.startsWith('DropFailures'))!;
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fnId },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }] });
    });

    it("lets the drop function read, write and delete the bucket's objects and list it, and nothing else in S3", () => {
      const policy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('DropRole'))![1];
      const s3Statements = (policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]).filter((st) => [st.Action].flat().some((a) => a.startsWith('s3:')));
      expect(s3Statements.map((st) => [st.Action].flat().sort())).toEqual([['s3:DeleteObject', 's3:GetObject', 's3:PutObject'], ['s3:ListBucket']]);
      expect(JSON.stringify(s3Statements[0]!.Resource)).toMatch(/s3:::tradewatch-drop-.*\/\*"/);
      expect(JSON.stringify(s3Statements[1]!.Resource)).not.toContain('/*');
    });
  });

  it('passes cdk-nag (AwsSolutions and Serverless) with every acknowledgement giving its reason', () => {
    expect(() => app.synth()).not.toThrow();
  });
});

describe('the web console', () => {
  const { template } = synth(subscribers);
  const single = (type: string) => {
    const found = Object.entries(template.findResources(type));
    expect(found, type).toHaveLength(1);
    return found[0]!;
  };

  it('keeps its files in a private, encrypted, TLS-only bucket that only CloudFront reads, through origin access control', () => {
    const [bucketId, bucket] = Object.entries(template.findResources('AWS::S3::Bucket')).find(([id]) => id.startsWith('ConsoleBucket'))!;
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.Properties.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    const [oacId, oac] = single('AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    const [, distribution] = single('AWS::CloudFront::Distribution');
    const config = distribution.Properties.DistributionConfig;
    const s3Origin = config.Origins.find((o: { S3OriginConfig?: unknown }) => o.S3OriginConfig);
    expect(s3Origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(s3Origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    // The bucket policy: TLS only, and reads by CloudFront for this distribution alone.
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find((p) => JSON.stringify(p.Properties.Bucket).includes(bucketId))!;
    const statements = policy.Properties.PolicyDocument.Statement as { Effect: string; Principal: unknown; Action: unknown; Condition: Record<string, unknown> }[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const reads = statements.filter((st) => st.Effect === 'Allow');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } } });
  });

  it('serves HTTPS only with strict security headers: a CSP without inline scripts, HSTS, no framing', () => {
    const [, distribution] = single('AWS::CloudFront::Distribution');
    const config = distribution.Properties.DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) expect(['redirect-to-https', 'https-only']).toContain(behavior.ViewerProtocolPolicy);
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    const [, headers] = single('AWS::CloudFront::ResponseHeadersPolicy');
    const security = headers.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    // connect-src: the page's own origin (which carries the API's /console routes) and the sign-in domain, nothing else.
    expect(csp).toMatch(/connect-src 'self' https:\/\/.*auth.*amazoncognito/);
    expect(security.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true });
    expect(security.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
    expect(security.ContentTypeOptions).toMatchObject({ Override: true });
    // The API's console routes are on the same origin, over HTTPS only, never cached, with the Authorization header passed on.
    const api = config.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/console/*');
    expect(api).toMatchObject({ ViewerProtocolPolicy: 'https-only', CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac' });
  });

  it('lets people sign in only when an admin created them: no self sign-up, a strong password, MFA, an admins group', () => {
    const [, pool] = single('AWS::Cognito::UserPool');
    expect(pool.Properties.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(pool.Properties.Policies.PasswordPolicy).toMatchObject({ MinimumLength: 14, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true });
    expect(pool.Properties.MfaConfiguration).toBe('ON');
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins' });
    const [, client] = single('AWS::Cognito::UserPoolClient');
    expect(client.Properties).toMatchObject({ AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, GenerateSecret: false });
    expect(JSON.stringify(client.Properties.CallbackURLs)).toContain('DomainName');
  });

  it('puts a JWT authorizer (the user pool, the console client) on every console route, read and manage', () => {
    const [authorizerId, authorizer] = single('AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain('cognito-idp');
    const consoleRoutes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter((r) => String(r.Properties.RouteKey).includes(' /console/'));
    expect(consoleRoutes.map((r) => r.Properties.RouteKey).sort()).toEqual([...QUERY_ROUTES, ...MANAGE_ROUTES].map((route) => route.replace(' /', ' /console/')).sort());
    for (const route of consoleRoutes) expect(route.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
  });

  it('deploys the built console and a config.json naming the API path and the sign-in client', () => {
    const [, deployment] = single('Custom::CDKBucketDeployment');
    expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
    expect(deployment.Properties.DistributionPaths).toEqual(['/index.html', '/config.json']);
    template.hasOutput('ConsoleUrl', {});
  });
});

describe('deploy configuration', () => {
  it('fails synth with a message naming the bad value', () => {
    expect(() => parseDeployConfig({ subscribers: [{ protocol: 'pigeon', endpoint: 'x@y.z' }] })).toThrow(DeployConfigError);
    expect(() => parseDeployConfig({ subscribers: [{ protocol: 'pigeon', endpoint: 'x@y.z' }] })).toThrow(/subscribers\.0\.protocol/);
    expect(() => parseDeployConfig({ logRetentionDays: 45 })).toThrow(/logRetentionDays: must be one of/);
    expect(() => parseDeployConfig('{not json')).toThrow(/not valid JSON/);
    expect(() => synth({ tradewatch: { comtradeApiKeySecret: 'no spaces allowed' } })).toThrow(/comtradeApiKeySecret/);
  });

  it('accepts the context as a JSON string, as `cdk deploy -c tradewatch=…` passes it', () => {
    expect(parseDeployConfig(JSON.stringify({ opsEmail: 'ops@example.org' })).opsEmail).toBe('ops@example.org');
  });
});
