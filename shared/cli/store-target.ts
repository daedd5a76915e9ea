import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from '../zod.js';
import { loadCliConfig, type CliConfig } from '../config/functions.js';

/** Where `npm start -- --keep-running` says which DynamoDB Local it runs, for the other commands. */
export const LOCAL_TARGET_FILE = join('.tradewatch', 'local-dynamodb.json');

/** The local drop folder (incoming/, done/, rejected/) that `tradewatch drop` and `npm start -- --keep-running` watch. */
export const LOCAL_DROP_DIR = join('.tradewatch', 'drop');

const localTargetSchema = z.object({
  endpoint: z.url(),
  tableName: z.string().check(z.minLength(3)),
  /** The local alert topic (fauxqs) of `npm start -- --keep-running`: imports and ingests alert there. */
  alerts: z.optional(z.object({ snsEndpoint: z.url(), topicArn: z.string(), routes: z.string() })),
});
export type LocalTarget = z.infer<typeof localTargetSchema>;

export interface StoreTarget {
  /** A deployed table: with it, the usual AWS profile and region apply. */
  readonly table?: string | undefined;
  readonly region?: string | undefined;
}

let target: StoreTarget = {};

/** Set once from the global --table and --region flags. */
export function useStoreTarget(next: StoreTarget): void {
  target = next;
}

export function announceLocalTarget(target: LocalTarget): void {
  mkdirSync('.tradewatch', { recursive: true });
  writeFileSync(LOCAL_TARGET_FILE, JSON.stringify(target));
}

export function withdrawLocalTarget(): void {
  rmSync(LOCAL_TARGET_FILE, { force: true });
}

/**
 * The configuration the CLI's store commands use: a deployed table when --table names one,
 * else DYNAMODB_ENDPOINT, else the DynamoDB Local that `npm start -- --keep-running` runs.
 */
export function cliConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  if (target.table) return loadCliConfig({ ...env, TABLE_NAME: target.table, ...(target.region ? { AWS_REGION: target.region } : {}) });
  if (env.DYNAMODB_ENDPOINT) return loadCliConfig(env);
  if (existsSync(LOCAL_TARGET_FILE)) {
    const local = localTargetSchema.safeParse(JSON.parse(readFileSync(LOCAL_TARGET_FILE, 'utf8')));
    if (local.success) {
      const alerts = local.data.alerts && !env.ALERT_TOPIC_ARN ? { SNS_ENDPOINT: local.data.alerts.snsEndpoint, ALERT_TOPIC_ARN: local.data.alerts.topicArn, ROUTES: local.data.alerts.routes } : {};
      return loadCliConfig({ ...env, DYNAMODB_ENDPOINT: local.data.endpoint, TABLE_NAME: local.data.tableName, ...alerts });
    }
  }
  throw new Error(
    'no DynamoDB to query: run `npm start -- --keep-running` in another terminal (DynamoDB Local), ' +
      'set DYNAMODB_ENDPOINT, or name a deployed table with --table NAME [--region REGION]',
  );
}
