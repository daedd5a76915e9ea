import { describeIssue } from '../../describe-issue.js';
import { newSubscriptionSchema } from '../../domain/alerts/subscription.js';
import { selectionLabel } from '../../domain/commodity.js';
import { listSubscriptions, subscribe, unsubscribe } from '../../manage/subscription-admin.js';
import { addWatchEntry, formatUsd, listWatchEntries, newWatchEntrySchema, previewWatchEntry, removeWatchEntry, type WatchPreview } from '../../manage/watchlist-admin.js';
import type { WatchEntry } from '../../plan/watch-entries.js';
import { manageServices } from '../../wiring.js';
import type * as z from '../../zod.js';
import { cliConfig } from '../store-target.js';
import { table, type Out } from './output.js';

/** `tradewatch watch` and `subscribe`: the manage API's services, on the store the other commands use. */

export interface WatchAddOptions {
  readonly reporter?: string;
  readonly partners?: string;
  readonly flows?: string;
  readonly commodity?: string;
  readonly source?: string;
  readonly janFebCombined?: boolean;
  readonly detection?: string;
  /** The whole entry as JSON, as the API takes it, instead of the flags. */
  readonly entry?: string;
  readonly dryRun?: boolean;
}

const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);

/** A flag's bad value, named as typed (the body's field names are the flags' names). */
function parsed<T extends z.ZodMiniType>(schema: T, raw: Record<string, unknown>, whole?: string): z.output<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (whole) throw new Error(`${whole}: ${describeIssue(issue, '(the entry)')}`);
  const name = String(issue.path[0] ?? '');
  const flag = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const value = raw[name];
  const typed = value === undefined ? '' : ` "${Array.isArray(value) ? value.join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value)}"`;
  throw new Error(`--${flag}${typed}: ${describeIssue({ ...issue, path: issue.path.slice(1) })}`);
}

function entryOf(options: WatchAddOptions) {
  if (options.entry) {
    let json: unknown;
    try {
      json = JSON.parse(options.entry);
    } catch {
      throw new Error('--entry: expected a JSON object such as {"reporter":"CHN","partners":["KAZ"]}');
    }
    return parsed(newWatchEntrySchema, json as Record<string, unknown>, '--entry');
  }
  let detection: unknown;
  if (options.detection) {
    try {
      detection = JSON.parse(options.detection);
    } catch {
      throw new Error(`--detection "${options.detection}": expected JSON such as {"zThreshold":4}`);
    }
  }
  const raw: Record<string, unknown> = {
    reporter: options.reporter,
    partners: options.partners === '*' ? '*' : list(options.partners),
    ...(options.flows ? { flows: list(options.flows) } : {}),
    ...(options.commodity ? { commodity: options.commodity } : {}),
    ...(options.source ? { source: options.source } : {}),
    ...(options.janFebCombined ? { janFebCombined: true } : {}),
    ...(detection !== undefined ? { detection } : {}),
  };
  if (raw.reporter === undefined) throw new Error('--reporter is required (or the whole entry with --entry JSON)');
  if (raw.partners === undefined) throw new Error('--partners is required: a comma list such as KAZ,AZE, or * for every partner');
  return parsed(newWatchEntrySchema, raw);
}

export function previewLines(preview: WatchPreview): string[] {
  return [
    `  series            ${preview.seriesCount}`,
    `  calls a day       ${preview.callsPerDay} at most (the daily run)`,
    `  calls a month     ${preview.callsPerMonth}`,
    `  backfill          ${preview.backfillCalls} calls, ${preview.backfillDays === null ? 'no room in the daily budget' : `about ${preview.backfillDays} day(s)`}`,
    `  monthly cost      ${formatUsd(preview.monthlyCostUsd)} more`,
  ];
}

export async function watchAdd(options: WatchAddOptions, out: Out): Promise<void> {
  const entry = entryOf(options);
  const services = manageServices(cliConfig());
  if (options.dryRun) {
    const preview = await previewWatchEntry(services.watchlist, entry);
    out(`Would watch ${preview.summary}`);
    for (const line of previewLines(preview)) out(line);
    out('Nothing saved (--dry-run).');
    return;
  }
  const { entry: saved, preview, created } = await addWatchEntry(services.watchlist, entry);
  out(`Watching ${preview.summary}`);
  for (const line of previewLines(preview)) out(line);
  out(created ? `Saved as entry ${saved.id}: the next scheduled run fetches it and queues its backfill.` : `Entry ${saved.id} was watched already: nothing changed.`);
}

const describeEntry = (e: WatchEntry) => [
  e.id,
  e.source ?? 'comtrade',
  e.reporter,
  e.partners === '*' ? '*' : e.partners.join(','),
  e.flows.join(','),
  selectionLabel(e.commodity),
  e.addedAt.slice(0, 10),
];

export async function watchList(options: { format?: string }, out: Out): Promise<void> {
  const services = manageServices(cliConfig());
  const watchlist = await listWatchEntries(services.watchlist);
  if (options.format === 'json') {
    out(JSON.stringify(watchlist, null, 2));
    return;
  }
  if (watchlist.entries.length === 0) {
    out('The watchlist is empty: add an entry with `tradewatch watch add --reporter CHN --partners KAZ`.');
    return;
  }
  for (const line of table([['ID', 'SOURCE', 'REPORTER', 'PARTNERS', 'FLOWS', 'COMMODITY', 'ADDED'], ...watchlist.entries.map(describeEntry)])) out(line);
  out(`Every entry: the last ${watchlist.monthsBack} months fetched each run, ${watchlist.historyMonths} months of history backfilled.`);
}

export async function watchRemove(id: string, out: Out): Promise<void> {
  const services = manageServices(cliConfig());
  if (!(await removeWatchEntry(services.watchlist, id))) throw new Error(`no watchlist entry with id ${id} (see: tradewatch watch list)`);
  out(`Entry ${id} removed: its series stay stored, the scheduled runs no longer fetch them.`);
}

function subscriptionServices() {
  const services = manageServices(cliConfig());
  if (!services.subscriptions) throw new Error('no alert topic: set ALERT_TOPIC_ARN (the AlertTopicArn output), or run `npm start -- --keep-running` for the local one');
  return services.subscriptions;
}

export interface SubscribeOptions {
  readonly email?: string;
  readonly sms?: string;
  readonly minSeverity?: string;
  readonly reporters?: string;
  readonly partners?: string;
}

export async function subscribeCommand(options: SubscribeOptions, out: Out): Promise<void> {
  if (Boolean(options.email) === Boolean(options.sms)) throw new Error('name one subscriber: --email ADDRESS or --sms +NUMBER');
  const raw: Record<string, unknown> = {
    protocol: options.email ? 'email' : 'sms',
    endpoint: options.email ?? options.sms,
    ...(options.minSeverity ? { minSeverity: options.minSeverity } : {}),
    ...(options.reporters ? { reporters: list(options.reporters) } : {}),
    ...(options.partners ? { partners: list(options.partners) } : {}),
  };
  const input = newSubscriptionSchema.safeParse(raw);
  if (!input.success) {
    const issue = input.error.issues[0]!;
    const field = String(issue.path[0] ?? '');
    const flag = field === 'endpoint' || field === 'protocol' ? (options.email ? 'email' : 'sms') : field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new Error(`--${flag}: ${describeIssue({ ...issue, path: issue.path.slice(1) })}`);
  }
  const { subscription } = await subscribe(subscriptionServices(), input.data);
  out(`Subscription ${subscription.id}: ${subscription.protocol} ${subscription.endpoint}, ${subscription.minSeverity} and above${filters(subscription)}, ${subscription.state}.`);
  if (subscription.note) out(`  ${subscription.note}`);
}

const filters = (s: { reporters?: string[] | undefined; partners?: string[] | undefined }) =>
  `${s.reporters ? `, reporters ${s.reporters.join(',')}` : ''}${s.partners ? `, partners ${s.partners.join(',')}` : ''}`;

export async function listSubscriptionsCommand(options: { format?: string }, out: Out): Promise<void> {
  const all = await listSubscriptions(subscriptionServices());
  if (options.format === 'json') {
    out(JSON.stringify({ subscriptions: all }, null, 2));
    return;
  }
  if (all.length === 0) {
    out('No subscriptions stored (subscribers set at deploy time are SNS subscriptions of the stack, not listed here).');
    return;
  }
  for (const line of table([
    ['ID', 'PROTOCOL', 'ENDPOINT', 'SEVERITY', 'REPORTERS', 'PARTNERS', 'STATE'],
    ...all.map((s) => [s.id, s.protocol, s.endpoint, `${s.minSeverity}+`, s.reporters?.join(',') ?? 'all', s.partners?.join(',') ?? 'all', s.state]),
  ])) {
    out(line);
  }
}

export async function unsubscribeCommand(id: string, out: Out): Promise<void> {
  if (!(await unsubscribe(subscriptionServices(), id))) throw new Error(`no subscription with id ${id} (see: tradewatch subscriptions)`);
  out(`Subscription ${id} removed, with its SNS subscription.`);
}
