import { WATCHLIST_PRESETS } from '../plan/watchlist-presets.js';
import { DEFAULT_RUN_SCHEDULE, runScheduleSchema, type RunSchedule } from '../plan/schedule.js';
import { describeIssue } from '../describe-issue.js';
import * as z from '../zod.js';
import { FEED_ROUTE, routeSchema, type Route } from '../domain/alerts/routing.js';
import { detectionConfigSchema, type DetectionConfig } from '../domain/detection/config.js';
import { DEFAULT_GROUPS, groupsSchema, type Groups } from '../domain/groups.js';
import { configuredWatchlistSchema, DEFAULT_WATCHLIST, DEFAULT_WATCHLIST_INPUT, type Watchlist, type WatchlistInput } from '../plan/watchlist.js';
import { ENV } from './variables.js';

/**
 * The sections every configuration is made of, each a set of variables and the settings read from
 * them. A function validates, once at start-up, the sections it uses, with what it cannot run
 * without required (see functions.ts); the CLI takes them all, the deployed-only ones optional.
 */

/** A JSON document in an environment variable, validated by `schema`. */
export function jsonOf<T extends z.ZodMiniType>(schema: T) {
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

/** A whole number from an environment variable, with one more check. */
export const count = (check: z.core.$ZodCheck<number>) => z.coerce.number().check(z.int(), check);

export class ConfigError extends Error {
  constructor(issues: readonly string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** `env` validated against `schema`; every problem named by its variable in one ConfigError. */
export function parseEnvironment<T extends z.ZodMiniType>(schema: T, env: NodeJS.ProcessEnv): z.output<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => describeIssue(issue)));
  return parsed.data;
}

type Read<S extends z.core.$ZodLooseShape> = z.output<z.ZodMiniObject<S>>;

/** Where the table is. */
export const storeVariables = {
  [ENV.region]: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
  [ENV.tableName]: z._default(z.string().check(z.minLength(3)), 'tradewatch'),
  [ENV.dynamoDbEndpoint]: z.optional(z.url()),
};

export interface StoreSettings {
  readonly region: string;
  readonly tableName: string;
  readonly dynamoDbEndpoint: string | undefined;
}

export function storeSettings(e: Read<typeof storeVariables>): StoreSettings {
  return { region: e.AWS_REGION, tableName: e.TABLE_NAME, dynamoDbEndpoint: e.DYNAMODB_ENDPOINT };
}

/**
 * What is watched, when and how it is judged: the watchlist (which may override detection settings
 * per reporter), the detection settings, the named groups derived series sum, the run schedule.
 */
export const watchVariables = {
  /** JSON, or the name of a preset (`chpl-transit`). */
  [ENV.watchlist]: z.optional(z.pipe(z.pipe(z.string(), z.transform((text: string) => (text in WATCHLIST_PRESETS ? JSON.stringify(WATCHLIST_PRESETS[text]) : text))), jsonOf(configuredWatchlistSchema))),
  [ENV.detection]: z.optional(jsonOf(detectionConfigSchema)),
  /** Named groups of partners for derived series, e.g. {"CENTRALASIA":{"name":"Central Asia","members":["KAZ",…]}}. */
  [ENV.groups]: z.optional(jsonOf(groupsSchema)),
  [ENV.runSchedule]: z.optional(jsonOf(runScheduleSchema)),
};

export interface WatchSettings {
  /**
   * The watchlist as configured (WATCHLIST): on AWS only the seed of the table's watchlist, which the
   * planner reads each run (see shared/store/watchlist-repository.ts); the local commands watch it as is.
   */
  readonly watchlist: Watchlist;
  /** The same as written (`*` unexpanded): what seeds the table on first deploy. */
  readonly watchlistSeed: WatchlistInput;
  readonly detection: DetectionConfig;
  readonly groups: Groups;
  readonly schedule: RunSchedule;
}

export function watchSettings(e: Read<typeof watchVariables>): WatchSettings {
  return {
    watchlist: e.WATCHLIST?.watchlist ?? DEFAULT_WATCHLIST,
    watchlistSeed: e.WATCHLIST?.input ?? DEFAULT_WATCHLIST_INPUT,
    detection: e.DETECTION ?? detectionConfigSchema.parse({}),
    groups: e.TRADEWATCH_GROUPS ?? DEFAULT_GROUPS,
    schedule: e.RUN_SCHEDULE ?? DEFAULT_RUN_SCHEDULE,
  };
}

const topicArn = z.string().check(z.startsWith('arn:'));

/** Where alerts are published, and to which routes. */
export const alertVariables = {
  [ENV.alertTopicArn]: topicArn,
  [ENV.snsEndpoint]: z.optional(z.url()),
  [ENV.alertLookbackMonths]: z._default(count(z.positive()), 3),
  /** The subscribers' routes (the stack derives them from its subscribers); the feed route is always there. */
  [ENV.routes]: z.optional(jsonOf(z.array(routeSchema))),
};
/** The same, where publishing is optional (the CLI outside `npm start`). */
export const optionalAlertVariables = { ...alertVariables, [ENV.alertTopicArn]: z.optional(topicArn) };

export interface AlertSettings<Topic extends string | undefined = string> {
  readonly alertTopicArn: Topic;
  readonly snsEndpoint: string | undefined;
  readonly alertLookbackMonths: number;
  readonly routes: readonly Route[];
}

export function alertSettings(e: Read<typeof alertVariables>): AlertSettings;
export function alertSettings(e: Read<typeof optionalAlertVariables>): AlertSettings<string | undefined>;
export function alertSettings(e: Read<typeof optionalAlertVariables>): AlertSettings<string | undefined> {
  return {
    alertTopicArn: e.ALERT_TOPIC_ARN,
    snsEndpoint: e.SNS_ENDPOINT,
    alertLookbackMonths: e.ALERT_LOOKBACK_MONTHS,
    routes: [FEED_ROUTE, ...(e.ROUTES ?? []).filter((route) => route.id !== FEED_ROUTE.id)],
  };
}

/** The queue the planner puts work items on. */
export const workQueueVariables = {
  [ENV.workQueueUrl]: z.url(),
  [ENV.sqsEndpoint]: z.optional(z.url()),
};

export interface WorkQueueSettings {
  readonly region: string;
  readonly workQueueUrl: string;
  readonly sqsEndpoint: string | undefined;
}

export function workQueueSettings(e: Read<typeof workQueueVariables> & { AWS_REGION: string }): WorkQueueSettings {
  return { region: e.AWS_REGION, workQueueUrl: e.WORK_QUEUE_URL, sqsEndpoint: e.SQS_ENDPOINT };
}

/** The UN Comtrade key's calls a day: the workers spend it, the planner divides it. */
export const callBudgetVariables = {
  /** Calls a day, shared by every run (a free key allows about 500). */
  [ENV.comtradeDailyCallBudget]: z._default(count(z.positive()), 450),
};

/**
 * Eurostat Comext's calls a day, which the planner divides as it does Comtrade's. Comext has no key
 * and no published quota: the budget keeps the schedule polite and bounds the workers' time (a
 * call takes about a second and a half at the default pace).
 */
export const comextCallBudgetVariables = {
  [ENV.comextDailyCallBudget]: z._default(count(z.positive()), 1_000),
};

export interface CallBudgetSettings {
  /** UN Comtrade's. */
  readonly dailyCallBudget: number;
  readonly comextDailyCallBudget: number;
}

export function callBudgetSettings(e: Read<typeof callBudgetVariables & typeof comextCallBudgetVariables>): CallBudgetSettings {
  return { dailyCallBudget: e.COMTRADE_DAILY_CALL_BUDGET, comextDailyCallBudget: e.COMEXT_DAILY_CALL_BUDGET };
}

/** The bucket files are dropped into (incoming/, done/, rejected/). */
export const dropVariables = {
  [ENV.dropBucket]: z.string().check(z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name')),
};

export interface DropSettings {
  readonly region: string;
  readonly dropBucket: string;
}

export function dropSettings(e: Read<typeof dropVariables> & { AWS_REGION: string }): DropSettings {
  return { region: e.AWS_REGION, dropBucket: e.DROP_BUCKET };
}

/** UN Comtrade: where, with which key, how fast and how much. */
export const comtradeVariables = {
  [ENV.comtradeBaseUrl]: z._default(z.url(), 'https://comtradeapi.un.org'),
  /** Local use only; on AWS the key is read from the secret named by COMTRADE_API_KEY_SECRET. */
  [ENV.comtradeApiKey]: z.optional(z.string().check(z.minLength(1))),
  /** Name or ARN of the Secrets Manager secret holding the key (as its plain-text value). */
  [ENV.comtradeApiKeySecret]: z.optional(z.string().check(z.minLength(1))),
  [ENV.comtradeMinIntervalMs]: z._default(count(z.nonnegative()), 6_000),
  [ENV.comtradeTimeoutMs]: z._default(count(z.positive()), 30_000),
  /** Records asked for per call (maxRecords); the endpoint's own cap when unset. */
  [ENV.comtradeMaxRecords]: z.optional(count(z.positive())),
  ...callBudgetVariables,
};

export interface ComtradeSettings {
  readonly comtrade: {
    readonly baseUrl: string;
    readonly apiKey: string | undefined;
    readonly apiKeySecret: string | undefined;
    readonly minIntervalMs: number;
    readonly timeoutMs: number;
    readonly maxRecords: number | undefined;
    readonly dailyCallBudget: number;
  };
}

export function comtradeSettings(e: Read<typeof comtradeVariables>): ComtradeSettings {
  return {
    comtrade: {
      baseUrl: e.COMTRADE_BASE_URL,
      apiKey: e.COMTRADE_API_KEY,
      apiKeySecret: e.COMTRADE_API_KEY_SECRET,
      minIntervalMs: e.COMTRADE_MIN_INTERVAL_MS,
      timeoutMs: e.COMTRADE_TIMEOUT_MS,
      maxRecords: e.COMTRADE_MAX_RECORDS,
      dailyCallBudget: e.COMTRADE_DAILY_CALL_BUDGET,
    },
  };
}

/** Eurostat Comext: where, how fast, and how long an asynchronous extraction is waited for. */
export const comextVariables = {
  [ENV.comextBaseUrl]: z._default(z.url(), 'https://ec.europa.eu'),
  /** Between two calls' starts: Comext has no key, this is politeness. */
  [ENV.comextMinIntervalMs]: z._default(count(z.nonnegative()), 1_000),
  [ENV.comextTimeoutMs]: z._default(count(z.positive()), 60_000),
  [ENV.comextAsyncPollIntervalMs]: z._default(count(z.positive()), 10_000),
  /** Past this wait an asynchronous extraction's call counts as failed; the run resumes it later. Kept well inside the worker's 15 minutes. */
  [ENV.comextAsyncMaxWaitMs]: z._default(z.coerce.number().check(z.int(), z.positive(), z.maximum(600_000)), 300_000),
};

export interface ComextSettings {
  readonly comext: {
    readonly baseUrl: string;
    readonly minIntervalMs: number;
    readonly timeoutMs: number;
    readonly asyncPollIntervalMs: number;
    readonly asyncMaxWaitMs: number;
  };
}

export function comextSettings(e: Read<typeof comextVariables>): ComextSettings {
  return {
    comext: {
      baseUrl: e.COMEXT_BASE_URL,
      minIntervalMs: e.COMEXT_MIN_INTERVAL_MS,
      timeoutMs: e.COMEXT_TIMEOUT_MS,
      asyncPollIntervalMs: e.COMEXT_ASYNC_POLL_INTERVAL_MS,
      asyncMaxWaitMs: e.COMEXT_ASYNC_MAX_WAIT_MS,
    },
  };
}
