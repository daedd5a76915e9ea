import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describeIssue } from '../shared/describe-issue.js';
import * as z from '../shared/zod.js';
import { subscriberSchema } from '../shared/domain/alerts/routing.js';
import { detectionOverridesSchema } from '../shared/domain/detection/index.js';
import { DEFAULT_GROUPS, groupsSchema } from '../shared/domain/groups.js';
import { DEFAULT_RUN_SCHEDULE, runScheduleSchema } from '../shared/plan/schedule.js';
import { DEFAULT_WATCHLIST_INPUT } from '../shared/plan/watchlist.js';
import { watchlistOrPresetSchema } from '../shared/plan/watchlist-presets.js';

const RETENTION_DAYS = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number' && v > 0);

/**
 * What a user sets at deploy time, through CDK context: `npx cdk deploy -c tradewatch='{…}'` or
 * the "tradewatch" key in cdk.context.json. Validated once; a bad value fails `cdk synth` with a
 * message naming it.
 */
export const deployConfigSchema = z.object({
  /** Name of the Secrets Manager secret holding the UN Comtrade key as plain text; keyless preview when unset. */
  comtradeApiKeySecret: z.optional(z.string().check(z.regex(/^[\w/+=.@-]{1,512}$/, 'expected a Secrets Manager secret name such as tradewatch/comtrade-key'))),
  subscribers: z._default(z.array(subscriberSchema), []),
  /** Where alarms go (an e-mail address); alarms still publish to the ops topic without one. */
  opsEmail: z.optional(z.email()),
  schedule: z._default(runScheduleSchema, DEFAULT_RUN_SCHEDULE),
  alarms: z._default(
    z.object({
      /** Days without a new or revised observation before the freshness alarm fires. */
      freshnessDays: z._default(z.number().check(z.int(), z.minimum(2), z.maximum(120)), 45),
      /** Month-to-date SMS spend, US$, that raises an alarm (set the account's SNS spend limit too). */
      smsSpendUsd: z._default(z.number().check(z.positive()), 20),
    }),
    { freshnessDays: 45, smsSpendUsd: 20 },
  ),
  /** Kept as written (`*` unexpanded): it travels to the functions in an environment variable. */
  watchlist: z._default(watchlistOrPresetSchema, DEFAULT_WATCHLIST_INPUT),
  detection: z._default(detectionOverridesSchema, {}),
  /** Named groups of partners that derived series sum (e.g. CENTRALASIA): charts, queries and detection use them. */
  groups: z._default(groupsSchema, DEFAULT_GROUPS),
  alertLookbackMonths: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(24)), 3),
  /** UN Comtrade calls a day (the key's quota): the workers spend it, the planner gives the backfill what the scheduled runs leave. */
  comtradeDailyCallBudget: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(1_000_000)), 450),
  /** Eurostat Comext calls a day (no key, no quota upstream: a politeness bound), which the planner divides as it does Comtrade's. */
  comextDailyCallBudget: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(1_000_000)), 1_000),
  /** Ingest workers at once: UN Comtrade's rate limit is per key (1 for a free key). */
  upstreamConcurrency: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(50)), 1),
  /** Days the drop bucket keeps files (and their reports) in done/ and rejected/. */
  dropRetentionDays: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(3650)), 90),
  /** Days of log retention for the functions. */
  logRetentionDays: z._default(
    z.number().check(z.refine((days) => RETENTION_DAYS.includes(days), `must be one of CloudWatch Logs' retention periods: ${RETENTION_DAYS.join(', ')}`)),
    90,
  ),
});
export type DeployConfig = z.infer<typeof deployConfigSchema>;

export class DeployConfigError extends Error {
  constructor(issues: readonly string[]) {
    super(`Invalid tradewatch deploy configuration (CDK context "tradewatch"):\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'DeployConfigError';
  }
}

/** Accepts the context value as an object (cdk.json, cdk.context.json) or a JSON string (-c). */
export function parseDeployConfig(raw: unknown): DeployConfig {
  let value = raw ?? {};
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new DeployConfigError(['the value is not valid JSON']);
    }
  }
  const parsed = deployConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new DeployConfigError(parsed.error.issues.map((issue) => describeIssue(issue, '(root)')));
  }
  return parsed.data;
}
