import * as z from '../../zod.js';
import { startLocalConsole } from '../../console/local-console.js';
import { cliConfig } from '../store-target.js';
import { flagError, type Out } from './output.js';

const optionsSchema = z.object({
  port: z.optional(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(65535))),
});
export type ServeOptions = z.input<typeof optionsSchema>;

/** `tradewatch serve`: the web console on 127.0.0.1 against the store the other commands read, until Ctrl+C. */
export async function serveConsole(raw: ServeOptions, out: Out): Promise<void> {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) throw flagError(parsed.error.issues[0]!, raw);
  const config = cliConfig();
  const server = await startLocalConsole(config, { port: parsed.data.port });
  out(`tradewatch console: ${server.url}  (table "${config.tableName}"${config.dynamoDbEndpoint ? ` on ${config.dynamoDbEndpoint}` : ''}; no sign-in)`);
  out('Press Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.stop();
}
