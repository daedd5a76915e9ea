import { CfnOutput, Duration, RemovalPolicy, Size, Stack, TimeZone, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleGroup, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { filterPolicy, routeOf, routesOf, type Subscriber } from '../shared/domain/alerts/routing.js';
import { TABLE_DEFINITION, type KeyAttribute } from '../shared/store/table-definition.js';
import { ENV } from '../shared/config/variables.js';
import { INCOMING_PREFIX } from '../shared/ingest/drop-file.js';
import { OperationsAlarms } from './constructs/operations-alarms.js';
import { ConsoleSite } from './constructs/console-site.js';
import { MANAGE_ROUTES, QUERY_ROUTES, splitRoute } from '../shared/query/console-routes.js';
import { TradewatchFunction } from './constructs/tradewatch-function.js';
import type { DeployConfig } from './deploy-config.js';

export interface TradewatchStackProps extends StackProps {
  readonly config: DeployConfig;
}

function cdkAttribute(key: KeyAttribute): dynamodb.Attribute {
  return { name: key.name, type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER };
}

function subscriptionProps(subscriber: Subscriber, topic: sns.ITopic, deadLetterQueue: sqs.IQueue): sns.SubscriptionProps {
  // The job decides per route what is due (severity, partners, digest); the filter picks the route.
  const policy = filterPolicy(routeOf(subscriber));
  return {
    topic,
    // sns.Subscription rather than Email/SmsSubscription: the SMS helper drops the dead-letter queue.
    protocol: subscriber.protocol === 'email' ? sns.SubscriptionProtocol.EMAIL : sns.SubscriptionProtocol.SMS,
    endpoint: subscriber.endpoint,
    filterPolicy: Object.fromEntries(
      Object.entries(policy).map(([name, values]) => [name, sns.SubscriptionFilter.stringFilter({ allowlist: values })]),
    ),
    deadLetterQueue,
  };
}

/** Receives of a work item before it goes to the dead-letter queue: each one a real failure. */
export const WORK_ITEM_ATTEMPTS = 5;
/** Retries of a dropped file's event after the first attempt, before it goes to DropFailures. */
export const DROP_RETRIES = 2;
/** A work item older than this means the workers are stuck (a global backfill takes hours, not a day). */
const WORK_QUEUE_MAX_AGE = Duration.hours(12);


/** tradewatch in one AWS account: schedule → ingest → store → detect → alert. */
export class TradewatchStack extends Stack {
  readonly table: dynamodb.TableV2;
  readonly alertTopic: sns.Topic;
  readonly opsTopic: sns.Topic;
  readonly ingestFunction: NodejsFunction;
  readonly planFunction: NodejsFunction;
  readonly queryFunction: NodejsFunction;
  readonly dropFunction: NodejsFunction;
  readonly manageFunction: NodejsFunction;
  readonly dropBucket: s3.Bucket;
  readonly queryApi: apigw.HttpApi;
  readonly console: ConsoleSite;

  constructor(scope: Construct, id: string, props: TradewatchStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: cdkAttribute(TABLE_DEFINITION.partitionKey),
      sortKey: cdkAttribute(TABLE_DEFINITION.sortKey),
      globalSecondaryIndexes: TABLE_DEFINITION.globalIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: cdkAttribute(index.partitionKey),
        sortKey: cdkAttribute(index.sortKey),
      })),
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const topicKey = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the tradewatch alert and ops topics',
      enableKeyRotation: true,
    });
    // CloudWatch alarms of this account (and no other) publish to the encrypted ops topic: they need
    // the key, and the topic's permission.
    const fromOwnAlarms = {
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      conditions: {
        StringEquals: { 'aws:SourceAccount': this.account },
        ArnLike: { 'aws:SourceArn': `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*` },
      },
    };
    topicKey.addToResourcePolicy(new iam.PolicyStatement({ ...fromOwnAlarms, actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['*'] }));
    this.alertTopic = new sns.Topic(this, 'AlertTopic', { displayName: 'tradewatch alerts', masterKey: topicKey, enforceSSL: true });
    this.opsTopic = new sns.Topic(this, 'OpsTopic', { displayName: 'tradewatch operations', masterKey: topicKey, enforceSSL: true });
    this.opsTopic.addToResourcePolicy(new iam.PolicyStatement({ ...fromOwnAlarms, actions: ['sns:Publish'], resources: [this.opsTopic.topicArn] }));
    // Alerts SNS could not deliver (bounced e-mail, unreachable phone) are kept here, not lost.
    const deliveryFailures = new sqs.Queue(this, 'AlertDeliveryFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    config.subscribers.forEach((subscriber, index) => {
      new sns.Subscription(this, `Subscriber${index}`, subscriptionProps(subscriber, this.alertTopic, deliveryFailures));
    });
    if (config.opsEmail) {
      new sns.Subscription(this, 'OpsSubscriber', {
        topic: this.opsTopic,
        protocol: sns.SubscriptionProtocol.EMAIL,
        endpoint: config.opsEmail,
        deadLetterQueue: deliveryFailures,
      });
    }

    const logRetention = config.logRetentionDays as logs.RetentionDays;
    // Every function judges and lists the same way: the watchlist as written (`*` unexpanded, so
    // it fits the environment), the detection settings and the partner groups.
    const watched = {
      [ENV.watchlist]: JSON.stringify(config.watchlist),
      [ENV.detection]: JSON.stringify(config.detection),
      [ENV.groups]: JSON.stringify(config.groups),
      [ENV.runSchedule]: JSON.stringify(config.schedule),
    };

    // Scale-out: the planner splits each scheduled run into work items on a queue; ingest workers
    // take them one at a time, as many at once as the upstream rate limit allows.
    const workDeadLetters = new sqs.Queue(this, 'WorkDeadLetters', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    const workQueue = new sqs.Queue(this, 'WorkQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the worker's timeout, as Lambda advises for SQS sources.
      visibilityTimeout: Duration.minutes(90),
      retentionPeriod: Duration.days(4),
      // With the event source's maximum concurrency no higher than the reserved concurrency, no receive
      // is throttled, so each receive counted here is a real attempt that failed.
      deadLetterQueue: { queue: workDeadLetters, maxReceiveCount: WORK_ITEM_ATTEMPTS },
    });

    // Workers at once: the event source's maximum concurrency (at least 2, as SQS event sources
    // require). The upstream rate limit is per key, so workers share one pace kept in the table.
    const workers = Math.max(2, config.upstreamConcurrency);
    const ingest = new TradewatchFunction(this, 'Ingest', {
      entry: 'ingest',
      description: 'Ingest worker: one work item (reporter, partners, months) from UN Comtrade or Eurostat Comext into the table, then detect and alert',
      timeout: Duration.minutes(15),
      logRetention,
      // Capacity for exactly as many workers as the event source may run: none is ever throttled.
      reservedConcurrentExecutions: workers,
      environment: {
        ...watched,
        [ENV.alertLookbackMonths]: String(config.alertLookbackMonths),
        [ENV.comtradeDailyCallBudget]: String(config.comtradeDailyCallBudget),
        [ENV.routes]: JSON.stringify(routesOf(config.subscribers).filter((route) => route.digestAbove !== Infinity)),
        ...(config.comtradeApiKeySecret ? { [ENV.comtradeApiKeySecret]: config.comtradeApiKeySecret } : {}),
      },
    })
      .bind(this.table, 'write')
      .bindTopic(this.alertTopic, topicKey);
    this.ingestFunction = ingest.function;
    this.ingestFunction.addEventSource(new SqsEventSource(workQueue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency: workers }));
    Validations.of(this.ingestFunction).acknowledge(
      { id: 'Serverless::Serverless-LambdaDLQ', reason: 'Polled from the work queue: failed items go to WorkDeadLetters through the queue redrive policy.' },
      { id: 'Serverless::Serverless-LambdaAsyncFailureDestination', reason: 'Never invoked asynchronously: the SQS event source polls it.' },
      {
        id: 'Serverless::Serverless-LambdaEventSourceMappingDestination',
        reason: 'SQS event source mappings take no on-failure destination; the work queue redrives failed items to WorkDeadLetters.',
      },
    );
    if (config.comtradeApiKeySecret) {
      // Referenced by name, never created here: the key is put in the secret by hand (README), so it is in no template.
      secretsmanager.Secret.fromSecretNameV2(this, 'ComtradeApiKey', config.comtradeApiKeySecret).grantRead(ingest.role);
    }

    const planFailures = new sqs.Queue(this, 'PlanFailures', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    const plan = new TradewatchFunction(this, 'Plan', {
      entry: 'plan',
      description: 'Scheduled run planner: splits the watchlist into work items on the work queue, and queues the history the watched series miss within the daily call budget',
      // A global watchlist's first run stores tens of thousands of backfill states.
      timeout: Duration.minutes(5),
      logRetention,
      // A failed run is retried once by Lambda (planning is idempotent), then kept for inspection.
      retryAttempts: 1,
      onFailure: new SqsDestination(planFailures),
      environment: {
        [ENV.watchlist]: JSON.stringify(config.watchlist),
        [ENV.comtradeDailyCallBudget]: String(config.comtradeDailyCallBudget),
        [ENV.comextDailyCallBudget]: String(config.comextDailyCallBudget),
      },
    })
      .bindQueue(workQueue)
      // Backfill states and the day's call budget.
      .bind(this.table, 'write');
    this.planFunction = plan.function;
    Validations.of(this.planFunction).acknowledge({
      id: 'Serverless::Serverless-LambdaDLQ',
      reason: 'Failed asynchronous invocations go to the PlanFailures queue through an on-failure destination, which keeps more context than a DLQ.',
    });

    const scheduleDeadLetters = new sqs.Queue(this, 'ScheduleDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'EventBridge Scheduler invoking the tradewatch planner',
    });
    Validations.of(schedulerRole).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.planFunction.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason: 'LambdaInvoke grants lambda:InvokeFunction on the planner and its versions (ARN:*): one named function.',
    });
    const scheduleGroup = new ScheduleGroup(this, 'Schedules', { scheduleGroupName: `${this.stackName}-runs`.toLowerCase() });
    const runs = [
      { id: 'DailyRun', run: 'daily', day: undefined, what: 'Daily run in the release window: fetches only what UN Comtrade says was released' },
      { id: 'MonthlyRefresh', run: 'monthly-refresh', day: String(config.schedule.monthlyRefreshDay), what: 'Monthly full refresh of the trailing window' },
    ] as const;
    for (const { id, run, day, what } of runs) {
      new Schedule(this, id, {
        description: `${what}; the scheduled time is its idempotency key`,
        scheduleGroup,
        schedule: ScheduleExpression.cron({
          hour: String(config.schedule.hour),
          minute: String(config.schedule.minute),
          ...(day ? { day } : {}),
          timeZone: TimeZone.of(config.schedule.timeZone),
        }),
        target: new LambdaInvoke(this.planFunction, {
          input: ScheduleTargetInput.fromObject({ run, scheduledTime: ContextAttribute.scheduledTime }),
          retryAttempts: 2,
          maxEventAge: Duration.hours(6),
          deadLetterQueue: scheduleDeadLetters,
          role: schedulerRole,
        }),
      });
    }
    // The drop bucket: a CSV put under incoming/ is imported, detected and alerted by the drop
    // function, then moved to done/ or rejected/ with a report beside it.
    const dropFailures = new sqs.Queue(this, 'DropFailures', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    // Named, so the function's policy and the invoke permission name it without referring to the
    // bucket, whose notification refers to the function (no cycle, and no custom resource to set it).
    const dropBucketName = `${this.stackName.toLowerCase().slice(0, 24)}-drop-${this.account}-${this.region}`;
    const drop = new TradewatchFunction(this, 'Drop', {
      entry: 'drop',
      description: 'Drop bucket: a CSV put under incoming/ is imported, detected and alerted, then moved to done/ or rejected/ with a report',
      // Storing runs at DynamoDB's pace (see README, Deploy): the longest a Lambda may run.
      timeout: Duration.minutes(15),
      // More memory is more CPU for the checking pass; the file is downloaded to /tmp whole.
      memorySize: 1024,
      ephemeralStorageSize: Size.gibibytes(2),
      logRetention,
      // A failed file (the table or topic unreachable) is tried again; each attempt resumes the last.
      retryAttempts: DROP_RETRIES,
      onFailure: new SqsDestination(dropFailures),
      environment: {
        ...watched,
        [ENV.alertLookbackMonths]: String(config.alertLookbackMonths),
        [ENV.routes]: JSON.stringify(routesOf(config.subscribers).filter((route) => route.digestAbove !== Infinity)),
      },
    })
      .bind(this.table, 'write')
      .bindTopic(this.alertTopic, topicKey)
      .bindDropBucket(dropBucketName);
    this.dropFunction = drop.function;
    Validations.of(this.dropFunction).acknowledge({
      id: 'Serverless::Serverless-LambdaDLQ',
      reason: 'Failed asynchronous invocations (S3 events) go to the DropFailures queue through an on-failure destination, which keeps more context than a DLQ.',
    });
    Validations.of(drop.role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${dropBucketName.replace(this.account, '<AWS::AccountId>').replace(this.region, '<AWS::Region>')}/*]`,
      reason: 'The objects of the one drop bucket: files arrive under any name in incoming/ and are moved to done/ or rejected/.',
    });
    this.dropBucket = new s3.Bucket(this, 'DropBucket', {
      bucketName: dropBucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'ExpireDone', prefix: 'done/', expiration: Duration.days(config.dropRetentionDays) },
        { id: 'ExpireRejected', prefix: 'rejected/', expiration: Duration.days(config.dropRetentionDays) },
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });
    Validations.of(this.dropBucket).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason:
        'No server access logs: the drop function logs every file it handles (name, outcome, rows, alerts) and leaves a report beside it; a log bucket would itself need one. Turn on CloudTrail S3 data events for who uploaded what.',
    });
    const invokedByBucket = new lambda.CfnPermission(this, 'DropBucketInvokes', {
      action: 'lambda:InvokeFunction',
      functionName: this.dropFunction.functionArn,
      principal: 's3.amazonaws.com',
      sourceAccount: this.account,
      sourceArn: `arn:${this.partition}:s3:::${dropBucketName}`,
    });
    // S3 suffix filters are case-sensitive: a spreadsheet saved as CSV on Windows is often NAME.CSV.
    (this.dropBucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      lambdaConfigurations: ['.csv', '.CSV'].map((suffix) => ({
        event: 's3:ObjectCreated:*',
        function: this.dropFunction.functionArn,
        filter: { s3Key: { rules: [{ name: 'prefix', value: INCOMING_PREFIX }, { name: 'suffix', value: suffix }] } },
      })),
    };
    // S3 checks that it may invoke the function when the notification is set.
    this.dropBucket.node.defaultChild!.node.addDependency(invokedByBucket);

    for (const deadLetters of [scheduleDeadLetters, planFailures, workDeadLetters, deliveryFailures, dropFailures]) {
      Validations.of(deadLetters).acknowledge(
        { id: 'AwsSolutions::AwsSolutions-SQS3', reason: 'This queue is itself a dead-letter queue (of the schedule, the planner, the work queue or the alert subscriptions).' },
        { id: 'Serverless::Serverless-SQSRedrivePolicy', reason: 'A dead-letter queue has no dead-letter queue of its own; an alarm watches its depth.' },
      );
    }

    // The query API: read-only, IAM-authorized (callers sign with SigV4 and need execute-api:Invoke).
    const query = new TradewatchFunction(this, 'Query', {
      entry: 'query',
      description: 'HTTP API: stored and derived series, observations as of a date, charts, alerts',
      timeout: Duration.seconds(15),
      logRetention,
      // The detection settings too: charts mark what the ingest worker would alert; the schedule and budget for GET /status.
      environment: { ...watched, [ENV.comtradeDailyCallBudget]: String(config.comtradeDailyCallBudget), [ENV.comextDailyCallBudget]: String(config.comextDailyCallBudget) },
    }).bind(this.table, 'read');
    this.queryFunction = query.function;
    Validations.of(this.queryFunction).acknowledge(
      { id: 'Serverless::Serverless-LambdaDLQ', reason: 'Invoked synchronously by API Gateway: the caller gets the error; there is no event to keep.' },
      { id: 'Serverless::Serverless-LambdaAsyncFailureDestination', reason: 'Invoked synchronously by API Gateway only.' },
    );
    const accessLogs = new logs.LogGroup(this, 'QueryApiAccessLogs', { retention: config.logRetentionDays as logs.RetentionDays, removalPolicy: RemovalPolicy.DESTROY });
    this.queryApi = new apigw.HttpApi(this, 'QueryApi', {
      description: 'tradewatch query API (IAM authorization)',
      defaultAuthorizer: new HttpIamAuthorizer(),
      createDefaultStage: false,
    });
    new apigw.HttpStage(this, 'QueryApiStage', {
      httpApi: this.queryApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs), format: AccessLogFormat.jsonWithStandardFields() },
    });
    const integration = new HttpLambdaIntegration('QueryIntegration', this.queryFunction);
    for (const route of QUERY_ROUTES) this.queryApi.addRoutes({ path: splitRoute(route).path, methods: [apigw.HttpMethod.GET], integration });

    // The manage API: the watchlist and the subscriptions in the table, changed without a deploy.
    // Reads for any caller the API lets in; writes only for IAM-signed callers and console admins (checked in the function).
    const manage = new TradewatchFunction(this, 'Manage', {
      entry: 'manage',
      description: 'Manage API: the watchlist (each change previewed: calls and cost) and the e-mail and SMS subscriptions, stored in the table',
      timeout: Duration.seconds(15),
      memorySize: 256,
      logRetention,
      // The deploy's watchlist seeds the table's once; the budgets are what a preview divides.
      environment: { ...watched, [ENV.comtradeDailyCallBudget]: String(config.comtradeDailyCallBudget), [ENV.comextDailyCallBudget]: String(config.comextDailyCallBudget) },
    })
      .bind(this.table, 'manage')
      .bindSubscriptions(this.alertTopic);
    this.manageFunction = manage.function;
    Validations.of(this.manageFunction).acknowledge(
      { id: 'Serverless::Serverless-LambdaDLQ', reason: 'Invoked synchronously by API Gateway: the caller gets the error; there is no event to keep.' },
      { id: 'Serverless::Serverless-LambdaAsyncFailureDestination', reason: 'Invoked synchronously by API Gateway only.' },
    );
    Validations.of(manage.role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.alertTopic.node.defaultChild as CfnElement)}>:*]`,
      reason: "The alert topic's own subscriptions (<topic ARN>:<id>), which Unsubscribe and GetSubscriptionAttributes name: their ids are SNS's, known only once subscribed.",
    });
    const manageIntegration = new HttpLambdaIntegration('ManageIntegration', this.manageFunction);
    for (const route of MANAGE_ROUTES) {
      const { method, path } = splitRoute(route);
      this.queryApi.addRoutes({ path, methods: [apigw.HttpMethod[method as keyof typeof apigw.HttpMethod]], integration: manageIntegration });
    }
    // The web console: its own copies of the routes (reads and the manage API's), for people signed in with Cognito.
    this.console = new ConsoleSite(this, 'Console', { httpApi: this.queryApi, queryIntegration: integration, manageIntegration, groups: config.groups, signInDomainPrefix: `tradewatch-${this.account}` });

    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'npx tradewatch --table <this> … queries it' });
    new CfnOutput(this, 'QueryApiUrl', { value: this.queryApi.apiEndpoint, description: 'SigV4-signed GET /series, /series/{id}/observations, /series/{id}/chart, /alerts, /status; GET/POST /watchlist, POST /watchlist/preview, DELETE /watchlist/{id}, GET/POST /subscriptions, DELETE /subscriptions/{id}' });
    new CfnOutput(this, 'DropBucketName', { value: this.dropBucket.bucketName, description: `put a CSV under ${INCOMING_PREFIX} to import it: aws s3 cp FILE.csv s3://<this>/${INCOMING_PREFIX}` });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alertTopic.topicArn, description: 'subscribe machine consumers with the filter policy {"route":["feed"]}' });

    new OperationsAlarms(this, 'Alarms', {
      opsTopic: this.opsTopic,
      functions: { plan: this.planFunction, ingest: this.ingestFunction, query: this.queryFunction, drop: this.dropFunction, manage: this.manageFunction },
      workQueue,
      deadLetters: [
        { id: 'ScheduleDeadLettersAlarm', queue: scheduleDeadLetters, what: 'A scheduled run could not be delivered to the planner' },
        { id: 'PlanFailuresAlarm', queue: planFailures, what: 'A scheduled run could not be planned' },
        { id: 'WorkDeadLettersAlarm', queue: workDeadLetters, what: `A work item failed ${WORK_ITEM_ATTEMPTS} times` },
        { id: 'AlertDeliveryFailuresAlarm', queue: deliveryFailures, what: 'SNS could not deliver an alert to a subscriber' },
        { id: 'DropFailuresAlarm', queue: dropFailures, what: `A dropped file failed ${DROP_RETRIES + 1} times and is still in incoming/` },
      ],
      alertTopic: this.alertTopic,
      scheduleGroupName: scheduleGroup.scheduleGroupName,
      queryApi: this.queryApi,
      freshnessDays: config.alarms.freshnessDays,
      smsSpendUsd: config.alarms.smsSpendUsd,
      workQueueMaxAgeSeconds: WORK_QUEUE_MAX_AGE.toSeconds(),
    });
  }
}
