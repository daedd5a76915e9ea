import * as z from './zod.js';
import { detectionConfigSchema, type DetectionConfig } from './domain/detection/index.js';
import { FEED_ROUTE, routeSchema, type Route } from './alerts/routing.js';
import { DEFAULT_GROUPS, groupsSchema, type Groups } from './domain/groups.js';
import { watchlistSchema, DEFAULT_WATCHLIST, type Watchlist } from './watchlist.js';

/** A JSON document in an environment variable, validated by `schema`. */
function jsonOf<T extends z.ZodMiniType>(schema: T) {
  const json = z.transform((text: string, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.issues.push({ code: 'custom', message: 'is not valid JSON', input: text });
      return z.NEVER;
    }
  });
  return z.pipe(z.pipe(z.string(), json), schema);
}

const count = (check: z.core.$ZodCheck<number>) => z.coerce.number().check(z.int(), check);

const environmentSchema = z.object({
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
  TABLE_NAME: z._default(z.string().check(z.minLength(3)), 'tradewatch'),
  DYNAMODB_ENDPOINT: z.optional(z.url()),
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
  WATCHLIST: z.optional(jsonOf(watchlistSchema)),
  DETECTION: z.optional(jsonOf(detectionConfigSchema)),
  /** The subscribers' routes (the stack derives them from its subscribers); the feed route is always there. */
  ROUTES: z.optional(jsonOf(z.array(routeSchema))),
  /** Named groups of partners for derived series, e.g. {"CENTRALASIA":{"name":"Central Asia","members":["KAZ",…]}}. */
  GROUPS: z.optional(jsonOf(groupsSchema)),
});

export interface Config {
  readonly region: string;
  readonly tableName: string;
  readonly dynamoDbEndpoint: string | undefined;
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
  readonly watchlist: Watchlist;
  readonly detection: DetectionConfig;
  readonly routes: readonly Route[];
  readonly groups: Groups;
}

export class ConfigError extends Error {
  constructor(issues: readonly string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once, at start-up. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  return {
    region: e.AWS_REGION,
    tableName: e.TABLE_NAME,
    dynamoDbEndpoint: e.DYNAMODB_ENDPOINT,
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
    watchlist: e.WATCHLIST ?? DEFAULT_WATCHLIST,
    detection: e.DETECTION ?? detectionConfigSchema.parse({}),
    groups: e.GROUPS ?? DEFAULT_GROUPS,
    routes: [FEED_ROUTE, ...(e.ROUTES ?? []).filter((route) => route.id !== FEED_ROUTE.id)],
  };
}
