import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUNCTION_NAMES } from '../../../infra/constructs/bundling.js';
import { fileURLToPath } from 'node:url';
import { buildFunctionBundle, buildLambdaBundle } from '../../support/function-bundle.js';
import type { BenchResult } from '../bench-context.js';

const SIZE_GOAL_KB = 300;
const IMPORT_GOAL_MS = 200;

/** Environment a deployed function starts with (no AWS call happens at import). */
const LAMBDA_ENV = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  TABLE_NAME: 'tradewatch',
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:tradewatch-alerts',
  WORK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/tradewatch-work',
  DROP_BUCKET: 'tradewatch-drop-123456789012-us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

function coldImportMs(bundle: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(`file://${bundle}`)}); process.stdout.write(String(performance.now() - t));`;
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: LAMBDA_ENV, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`importing ${bundle} failed: ${run.stderr}`);
    samples.push(Number(run.stdout));
  }
  return samples.sort((a, b) => a - b)[2]!; // the median of five fresh processes
}

/** Each function bundled as the stack bundles it: size (minified, SDK included) and cold import time. */
export async function functionBundles(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tradewatch-bundles-'));
  const figures: string[] = [];
  const sizes = new Map<string, number>();
  try {
    for (const name of FUNCTION_NAMES) {
      const outfile = join(dir, name, 'index.mjs');
      await buildFunctionBundle(name, outfile);
      const kb = statSync(outfile).size / 1024;
      sizes.set(name, kb);
      const ms = coldImportMs(outfile);
      figures.push(
        `${name.padEnd(7)} ${kb.toFixed(1).padStart(5)} KB minified (goal <= ${SIZE_GOAL_KB} KB: ${kb <= SIZE_GOAL_KB ? 'met' : 'NOT met'}), ` +
          `cold import ${ms.toFixed(0)} ms on Node ${process.versions.node} (goal <= ${IMPORT_GOAL_MS} ms: ${ms <= IMPORT_GOAL_MS ? 'met' : 'NOT met'})`,
      );
    }
    const floorFile = join(dir, 'ingest-floor', 'index.mjs');
    await buildLambdaBundle(fileURLToPath(new URL('./ingest-library-floor.ts', import.meta.url)), floorFile);
    const floorKb = statSync(floorFile).size / 1024;
    const ingestKb = sizes.get('ingest')!;
    figures.push(
      `ingest's floor: the libraries it must use (DynamoDB, SNS, Secrets Manager via Powertools Parameters, Powertools Logger,`,
      `  Metrics and Batch, middy, zod), bundled alone with no tradewatch code: ${floorKb.toFixed(0)} KB` +
        ` (${floorKb > SIZE_GOAL_KB ? 'over' : 'under'} the goal by itself); tradewatch's own code adds ${(ingestKb - floorKb).toFixed(0)} KB`,
    );
    return { name: 'function bundles, built as the stack builds them', figures, ratio: { label: 'ingest bundle / its libraries alone', value: ingestKb / floorKb } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
