import { createHash } from 'node:crypto';
import { SingleBar, Presets } from 'cli-progress';
import * as z from '../../zod.js';
import { commoditySelectionSchema } from '../../domain/commodity.js';
import { areaInputSchema, resolveArea } from '../../domain/countries.js';
import { periodRange, periodSchema } from '../../domain/period.js';
import { storedFlowSchema } from '../../domain/series.js';
import { DEFAULT_UPSTREAM, upstreamSchema, type Upstream } from '../../domain/upstream.js';
import { runIngest, type IngestSummary } from '../../ingest/ingest-run.js';
import { loadCliConfig, type CliConfig } from '../../config/functions.js';
import { entriesOf, trailingPeriods, watchlistRequests, watchlistSchema, type Watchlist } from '../../plan/watchlist.js';
import { presetNameSchema, WATCHLIST_PRESETS } from '../../plan/watchlist-presets.js';
import type { RejectedRecord, SourceRequest } from '../../sources/trade-source.js';
import { createComextSource, createComtradeSource, createStore, dailyCallBudget } from '../../wiring.js';
import { alertStored } from '../alert-stored.js';
import { runFailureMessage } from '../run-failure.js';
import { cliConfig } from '../store-target.js';
import { flagError, table, type Out } from './output.js';

const areaList = z.pipe(z.pipe(z.string(), z.transform((v) => v.split(','))), z.array(areaInputSchema).check(z.minLength(1)));

const optionsSchema = z.object({
  source: z._default(upstreamSchema, DEFAULT_UPSTREAM),
  reporter: z.optional(areaInputSchema),
  reporters: z.optional(areaList),
  partners: z.optional(areaList),
  flows: z.optional(z.pipe(z.pipe(z.string(), z.transform((v) => v.split(',').map((f) => f.trim()))), z.array(storedFlowSchema).check(z.minLength(1)))),
  commodity: z.optional(commoditySelectionSchema),
  from: z.optional(periodSchema),
  to: z.optional(periodSchema),
  /** A preset watchlist instead of the configured one (`chpl-transit`). */
  watchlist: z.optional(presetNameSchema),
  baseUrl: z.optional(z.url()),
  runKey: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  dryRun: z._default(z.boolean(), false),
  /** false with --no-alert: store only, recording the changes as handled. */
  alert: z._default(z.boolean(), true),
});
export type IngestOptions = z.input<typeof optionsSchema>;

/**
 * `tradewatch ingest`: fetch from UN Comtrade (COMTRADE_BASE_URL or --base-url, COMTRADE_API_KEY)
 * or, with --source comext, from Eurostat Comext (COMEXT_BASE_URL or --base-url) into the store,
 * with a progress bar; --dry-run prints the planned calls and touches nothing.
 */
export async function ingest(raw: IngestOptions, out: Out, interactive = process.stderr.isTTY): Promise<void> {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) throw flagError(parsed.error.issues[0]!, raw as Record<string, unknown>);
  const options = parsed.data;
  for (const typed of [raw.reporter, ...(raw.reporters?.split(',') ?? []), ...(raw.partners?.split(',') ?? [])]) {
    const note = typed === undefined ? undefined : resolveArea(typed)?.note;
    if (note) out(`Note: ${note}.`);
  }
  if (options.from && options.to && options.from > options.to) throw new Error(`--from ${options.from} is after --to ${options.to}`);
  const base = options.dryRun ? loadCliConfig() : cliConfig();
  const config = withBaseUrl(base, options.source, options.baseUrl);

  const watchlist = askedWatchlist(options.watchlist ? watchlistSchema.parse(WATCHLIST_PRESETS[options.watchlist]) : config.watchlist, options);
  const trailing = trailingPeriods(watchlist, new Date());
  const periods = periodRange(options.from ?? (options.to ? options.to : trailing[0]!), options.to ?? trailing.at(-1)!);
  const requests = watchlistRequests(watchlist, periods);

  let retries = 0;
  const store = options.dryRun ? undefined : createStore(config);
  const onRetry = () => retries++;
  const { client, source } =
    options.source === 'comext'
      ? createComextSource(config, { onRetry })
      : createComtradeSource(config, { apiKey: config.comtrade.apiKey, onRetry, ...(store ? { budget: dailyCallBudget(config, store.runs) } : {}) });
  const plan = requests.flatMap((r) => source.plan(r));
  if (options.dryRun) {
    out(`Dry run: ${plan.length} call(s) to ${options.source === 'comext' ? config.comext.baseUrl : config.comtrade.baseUrl} for ${periods[0]}..${periods.at(-1)}, nothing fetched or stored.`);
    for (const call of plan) out(`  ${call}`);
    return;
  }

  // The same command resumes the same run, until that run is done (then the next one starts).
  const runKey = options.runKey ?? (await store!.runs.resumableKey(defaultRunKey(source.name, requests)));
  const bar = new SingleBar(
    { format: 'ingest [{bar}] {value}/{total} calls | {observations} observations | {retries} retries | ETA {eta_formatted}', noTTYOutput: false },
    Presets.shades_classic,
  );
  if (interactive) bar.start(plan.length, 0, { observations: 0, retries: 0 });
  let summary: IngestSummary;
  try {
    summary = await runIngest({
      source,
      requests,
      series: store!.series,
      now: () => new Date(),
      run: { key: runKey, repository: store!.runs },
      onProgress: ({ calls, observations }) => {
        if (interactive) bar.update(calls, { observations, retries });
      },
    });
  } catch (error) {
    throw new Error(runFailureMessage(error, config, runKey, options.runKey !== undefined ? `the same command (--run-key ${runKey})` : `the same command (or add --run-key ${runKey})`));
  } finally {
    if (interactive) bar.stop();
  }
  if (summary.alreadyDone) {
    out(`Run ${runKey} had already finished: nothing fetched.`);
    return;
  }
  out(
    `Run ${runKey}: ${summary.calls} call(s) (${summary.skippedCalls} skipped, done before), ${client.stats.attempts} attempt(s), ` +
      `${summary.observations} observations: ${summary.inserted} new, ${summary.revised} revised, ${summary.unchanged} unchanged; ` +
      `${summary.rejected.length} rejected (quarantined).`,
  );
  const r = client.stats.retries;
  out(
    `Retries: ${r['rate-limited']} rate-limited (waited ${(client.stats.retryAfterWaitMs / 1000).toFixed(1)} s as Retry-After asked), ${r.quota} quota, ` +
      `${r['server-error']} server errors, ${r.timeout} timeouts, ${r.network} network, ${r['malformed-body']} malformed bodies.`,
  );
  for (const line of rejectedLines(summary.rejected)) out(line);
  if (summary.failedCalls.length > 0) {
    out(`${summary.failedCalls.length} call(s) failed every attempt (the rest went on); run the same command again to retry them:`);
    for (const failed of summary.failedCalls) out(`  ${failed.call}: ${failed.error}`);
  }
  if (summary.stopped) out(`Stopped: ${summary.stopped}. Run the same command again (or with --run-key ${runKey}) to resume.`);
  await alertStored(config, store!, [...new Set(requests.map((r) => r.reporter))], { noAlert: !options.alert }, out);
}

type ParsedOptions = z.output<typeof optionsSchema>;

/** The configuration with --base-url put where the chosen upstream reads its address. */
function withBaseUrl(config: CliConfig, upstream: Upstream, baseUrl: string | undefined): CliConfig {
  if (!baseUrl) return config;
  return upstream === 'comext' ? { ...config, comext: { ...config.comext, baseUrl } } : { ...config, comtrade: { ...config.comtrade, baseUrl } };
}

/**
 * What the flags ask for: the watchlist's entries of the chosen upstream, or, narrowed by flags,
 * one entry per reporter named (`--reporters EU27_2020,DE`, or `--reporter`), the partners, flows
 * and commodity named or else the watchlist's.
 */
function askedWatchlist(configured: Watchlist, options: ParsedOptions): Watchlist {
  const watched = entriesOf(configured, options.source);
  const reporters = [...new Set([...(options.reporter ? [options.reporter] : []), ...(options.reporters ?? [])])];
  const narrowed = reporters.length > 0 || options.partners || options.flows || options.commodity;
  if (!narrowed) {
    if (watched.entries.length === 0) throw new Error(`the watchlist has no ${options.source} entry: name what to fetch with --reporters and --partners`);
    return watched;
  }
  const first = watched.entries[0];
  const named = reporters.length > 0 ? reporters : first ? [first.reporter] : [];
  const partners = options.partners ?? first?.partners;
  if (named.length === 0 || !partners) throw new Error(`the watchlist has no ${options.source} entry to take them from: name --reporters and --partners`);
  return {
    monthsBack: configured.monthsBack,
    historyMonths: configured.historyMonths,
    entries: named.map((reporter) => ({ source: options.source, reporter, partners, flows: options.flows ?? ['export', 'import'], commodity: options.commodity ?? 'TOTAL' })),
  };
}

/** A run key from what is asked: the same command names the same run. */
function defaultRunKey(source: string, requests: readonly SourceRequest[]): string {
  return `cli-${source}-${createHash('sha1').update(JSON.stringify(requests)).digest('hex').slice(0, 12)}`;
}

/** Rejected records as a table: series, month, field, value and why. */
export function rejectedLines(rejected: readonly RejectedRecord[]): string[] {
  if (rejected.length === 0) return [];
  return [
    `Rejected (kept in quarantine; \`tradewatch runs show\` lists them again):`,
    ...table([
      ['SERIES', 'MONTH', 'FIELD', 'VALUE', 'REASON', 'WHERE'],
      ...rejected.map((r) => [r.seriesId ?? '-', r.period ?? '-', r.field, JSON.stringify(r.value) ?? 'undefined', r.reason, r.where]),
    ]).map((line) => `  ${line}`),
  ];
}

