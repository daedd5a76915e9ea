import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FEED_ROUTE } from '../../shared/domain/alerts/routing.js';
import { sdkClientConfig } from '../../shared/aws/client-config.js';
import { loadDemoDataSet } from '../../shared/demo/demo-figures.js';
import { periodRange } from '../../shared/domain/period.js';
import { planWorkItems, workItemSchema } from '../../shared/plan/work-items.js';
import { publishedMetric } from '../../shared/observability.js';
import type { LocalComtradeServer } from '../../shared/local/comtrade-server.js';
import { startLocalAlertTopic, type LocalAlertTopic } from '../../shared/local/local-alerts.js';
import { DEFAULT_WATCHLIST } from '../../shared/plan/watchlist.js';
import { expectDemoStoredAndAzerbaijanAlerted, startDemoComtrade } from '../support/demo-comtrade.js';
import { AZERBAIJAN_TRADE, alertKeys, azerbaijanCsv } from '../support/azerbaijan-csv.js';
import { buildFunctionBundle, invokeBundle } from '../support/function-bundle.js';
import { freshTable } from '../support/local-table.js';
import { startLocalSecretsManager, type LocalSecretsManager } from '../support/local-secrets-manager.js';

/**
 * The functions as deployed: bundled with the stack's esbuild options (credentials from the
 * environment only, no event-stream support), each run in a fresh process that has only what
 * Lambda would give it. The SDK finds the local services through its own AWS_ENDPOINT_URL_*
 * variables, so the functions' code takes the same path as on AWS.
 */
/** The metrics a function wrote in CloudWatch's embedded metric format, by name. */
type EmfEntry = Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } };

function emfEntries(logs: string): EmfEntry[] {
  return logs.split('\n').filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as EmfEntry);
}

function emfMetrics(logs: string): Record<string, unknown> {
  return Object.fromEntries(emfEntries(logs).flatMap((entry) => entry._aws.CloudWatchMetrics.flatMap((set) => set.Metrics.map((m) => [m.Name, entry[m.Name]]))));
}

describe('the function bundles, run as Lambda runs them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradewatch-bundles-'));
  const bundle = (name: string) => join(dir, name, 'index.mjs');
  // DynamoDB Local keeps one database per access key: the same key as the tests' own clients.
  const lambdaEnv = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SESSION_TOKEN: 'lambda-role-session',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: 'tradewatch',
  };

  beforeAll(async () => {
    await Promise.all(['plan', 'ingest', 'query', 'drop', 'manage'].map((name) => buildFunctionBundle(name, bundle(name))));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('ingest', () => {
    let comtrade: LocalComtradeServer;
    let topic: LocalAlertTopic;
    let secrets: LocalSecretsManager;
    beforeAll(async () => {
      comtrade = await startDemoComtrade({ apiKey: 'comtrade-key-from-the-secret' });
      topic = await startLocalAlertTopic([FEED_ROUTE]);
      secrets = await startLocalSecretsManager({ 'tradewatch/comtrade-key': 'comtrade-key-from-the-secret\n' });
    });
    afterAll(async () => {
      await comtrade.stop();
      await topic.stop();
      await secrets.stop();
    });

    it('reads the key from its secret, stores a work item and alerts through SNS, signing with the role credentials', async () => {
      const table = await freshTable();
      const dataSet = loadDemoDataSet();
      const [item] = planWorkItems(DEFAULT_WATCHLIST, periodRange(dataSet.from, dataSet.to), 'monthly-refresh', '2024-03-25T02:00:00Z');
      const event = { Records: [{ messageId: 'm-1', receiptHandle: 'r-1', body: JSON.stringify(item), attributes: {}, messageAttributes: {}, eventSource: 'aws:sqs' }] };
      const { result, logs } = await invokeBundle(bundle('ingest'), event, {
        ...lambdaEnv,
        AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'),
        AWS_ENDPOINT_URL_SNS: topic.endpoint,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
        TABLE_NAME: table.tableName,
        ALERT_TOPIC_ARN: topic.topicArn,
        COMTRADE_BASE_URL: comtrade.baseUrl,
        COMTRADE_API_KEY_SECRET: 'tradewatch/comtrade-key',
        COMTRADE_MIN_INTERVAL_MS: '0',
      });
      expect(result).toEqual({ batchItemFailures: [] });
      expect(secrets.sessionTokens).toEqual(['lambda-role-session']);
      expect(logs).not.toContain('comtrade-key-from-the-secret');
      await expectDemoStoredAndAzerbaijanAlerted(table.series, topic);
      expect(await table.runs.get(item!.runKey)).toMatchObject({ status: 'DONE' });
      // The freshness alarm watches this metric by namespace and dimensions: the EMF must carry exactly those.
      const freshness = publishedMetric('ingest', 'DaysSinceNewData');
      const entry = emfEntries(logs).find((e) => e._aws.CloudWatchMetrics.some((set) => set.Metrics.some((m) => m.Name === freshness.metricName)))!;
      const set = entry._aws.CloudWatchMetrics.find((s) => s.Metrics.some((m) => m.Name === freshness.metricName))!;
      expect(set.Namespace).toBe(freshness.namespace);
      expect(set.Dimensions).toEqual([Object.keys(freshness.dimensionsMap)]);
      expect(entry.service).toBe(freshness.dimensionsMap.service);
    }, 60_000);

    it('returns a work item with a bad body to the queue alone, saying what was wrong', async () => {
      const table = await freshTable();
      const event = { Records: [{ messageId: 'bad-1', receiptHandle: 'r-1', body: '{"runKey":""}', attributes: {}, messageAttributes: {}, eventSource: 'aws:sqs' }] };
      const { error, logs } = await invokeBundle(bundle('ingest'), event, {
        ...lambdaEnv,
        AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'),
        AWS_ENDPOINT_URL_SNS: topic.endpoint,
        TABLE_NAME: table.tableName,
        ALERT_TOPIC_ARN: topic.topicArn,
        COMTRADE_BASE_URL: comtrade.baseUrl,
      });
      // Its only record failed, so the whole invocation fails (counted in the errors alarm) and SQS redelivers it.
      expect(error).toMatch(/All records failed processing/);
      const failure = logs.split('\n').find((line) => line.includes('Work item failed'));
      expect(JSON.parse(failure!)).toMatchObject({ level: 'ERROR', messageId: 'bad-1', error: { message: expect.stringMatching(/not a work item: runKey: Too small/) } });
      expect(await table.series.listSeries()).toEqual([]);
    }, 60_000);
  });

  describe('drop', () => {
    const BUCKET = 'tradewatch-drop-test';
    let s3Server: Awaited<ReturnType<typeof startFauxqs>>;
    let s3: S3Client;
    let topic: LocalAlertTopic;
    beforeAll(async () => {
      s3Server = await startFauxqs({ port: 0, logger: false });
      s3Server.createBucket(BUCKET);
      // The test's own client goes path-style; the bundle goes virtual-hosted, as on AWS, through *.localhost.
      s3 = new S3Client({ ...sdkClientConfig({ region: 'us-east-1', endpoint: s3Server.address }), forcePathStyle: true });
      topic = await startLocalAlertTopic([FEED_ROUTE]);
    });
    afterAll(async () => {
      s3.destroy();
      await s3Server.stop();
      await topic.stop();
    });

    const keys = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((object) => object.Key!).sort();
    const text = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString();
    /** A key as S3 notifications carry it: URL-encoded (parentheses too), slashes kept, a space as +. */
    const awsEncodedKey = (key: string) =>
      encodeURIComponent(key)
        .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%2F/g, '/')
        .replace(/%20/g, '+');
    /** An S3 notification as AWS sends it. */
    const s3Event = (key: string) => ({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventTime: '2024-03-20T08:00:00.000Z',
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: 'AWS:EXAMPLE' },
          requestParameters: { sourceIPAddress: '192.0.2.1' },
          responseElements: { 'x-amz-request-id': 'EXAMPLE', 'x-amz-id-2': 'EXAMPLE' },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'drop',
            bucket: { name: BUCKET, ownerIdentity: { principalId: 'EXAMPLE' }, arn: `arn:aws:s3:::${BUCKET}` },
            object: { key: awsEncodedKey(key), size: 1024, eTag: '0123456789abcdef', sequencer: '0A1B2C3D4E5F678901' },
          },
        },
      ],
    });

    it('imports a dropped CSV, alerts +83 % once, moves it to done/ with its report; the same event again is a no-op', async () => {
      const table = await freshTable();
      const name = 'China customs (Jan-Feb 2024).csv';
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `incoming/${name}`, Body: azerbaijanCsv() }));
      const event = s3Event(`incoming/${name}`);
      expect(event.Records[0]!.s3.object.key).toBe('incoming/China+customs+%28Jan-Feb+2024%29.csv');
      const env = {
        ...lambdaEnv,
        AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'),
        AWS_ENDPOINT_URL_SNS: topic.endpoint,
        AWS_ENDPOINT_URL_S3: s3Server.address.replace('127.0.0.1', 's3.localhost'),
        TABLE_NAME: table.tableName,
        ALERT_TOPIC_ARN: topic.topicArn,
        DROP_BUCKET: BUCKET,
      };
      const preload = fileURLToPath(new URL('../support/resolve-localhost.mjs', import.meta.url));

      const first = await invokeBundle(bundle('drop'), event, env, preload);
      expect(first.error).toBeUndefined();
      expect(first.result).toEqual({ files: [{ name, outcome: 'done' }] });
      expect(await keys()).toEqual([`done/${name}`, `done/${name}.report.txt`]);
      expect(await text(`done/${name}`)).toBe(azerbaijanCsv());
      expect(await text(`done/${name}.report.txt`)).toMatch(/CRITICAL csv\.CHN\.AZE\.trade\.TOTAL\.USD Jan-Feb 2024 \+83% y\/y/);
      expect(alertKeys(await topic.drain('feed')).filter((key) => key.startsWith(`${AZERBAIJAN_TRADE}#`))).toHaveLength(1);
      expect(emfMetrics(first.logs)).toEqual({ FilesImported: 1 });

      const again = await invokeBundle(bundle('drop'), event, env, preload);
      expect(again.result).toEqual({ files: [{ name, outcome: 'gone' }] });
      expect(again.logs).toMatch(/Not in incoming\/ any more: already handled by an earlier attempt; nothing done/);
      expect(await keys()).toEqual([`done/${name}`, `done/${name}.report.txt`]);
      expect(await topic.drain('feed')).toEqual([]);
    }, 60_000);

    it('refuses an event that is not an S3 notification, naming what is wrong, so it ends in the on-failure queue', async () => {
      const table = await freshTable();
      const { error } = await invokeBundle(bundle('drop'), { Records: [{ eventName: 'ObjectCreated:Put' }] }, { ...lambdaEnv, TABLE_NAME: table.tableName, ALERT_TOPIC_ARN: topic.topicArn, DROP_BUCKET: BUCKET });
      expect(error).toMatch(/not an S3 event: Records\.0\.s3: /);
    }, 60_000);
  });

  it('plan: queues the work items of a scheduled run, and from an empty table the history behind them', async () => {
    const sqsServer = await startFauxqs({ port: 0, logger: false });
    const sqs = new SQSClient(sdkClientConfig({ region: 'us-east-1', endpoint: sqsServer.address }));
    const table = await freshTable();
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'tradewatch-work' }));
      const { result, logs } = await invokeBundle(
        bundle('plan'),
        { run: 'daily', scheduledTime: '2024-03-25T02:00:00Z' },
        { ...lambdaEnv, AWS_ENDPOINT_URL_SQS: sqsServer.address, AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'), TABLE_NAME: table.tableName, WORK_QUEUE_URL: QueueUrl! },
        fileURLToPath(new URL('../support/resolve-localhost.mjs', import.meta.url)),
      );
      // The daily item may take 4 calls; five years of history for the 9 partners are 5 calls, well inside the default 450.
      expect(result).toMatchObject({ workItems: 6, scheduledItems: 1, scheduledCalls: 4, backfillBudget: 446, backfillItems: 5, backfillCalls: 5, newPartners: 9, progress: { callsLeft: 5, etaDays: 1 } });
      expect(emfMetrics(logs)).toEqual({ WorkItemsQueued: 6 });
      const received = [];
      for (let read = 0; read < 5 && received.length < 6; read++) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
        received.push(...Messages.map((m) => workItemSchema.parse(JSON.parse(m.Body!))));
      }
      expect(received).toHaveLength(6);
      const daily = received.find((item) => item.run === 'daily');
      expect(daily).toMatchObject({ run: 'daily', scheduledTime: '2024-03-25T02:00:00Z', request: { reporter: 'CHN', partners: DEFAULT_WATCHLIST.entries[0]!.partners } });
      expect(received.filter((item) => item.run === 'backfill').map((item) => item.history!.chunk).sort()).toEqual(['2019-03..2020-02', '2020-03..2021-02', '2021-03..2022-02', '2022-03..2023-02', '2023-03..2024-02']);
      expect(await table.backfill.statesOf('CHN')).toHaveLength(9);
      await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    } finally {
      sqs.destroy();
      await sqsServer.stop();
    }
  }, 60_000);

  it('query: answers GET /series from the table', async () => {
    const table = await freshTable();
    const key = { source: 'comtrade', reporter: 'CHN', partner: 'KAZ', flow: 'export', commodity: 'TOTAL', currency: 'USD' } as const;
    await table.series.saveObservations(key, periodRange('2023-01', '2023-12').map((period) => ({ period, value: 2e9, state: 'published' as const })), '2024-01-20T00:00:00.000Z');
    const { result, logs } = await invokeBundle(
      bundle('query'),
      { routeKey: 'GET /series', rawPath: '/series', queryStringParameters: { reporter: 'CHN' } },
      { ...lambdaEnv, AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'), TABLE_NAME: table.tableName },
    );
    expect(result).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' } });
    const body = JSON.parse((result as { body: string }).body) as { items: { seriesId: string }[] };
    expect(body.items.map((s) => s.seriesId)).toEqual(['comtrade.CHN.KAZ.export.TOTAL.USD']);
    expect(emfMetrics(logs)).toEqual({ QueryAnswered: 1 });
  }, 60_000);

  it('manage: seeds and answers the watchlist, and subscribes an e-mail only for an admin', async () => {
    const table = await freshTable();
    const topic = await startLocalAlertTopic([FEED_ROUTE]);
    try {
      const env = { ...lambdaEnv, AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'), AWS_ENDPOINT_URL_SNS: topic.endpoint, TABLE_NAME: table.tableName, ALERT_TOPIC_ARN: topic.topicArn };
      const reader = { authorizer: { jwt: { claims: { 'cognito:groups': '[readers]' } } } };
      const listed = await invokeBundle(bundle('manage'), { routeKey: 'GET /watchlist', rawPath: '/watchlist', requestContext: reader }, env);
      expect(listed.result).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' } });
      expect(JSON.parse((listed.result as { body: string }).body)).toMatchObject({ entries: [{ reporter: 'CHN', partners: DEFAULT_WATCHLIST.entries[0]!.partners }], monthsBack: 24 });
      const body = JSON.stringify({ protocol: 'email', endpoint: 'analyst@example.org', minSeverity: 'critical' });
      const refused = await invokeBundle(bundle('manage'), { routeKey: 'POST /subscriptions', rawPath: '/subscriptions', body, requestContext: reader }, env);
      expect(refused.result).toMatchObject({ statusCode: 403 });
      expect(emfMetrics(refused.logs)).toEqual({ ManageRefused: 1 });
      const admin = { authorizer: { jwt: { claims: { 'cognito:groups': '[admins readers]' } } } };
      const created = await invokeBundle(bundle('manage'), { routeKey: 'POST /subscriptions', rawPath: '/subscriptions', body, requestContext: admin }, env);
      expect(created.result).toMatchObject({ statusCode: 201 });
      expect(JSON.parse((created.result as { body: string }).body)).toMatchObject({ subscription: { endpoint: 'analyst@example.org', state: 'pending-confirmation', route: 'sub-email-critical-d5' } });
      expect(emfMetrics(created.logs)).toEqual({ ManageChanges: 1 });
    } finally {
      await topic.stop();
    }
  }, 60_000);
});
