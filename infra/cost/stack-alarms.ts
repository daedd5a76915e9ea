import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { parseDeployConfig } from '../deploy-config.js';
import { TradewatchStack } from '../tradewatch-stack.js';

/** How many CloudWatch alarms the stack creates, counted in its synthesized template (offline, no bundling). */
export function stackAlarmCount(context: unknown = {}): number {
  const outdir = mkdtempSync(join(tmpdir(), 'tradewatch-cost-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    new TradewatchStack(app, 'Tradewatch', { config: parseDeployConfig(context) });
    const resources = Object.values(app.synth().getStackByName('Tradewatch').template.Resources as Record<string, { Type: string }>);
    return resources.filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm').length;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
