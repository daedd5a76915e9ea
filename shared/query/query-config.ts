import * as z from '../zod.js';
import { parseEnvironment, readSettings, readVariables, storeSettings, storeVariables, type ReadSettings, type StoreSettings } from '../environment.js';

/** What the query side needs: the table, the groups and the detection settings, and nothing more. */
export type QueryConfig = StoreSettings & ReadSettings;

const queryEnvironmentSchema = z.object({ ...storeVariables, ...readVariables });

/** Reads and validates the query function's environment once, at start-up. */
export function loadQueryConfig(env: NodeJS.ProcessEnv = process.env): QueryConfig {
  const e = parseEnvironment(queryEnvironmentSchema, env);
  return { ...storeSettings(e), ...readSettings(e) };
}
