/**
 * The environment variables tradewatch reads, by name: the config schemas read them, the stack's
 * function construct sets them. One place, so a renamed variable cannot leave the two apart.
 */
export const ENV = {
  region: 'AWS_REGION',
  tableName: 'TABLE_NAME',
  dynamoDbEndpoint: 'DYNAMODB_ENDPOINT',
  watchlist: 'WATCHLIST',
  detection: 'DETECTION',
  /** Prefixed: a bare GROUPS is a bash built-in, which a shell silently keeps from the process. */
  groups: 'TRADEWATCH_GROUPS',
  /** When the scheduled runs fire (hour, minute, time zone, refresh day), as JSON: status tells the next runs from it. */
  runSchedule: 'RUN_SCHEDULE',
  alertTopicArn: 'ALERT_TOPIC_ARN',
  snsEndpoint: 'SNS_ENDPOINT',
  routes: 'ROUTES',
  alertLookbackMonths: 'ALERT_LOOKBACK_MONTHS',
  workQueueUrl: 'WORK_QUEUE_URL',
  sqsEndpoint: 'SQS_ENDPOINT',
  dropBucket: 'DROP_BUCKET',
  comtradeBaseUrl: 'COMTRADE_BASE_URL',
  comtradeApiKey: 'COMTRADE_API_KEY',
  comtradeApiKeySecret: 'COMTRADE_API_KEY_SECRET',
  comtradeMinIntervalMs: 'COMTRADE_MIN_INTERVAL_MS',
  comtradeTimeoutMs: 'COMTRADE_TIMEOUT_MS',
  comtradeMaxRecords: 'COMTRADE_MAX_RECORDS',
  comtradeDailyCallBudget: 'COMTRADE_DAILY_CALL_BUDGET',
  comextBaseUrl: 'COMEXT_BASE_URL',
  comextMinIntervalMs: 'COMEXT_MIN_INTERVAL_MS',
  comextTimeoutMs: 'COMEXT_TIMEOUT_MS',
  comextAsyncPollIntervalMs: 'COMEXT_ASYNC_POLL_INTERVAL_MS',
  comextAsyncMaxWaitMs: 'COMEXT_ASYNC_MAX_WAIT_MS',
  comextDailyCallBudget: 'COMEXT_DAILY_CALL_BUDGET',
} as const;
