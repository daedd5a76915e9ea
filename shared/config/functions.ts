import * as z from '../zod.js';
import {
  callBudgetSettings,
  callBudgetVariables,
  comextCallBudgetVariables,
  comextSettings,
  comextVariables,
  alertSettings,
  alertVariables,
  comtradeSettings,
  comtradeVariables,
  dropSettings,
  dropVariables,
  optionalAlertVariables,
  parseEnvironment,
  storeSettings,
  storeVariables,
  watchSettings,
  watchVariables,
  workQueueSettings,
  workQueueVariables,
  type AlertSettings,
  type CallBudgetSettings,
  type ComextSettings,
  type ComtradeSettings,
  type DropSettings,
  type StoreSettings,
  type WatchSettings,
  type WorkQueueSettings,
} from './environment.js';

/**
 * One configuration per function, each validated once at start-up: what a function cannot run
 * without is required, so a missing variable fails the cold start by name, not the first call
 * that needs it.
 */

/** The planner: the watchlist, the queue, and the table (backfill states, the day's call budgets) with the budgets it divides. */
export type PlanConfig = StoreSettings & WatchSettings & WorkQueueSettings & CallBudgetSettings;
const planSchema = z.object({ ...storeVariables, ...watchVariables, ...workQueueVariables, ...callBudgetVariables, ...comextCallBudgetVariables });

export function loadPlanConfig(env: NodeJS.ProcessEnv = process.env): PlanConfig {
  const e = parseEnvironment(planSchema, env);
  return { ...storeSettings(e), ...watchSettings(e), ...workQueueSettings(e), ...callBudgetSettings(e) };
}

/** An ingest worker: the store, what is watched, where alerts go, and both upstreams (an item names which). */
export type IngestConfig = StoreSettings & WatchSettings & AlertSettings & ComtradeSettings & ComextSettings;
const ingestSchema = z.object({ ...storeVariables, ...watchVariables, ...alertVariables, ...comtradeVariables, ...comextVariables });

export function loadIngestConfig(env: NodeJS.ProcessEnv = process.env): IngestConfig {
  const e = parseEnvironment(ingestSchema, env);
  return { ...storeSettings(e), ...watchSettings(e), ...alertSettings(e), ...comtradeSettings(e), ...comextSettings(e) };
}

/** The query side: the table, what is watched and how it is judged (charts mark anomalies), and the budget the status reports. */
export type QueryConfig = StoreSettings & WatchSettings & CallBudgetSettings;
const querySchema = z.object({ ...storeVariables, ...watchVariables, ...callBudgetVariables, ...comextCallBudgetVariables });

export function loadQueryConfig(env: NodeJS.ProcessEnv = process.env): QueryConfig {
  const e = parseEnvironment(querySchema, env);
  return { ...storeSettings(e), ...watchSettings(e), ...callBudgetSettings(e) };
}

/** The manage API: the table (watchlist, subscriptions), the watchlist's seed and window, the budgets a preview divides, and the alert topic it subscribes to. */
export type ManageConfig = StoreSettings & WatchSettings & AlertSettings & CallBudgetSettings;
const manageSchema = z.object({ ...storeVariables, ...watchVariables, ...alertVariables, ...callBudgetVariables, ...comextCallBudgetVariables });

export function loadManageConfig(env: NodeJS.ProcessEnv = process.env): ManageConfig {
  const e = parseEnvironment(manageSchema, env);
  return { ...storeSettings(e), ...watchSettings(e), ...alertSettings(e), ...callBudgetSettings(e) };
}

/** The drop bucket's function: the bucket, the table, how series are judged, and where alerts go. */
export type DropConfig = StoreSettings & WatchSettings & AlertSettings & DropSettings;
const dropSchema = z.object({ ...storeVariables, ...watchVariables, ...alertVariables, ...dropVariables });

export function loadDropConfig(env: NodeJS.ProcessEnv = process.env): DropConfig {
  const e = parseEnvironment(dropSchema, env);
  return { ...storeSettings(e), ...watchSettings(e), ...alertSettings(e), ...dropSettings(e) };
}

/** The CLI and the local demo: every section, publishing optional (a topic only where one is named). */
export type CliConfig = StoreSettings & WatchSettings & AlertSettings<string | undefined> & ComtradeSettings & ComextSettings & CallBudgetSettings;
const cliSchema = z.object({ ...storeVariables, ...watchVariables, ...optionalAlertVariables, ...comtradeVariables, ...comextVariables, ...comextCallBudgetVariables });

export function loadCliConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  const e = parseEnvironment(cliSchema, env);
  return { ...storeSettings(e), ...watchSettings(e), ...alertSettings(e), ...comtradeSettings(e), ...comextSettings(e), ...callBudgetSettings(e) };
}
