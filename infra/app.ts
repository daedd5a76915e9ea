import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { parseDeployConfig } from './deploy-config.js';
import { TradewatchStack } from './tradewatch-stack.js';

const app = new App();
const config = parseDeployConfig(app.node.tryGetContext('tradewatch'));
new TradewatchStack(app, 'Tradewatch', {
  config,
  description: 'tradewatch: monitor of official monthly trade statistics',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
