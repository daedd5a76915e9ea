import './node-version-notice.js';
import { Command } from 'commander';
import type { BacktestOptions } from './commands/backtest.js';
import type { EvaluateOptions } from './commands/evaluate.js';
import type { IngestOptions } from './commands/ingest.js';
import type { ShowOptions } from './commands/query.js';
import type { StatusOptions } from './commands/status.js';
import type { ServeOptions } from './commands/serve.js';
import type { SubscribeOptions, WatchAddOptions } from './commands/manage.js';
import { useStoreTarget } from './store-target.js';

/**
 * Each command's module, loaded when that command runs: the CLI starts without loading what the
 * other commands need (the demo's DynamoDB Local, the console, the bundles' SDK clients).
 */
const command = {
  backtest: () => import('./commands/backtest.js'),
  demo: () => import('./commands/demo.js'),
  drop: () => import('./commands/drop.js'),
  evaluate: () => import('./commands/evaluate.js'),
  importCsv: () => import('./commands/import-csv.js'),
  ingest: () => import('./commands/ingest.js'),
  query: () => import('./commands/query.js'),
  runs: () => import('./commands/runs.js'),
  status: () => import('./commands/status.js'),
  serve: () => import('./commands/serve.js'),
  silence: () => import('./commands/silence.js'),
  manage: () => import('./commands/manage.js'),
};

const program = new Command()
  .name('tradewatch')
  .description('Monitor official monthly trade statistics: ingest, store with revisions, detect jumps, alert.')
  .option('--table <name>', 'query a deployed table (AWS profile and region as usual) instead of DynamoDB Local')
  .option('--region <region>', 'the deployed table\'s region')
  .hook('preAction', () => useStoreTarget(program.opts<{ table?: string; region?: string }>()));

program
  .command('demo')
  .description('run the whole pipeline locally on the bundled illustrative data set (what `npm start` runs)')
  .option('--keep-running', 'keep DynamoDB Local running afterwards, to query it with the CLI', false)
  .option('--db-path <dir>', 'keep DynamoDB Local data in this folder instead of memory')
  .option('--port <port>', 'with --keep-running, serve the web console on this port of 127.0.0.1 (default: a free one)')
  .action(async (options: { keepRunning: boolean; dbPath?: string; port?: string }) => {
    const port = options.port === undefined ? undefined : Number(options.port);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new Error(`--port "${options.port}": expected a port number from 0 to 65535`);
    await (await command.demo()).runDemo({ keepRunning: options.keepRunning, dbPath: options.dbPath, port, out: (line) => console.log(line) });
  });

program
  .command('serve')
  .description('serve the web console on 127.0.0.1 against the store (the DynamoDB Local of `npm start -- --keep-running` by default, a deployed table with --table), no sign-in')
  .option('--port <port>', 'the port (default: a free one)')
  .action(async (options: ServeOptions) => (await command.serve()).serveConsole(options, print));

const print = (line: string) => console.log(line);
const series = program
  .command('series')
  .description('query series: the DynamoDB Local of `npm start -- --keep-running` by default, a deployed table with --table');
series
  .command('list')
  .description('list stored series')
  .option('--reporter <iso3>', 'only this reporter, e.g. CHN')
  .option('--partner <iso3>', 'only this partner, e.g. AZE')
  .option('--flow <flow>', 'export or import')
  .option('--source <source>', 'e.g. comtrade')
  .action(async (options: { reporter?: string; partner?: string; flow?: string; source?: string }) => (await command.query()).listSeries(options, print));
series
  .command('show <id>')
  .description(
    'show a series, stored or derived: comtrade.CHN.AZE.export.TOTAL.USD, its turnover comtrade.CHN.AZE.trade.TOTAL.USD, ' +
      'a group comtrade.CHN.CENTRALASIA.trade.TOTAL.USD, or a mirror (the partner\'s own report beside it) comtrade.CHN.KGZ.export.TOTAL.USD~mirror',
  )
  .option('--from <YYYY-MM>', 'first month')
  .option('--to <YYYY-MM>', 'last month')
  .option('--as-of <date>', 'what was known then: YYYY-MM-DD (end of that day, UTC) or an ISO time')
  .option('--view <view>', 'monthly, ytd (year to date), yoy (change on a year earlier), annual or unit-value (value per kg of net weight, or per unit)', 'monthly')
  .option('--format <format>', 'table, csv or json', 'table')
  .option('--demo', 'read the bundled demo data set instead of the store', false)
  .action(async (id: string, options: ShowOptions) => (await command.query()).showSeries(id, options, print));
series
  .command('chart <id>')
  .description('draw a series with its anomalies marked, to an .html page (embedded SVG) or an .svg file')
  .requiredOption('--out <file>', 'where to write: chart.html or chart.svg')
  .option('--from <YYYY-MM>', 'first month')
  .option('--to <YYYY-MM>', 'last month')
  .option('--demo', 'read the bundled demo data set instead of the store', false)
  .action(async (id: string, options: { out: string; from?: string; to?: string; demo?: boolean }) => (await command.query()).chartSeries(id, options, print));

program
  .command('alerts')
  .description('alerts and their delivery state')
  .command('list')
  .description('list stored alerts, oldest first')
  .option('--since <date or time>', 'only alerts created from then on: YYYY-MM-DD (from the start of that day, UTC) or an ISO time')
  .option('--severity <level>', 'this level and above: info, warning or critical')
  .action(async (options: { since?: string; severity?: string }) => (await command.query()).listAlerts(options, print));

program
  .command('ingest')
  .description('fetch monthly trade data from UN Comtrade or Eurostat Comext into the store (the watchlist, or what the flags name)')
  .option('--source <name>', 'comtrade (UN Comtrade, USD) or comext (Eurostat Comext, EU reporters, EUR)', 'comtrade')
  .option('--reporter <iso3>', 'e.g. CHN (default: the watchlist)')
  .option('--reporters <list>', 'comma list of reporters, e.g. EU27_2020,DE (Comext codes are read too)')
  .option('--partners <list>', 'comma list of ISO codes, M49 numbers, world, TWN (Comtrade 490), EU27_2020_EXTRA…, e.g. KAZ,AZE')
  .option('--flows <list>', 'export,import')
  .option('--commodity <code>', 'TOTAL, an HS code, AG2|AG4|AG6 (a whole level), a comma list of HS codes or a named list (CHPL, CHPL-1 … CHPL-4B)')
  .option('--watchlist <preset>', 'a preset watchlist instead of the configured one: china-neighbours, chpl-transit')
  .option('--from <YYYY-MM>', 'first month (default: the trailing window)')
  .option('--to <YYYY-MM>', 'last month')
  .option('--base-url <url>', 'a server shaped like the source (default COMTRADE_BASE_URL or COMEXT_BASE_URL)')
  .option('--run-key <key>', 'name the run (by default the same command resumes the same run until it is done)')
  .option('--dry-run', 'print the planned calls; fetch and store nothing', false)
  .option('--no-alert', 'store only: record the changes as handled, send no alert')
  .action(async (options: IngestOptions) => (await command.ingest()).ingest(options, print));
const runs = program.command('runs').description('ingest runs: their state, failed calls and quarantined records');
runs
  .command('list')
  .description('runs, newest first')
  .option('--limit <n>', 'how many', '20')
  .action(async (options: { limit?: string }) => (await command.runs()).listRuns(options, print));
runs
  .command('show <key>')
  .description('one run: its state, the calls that failed every attempt, the records it quarantined (series, month, field, value, reason)')
  .action(async (key: string) => (await command.runs()).showRun(key, print));

program
  .command('import <file>')
  .description('import a CSV you downloaded by hand: reporter,partner,flow,period,value,currency,unit[,commodity][,state]')
  .option('--skip-bad', 'store the good rows and report the bad ones (default: store nothing unless every row parses)', false)
  .option('--no-alert', 'store only: record the changes as handled, send no alert')
  .action(async (file: string, options: { skipBad?: boolean; alert?: boolean }) => (await command.importCsv()).importCsv(file, options, print));

program
  .command('drop [dir]')
  .description('import the CSV files in DIR/incoming (default .tradewatch/drop) as the drop bucket does: detect, alert, move each to done/ or rejected/ with a report')
  .option('--watch', 'keep watching DIR/incoming for new files until Ctrl+C', false)
  .action(async (dir: string | undefined, options: { watch?: boolean }) => (await command.drop()).dropFolder(dir, options, print));

const silence = program.command('silence').description('hold alerts back for some series until a date (they are stored, not sent)');
silence
  .command('add')
  .description('add a silence')
  .requiredOption('--series <id>', 'a series id; any part may be *, e.g. comtrade.CHN.AZE.*.TOTAL.USD')
  .requiredOption('--until <date>', 'YYYY-MM-DD (through that day, UTC), an ISO time, or days from now such as 90d')
  .requiredOption('--reason <text>', 'why, for whoever reads the list later')
  .action(async (options: { series: string; until: string; reason: string }) => (await command.silence()).addSilence(options, print));
silence.command('list').description('list silences, active and ended').action(async () => (await command.silence()).listSilences(print));
silence
  .command('remove <id>')
  .description('remove a silence')
  .action(async (id: string) => (await command.silence()).removeSilence(id, print));

const watch = program.command('watch').description('the watchlist in the table, which the scheduled runs read (the deploy settings only seed it)');
watch
  .command('add')
  .description('watch a reporter with partners: prints the calls a day and a month, the backfill and the monthly cost, then saves it')
  .option('--reporter <code>', 'e.g. CHN, or * for every reporter')
  .option('--partners <list>', 'comma list such as KAZ,AZE, or * for every partner')
  .option('--flows <list>', 'export,import (default both)')
  .option('--commodity <code>', 'TOTAL (default), an HS code, AG2|AG4|AG6, a comma list of HS codes or a named list (CHPL)')
  .option('--source <name>', 'comtrade (default) or comext')
  .option('--jan-feb-combined', 'the reporter publishes January and February as one release')
  .option('--detection <json>', 'detection settings for this reporter, e.g. {"zThreshold":4}')
  .option('--entry <json>', 'the whole entry as JSON, as the API takes it, instead of the flags')
  .option('--dry-run', 'print the preview only; save nothing', false)
  .action(async (options: WatchAddOptions) => (await command.manage()).watchAdd(options, print));
watch
  .command('list')
  .description('the entries, with their ids')
  .option('--format <format>', 'table or json', 'table')
  .action(async (options: { format?: string }) => (await command.manage()).watchList(options, print));
watch
  .command('remove <id>')
  .description('stop watching an entry (its series stay stored)')
  .action(async (id: string) => (await command.manage()).watchRemove(id, print));

program
  .command('subscribe')
  .description('subscribe an e-mail address or phone number to alerts (an SNS subscription filtered on its route; e-mail waits for confirmation)')
  .option('--email <address>', 'an e-mail address')
  .option('--sms <number>', 'a phone number in E.164 form, e.g. +4915112345678')
  .option('--min-severity <level>', 'info, warning or critical (default warning for e-mail, critical for SMS)')
  .option('--reporters <list>', 'only alerts about these reporters, e.g. CHN')
  .option('--partners <list>', 'only alerts about these partners, e.g. AZE,KAZ')
  .action(async (options: SubscribeOptions) => (await command.manage()).subscribeCommand(options, print));
program
  .command('subscriptions')
  .description('the subscriptions stored in the table and their state (pending confirmation, confirmed, failed)')
  .option('--format <format>', 'table or json', 'table')
  .action(async (options: { format?: string }) => (await command.manage()).listSubscriptionsCommand(options, print));
program
  .command('unsubscribe <id>')
  .description('remove a subscription and its SNS subscription')
  .action(async (id: string) => (await command.manage()).unsubscribeCommand(id, print));

program
  .command('backtest [id]')
  .description('replay history bucket by bucket as live runs would have seen it: what would have fired, the noise budget, counts per rule and type')
  .option('--all', 'every stored series (instead of one ID)', false)
  .option('--from <YYYY-MM>', 'first month to replay')
  .option('--to <YYYY-MM>', 'last month to replay')
  .option('--format <format>', 'table, csv or json', 'table')
  .option('--demo', 'replay the bundled demo data set instead of the store', false)
  .action(async (id: string | undefined, options: Omit<BacktestOptions, 'id'>) => (await command.backtest()).runBacktest({ ...options, ...(id ? { id } : {}) }, print));

program
  .command('evaluate')
  .description('judge detection against labelled events: recall, lag to first alert, alerts per series-year outside events, held-back moves')
  .requiredOption('--series <file.csv>', 'series in the import CSV format (reporter,partner,flow,period,value,currency,unit)')
  .requiredOption('--events <file.json>', 'labelled events (see tests/fixtures/real/eu-exports-2019-2024.events.json)')
  .option('--format <format>', 'table, csv or json', 'table')
  .option('--detection <json>', 'detection settings over the defaults, e.g. {"zThreshold":4}')
  .action(async (options: EvaluateOptions) => (await command.evaluate()).runEvaluate(options, print));

program
  .command('status')
  .description('where tracking stands: per watchlist entry the months stored, backfill and last release; next runs, calls used today, quarantined records')
  .option('--reporter <code>', 'only this reporter\'s entries')
  .option('--format <format>', 'table or json', 'table')
  .action(async (options: StatusOptions) => (await command.status()).showStatus(options, print));

program.parseAsync().catch((error: unknown) => {
  console.error(`tradewatch: ${(error as Error).message}`);
  process.exitCode = 1;
});
