import './node-version-notice.js';
import { Command } from 'commander';
import { runDemo } from './commands/demo.js';

const program = new Command()
  .name('tradewatch')
  .description('Monitor official monthly trade statistics: ingest, store with revisions, detect jumps, alert.');

program
  .command('demo')
  .description('run the whole pipeline locally on the bundled illustrative data set (what `npm start` runs)')
  .option('--keep-running', 'keep DynamoDB Local running afterwards, to query it with the CLI', false)
  .option('--db-path <dir>', 'keep DynamoDB Local data in this folder instead of memory')
  .action(async (options: { keepRunning: boolean; dbPath?: string }) => {
    await runDemo({ keepRunning: options.keepRunning, dbPath: options.dbPath, out: (line) => console.log(line) });
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`tradewatch: ${(error as Error).message}`);
  process.exitCode = 1;
});
