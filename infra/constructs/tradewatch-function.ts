import { fileURLToPath } from 'node:url';
import { Aws, RemovalPolicy, Validations, type Duration, type IResolvable, type Size } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, type IDestination } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/variables.js';
import { GSI1 } from '../../shared/store/table-definition.js';
import { FUNCTION_BUNDLING, type FUNCTION_NAMES } from './bundling.js';

/** A variable a function's configuration reads (shared/config/variables.ts). */
export type Variable = (typeof ENV)[keyof typeof ENV];

/** The item operations the repositories use: reading, reading and writing, and (the manage API's watchlist and subscription items) deleting too. */
const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  write: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
  manage: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
} as const;

export interface TradewatchFunctionProps {
  /** The handler's folder under functions/. */
  readonly entry: (typeof FUNCTION_NAMES)[number];
  readonly description: string;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly memorySize?: number;
  /** /tmp, for a function that downloads files (default 512 MiB). */
  readonly ephemeralStorageSize?: Size;
  readonly reservedConcurrentExecutions?: number;
  readonly retryAttempts?: number;
  readonly onFailure?: IDestination;
  /** Variables beyond the bound resources' (the watchlist, detection settings, routes). */
  readonly environment?: Partial<Record<Variable, string | IResolvable>>;
}

/** The SDK is bundled too (externalModules empty): a pinned, tree-shaken client beats the runtime's. */
const bundling = {
  format: OutputFormat.ESM,
  target: FUNCTION_BUNDLING.target,
  minify: FUNCTION_BUNDLING.minify,
  sourceMap: FUNCTION_BUNDLING.sourceMap,
  mainFields: [...FUNCTION_BUNDLING.mainFields],
  externalModules: [],
  banner: FUNCTION_BUNDLING.banner,
  esbuildArgs: { '--alias': Object.entries(FUNCTION_BUNDLING.alias).map(([module, replacement]) => `${module}=${replacement}`) },
};

/**
 * One tradewatch function: arm64 on a current Node, its own log group, and a role that may write
 * only there (not AWSLambdaBasicExecutionRole). Each `bind…` grants access to a resource and sets
 * the variable that names it, together, so a function never has one without the other.
 */
export class TradewatchFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: TradewatchFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: `tradewatch ${props.entry} function` });
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    this.function = new NodejsFunction(this, 'Function', {
      description: props.description,
      entry: fileURLToPath(new URL(`../../functions/${props.entry}/handler.ts`, import.meta.url)),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      role: this.role,
      logGroup,
      bundling,
      environment: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'tradewatch' },
      ...(props.ephemeralStorageSize ? { ephemeralStorageSize: props.ephemeralStorageSize } : {}),
      ...(props.reservedConcurrentExecutions ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions } : {}),
      ...(props.retryAttempts !== undefined ? { retryAttempts: props.retryAttempts } : {}),
      ...(props.onFailure ? { onFailure: props.onFailure } : {}),
    });
    Validations.of(this.function).acknowledge({
      id: 'Serverless::Serverless-LambdaTracing',
      reason: 'No X-Ray: each function is one hop (schedule to planner, queue to worker, API to query) whose structured logs carry the request id, and a tracer would add to every bundle.',
    });
    for (const [name, value] of Object.entries(props.environment ?? {})) if (value !== undefined) this.function.addEnvironment(name, String(value));
  }

  /** The table, read-only or read-write, on the table and its index only. */
  bind(table: dynamodb.ITableV2, access: keyof typeof TABLE_ACTIONS): this {
    this.role.addToPolicy(new iam.PolicyStatement({ actions: [...TABLE_ACTIONS[access]], resources: [table.tableArn, `${table.tableArn}/index/${GSI1}`] }));
    this.function.addEnvironment(ENV.tableName, table.tableName);
    return this;
  }

  /** Publishing to an encrypted topic: the topic and its key. */
  bindTopic(topic: sns.ITopic, key: kms.IKey): this {
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }));
    this.function.addEnvironment(ENV.alertTopicArn, topic.topicArn);
    return this;
  }

  /**
   * Reading, writing and deleting the objects of the bucket named `bucketName`. Named, not
   * referenced: the bucket's notification refers to this function, so the function's policy may
   * not refer back to the bucket. Listing too, so a key that is gone answers 404, not 403.
   */
  bindDropBucket(bucketName: string): this {
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${bucketName}`;
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [`${bucketArn}/*`] }));
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucketArn] }));
    this.function.addEnvironment(ENV.dropBucket, bucketName);
    return this;
  }

  /**
   * Subscribing e-mail and SMS endpoints to the topic and removing them (the manage API): on the
   * topic and its subscriptions (`<topic ARN>:<id>`), nothing else. No key: subscribing publishes nothing.
   */
  bindSubscriptions(topic: sns.ITopic): this {
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sns:Subscribe', 'sns:Unsubscribe', 'sns:GetSubscriptionAttributes', 'sns:ListSubscriptionsByTopic'],
        resources: [topic.topicArn, `${topic.topicArn}:*`],
      }),
    );
    this.function.addEnvironment(ENV.alertTopicArn, topic.topicArn);
    return this;
  }

  /** Sending work items to a queue. */
  bindQueue(queue: sqs.IQueue): this {
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    this.function.addEnvironment(ENV.workQueueUrl, queue.queueUrl);
    return this;
  }
}
