import * as z from '../zod.js';
import { parseEnvironment, storeSettings, storeVariables, watchSettings, watchVariables, type StoreSettings, type WatchSettings } from './environment.js';

/** What the query side needs: the table, and what is watched and how it is judged (charts mark anomalies). */
export type QueryConfig = StoreSettings & WatchSettings;

const queryEnvironmentSchema = z.object({ ...storeVariables, ...watchVariables });

/** Reads and validates the query function's environment once, at start-up. */
export function loadQueryConfig(env: NodeJS.ProcessEnv = process.env): QueryConfig {
  const e = parseEnvironment(queryEnvironmentSchema, env);
  return { ...storeSettings(e), ...watchSettings(e) };
}
