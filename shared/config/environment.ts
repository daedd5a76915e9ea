import { describeIssue } from '../describe-issue.js';
import * as z from '../zod.js';
import { detectionConfigSchema, type DetectionConfig } from '../domain/detection/config.js';
import { DEFAULT_GROUPS, groupsSchema, type Groups } from '../domain/groups.js';
import { DEFAULT_WATCHLIST, watchlistSchema, type Watchlist } from '../plan/watchlist.js';

/**
 * The pieces every configuration is made of: each function validates, once at start-up, the
 * sections it uses (the query function has no business with the Comtrade key or the alert topic),
 * the CLI all of them.
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

/** Where the table is. */
export const storeVariables = {
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
  TABLE_NAME: z._default(z.string().check(z.minLength(3)), 'tradewatch'),
  DYNAMODB_ENDPOINT: z.optional(z.url()),
};

export interface StoreSettings {
  readonly region: string;
  readonly tableName: string;
  readonly dynamoDbEndpoint: string | undefined;
}

export function storeSettings(e: z.output<z.ZodMiniObject<typeof storeVariables>>): StoreSettings {
  return { region: e.AWS_REGION, tableName: e.TABLE_NAME, dynamoDbEndpoint: e.DYNAMODB_ENDPOINT };
}

/**
 * What is watched and how it is judged: the watchlist (which may override detection settings per
 * reporter), the detection settings, and the named groups derived series sum.
 */
export const watchVariables = {
  WATCHLIST: z.optional(jsonOf(watchlistSchema)),
  DETECTION: z.optional(jsonOf(detectionConfigSchema)),
  /** Named groups of partners for derived series, e.g. {"CENTRALASIA":{"name":"Central Asia","members":["KAZ",…]}}. */
  GROUPS: z.optional(jsonOf(groupsSchema)),
};

export interface WatchSettings {
  readonly watchlist: Watchlist;
  readonly detection: DetectionConfig;
  readonly groups: Groups;
}

export function watchSettings(e: z.output<z.ZodMiniObject<typeof watchVariables>>): WatchSettings {
  return { watchlist: e.WATCHLIST ?? DEFAULT_WATCHLIST, detection: e.DETECTION ?? detectionConfigSchema.parse({}), groups: e.GROUPS ?? DEFAULT_GROUPS };
}
