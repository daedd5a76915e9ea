import * as z from '../zod.js';
import { FEED_ROUTE, routeSchema, type Route } from '../domain/alerts/routing.js';
import {
  count,
  jsonOf,
  parseEnvironment,
  storeSettings,
  storeVariables,
  watchSettings,
  watchVariables,
  type StoreSettings,
  type WatchSettings,
} from './environment.js';

/** Everything: the ingest worker and the planner use it, and the CLI. */
const environmentSchema = z.object({
  ...storeVariables,
  ...watchVariables,
  SNS_ENDPOINT: z.optional(z.url()),
  ALERT_TOPIC_ARN: z.optional(z.string().check(z.startsWith('arn:'))),
  /** The queue the planner puts work items on (the stack sets it). */
  WORK_QUEUE_URL: z.optional(z.url()),
  COMTRADE_BASE_URL: z._default(z.url(), 'https://comtradeapi.un.org'),
  /** Local use only; on AWS the key is read from the secret named by COMTRADE_API_KEY_SECRET. */
  COMTRADE_API_KEY: z.optional(z.string().check(z.minLength(1))),
  /** Name or ARN of the Secrets Manager secret holding the key (as its plain-text value). */
  COMTRADE_API_KEY_SECRET: z.optional(z.string().check(z.minLength(1))),
  COMTRADE_MIN_INTERVAL_MS: z._default(count(z.nonnegative()), 6_000),
  COMTRADE_TIMEOUT_MS: z._default(count(z.positive()), 30_000),
  /** Records asked for per call (maxRecords); the endpoint's own cap when unset. */
  COMTRADE_MAX_RECORDS: z.optional(count(z.positive())),
  /** Calls a day, shared by every run (a free key allows about 500). */
  COMTRADE_DAILY_CALL_BUDGET: z._default(count(z.positive()), 450),
  ALERT_LOOKBACK_MONTHS: z._default(count(z.positive()), 3),
  /** The subscribers' routes (the stack derives them from its subscribers); the feed route is always there. */
  ROUTES: z.optional(jsonOf(z.array(routeSchema))),
});

export interface Config extends StoreSettings, WatchSettings {
  readonly snsEndpoint: string | undefined;
  readonly alertTopicArn: string | undefined;
  readonly workQueueUrl: string | undefined;
  readonly comtrade: {
    readonly baseUrl: string;
    readonly apiKey: string | undefined;
    readonly apiKeySecret: string | undefined;
    readonly minIntervalMs: number;
    readonly timeoutMs: number;
    readonly maxRecords: number | undefined;
    readonly dailyCallBudget: number;
  };
  readonly alertLookbackMonths: number;
  readonly routes: readonly Route[];
}

/** Reads and validates the environment once, at start-up. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnvironment(environmentSchema, env);
  return {
    ...storeSettings(e),
    ...watchSettings(e),
    snsEndpoint: e.SNS_ENDPOINT,
    alertTopicArn: e.ALERT_TOPIC_ARN,
    workQueueUrl: e.WORK_QUEUE_URL,
    comtrade: {
      baseUrl: e.COMTRADE_BASE_URL,
      apiKey: e.COMTRADE_API_KEY,
      apiKeySecret: e.COMTRADE_API_KEY_SECRET,
      minIntervalMs: e.COMTRADE_MIN_INTERVAL_MS,
      timeoutMs: e.COMTRADE_TIMEOUT_MS,
      maxRecords: e.COMTRADE_MAX_RECORDS,
      dailyCallBudget: e.COMTRADE_DAILY_CALL_BUDGET,
    },
    alertLookbackMonths: e.ALERT_LOOKBACK_MONTHS,
    routes: [FEED_ROUTE, ...(e.ROUTES ?? []).filter((route) => route.id !== FEED_ROUTE.id)],
  };
}
