import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { FUNCTION_BUNDLING } from '../../infra/constructs/bundling.js';

/** Bundles one function exactly as the stack's NodejsFunction does (same esbuild options). */
export function buildFunctionBundle(name: string, outfile: string): Promise<void> {
  return buildLambdaBundle(fileURLToPath(new URL(`../../functions/${name}/handler.ts`, import.meta.url)), outfile);
}

/** Bundles any entry point with the stack's esbuild options. */
export async function buildLambdaBundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: FUNCTION_BUNDLING.format,
    target: FUNCTION_BUNDLING.target,
    minify: FUNCTION_BUNDLING.minify,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    alias: { ...FUNCTION_BUNDLING.alias },
    logLevel: 'silent',
  });
}

const RESULT_MARK = 'BUNDLE-RESULT ';
const ERROR_MARK = 'BUNDLE-ERROR ';

export interface BundleInvocation {
  /** What the handler returned; undefined when it threw. */
  readonly result?: unknown;
  /** The message of what the handler threw, as Lambda would report it. */
  readonly error?: string;
  /** Everything the process wrote (the functions' structured logs). */
  readonly logs: string;
}

/**
 * Imports a bundle in a fresh Node process with only `env` (as Lambda starts one) and calls its
 * handler once with `event`. `preload` is a module run first (`node --import`).
 */
export function invokeBundle(bundle: string, event: unknown, env: Record<string, string>, preload?: string): Promise<BundleInvocation> {
  const context = { functionName: 'tradewatch-test', functionVersion: '$LATEST', awsRequestId: 'bundle-test', memoryLimitInMB: '512' };
  const script = `
    const { handler } = await import(${JSON.stringify(`file://${bundle}`)});
    const context = { ...${JSON.stringify(context)}, getRemainingTimeInMillis: () => 60000 };
    try {
      const result = await handler(${JSON.stringify(event)}, context);
      process.stdout.write('\\n${RESULT_MARK}' + JSON.stringify(result ?? null) + '\\n');
    } catch (error) {
      process.stdout.write('\\n${ERROR_MARK}' + JSON.stringify(String(error?.message ?? error)) + '\\n');
    }`;
  const args = [...(preload ? ['--import', preload] : []), '--input-type=module', '-e', script];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout.split('\n');
      const result = lines.find((l) => l.startsWith(RESULT_MARK));
      const error = lines.find((l) => l.startsWith(ERROR_MARK));
      const logs = stdout + stderr;
      if (code !== 0 || (!result && !error)) return reject(new Error(`${bundle} exited ${code}:\n${stderr.slice(0, 4000)}`));
      if (error) return resolve({ error: JSON.parse(error.slice(ERROR_MARK.length)) as string, logs });
      resolve({ result: JSON.parse(result!.slice(RESULT_MARK.length)) as unknown, logs });
    });
  });
}
