import * as z from '../../zod.js';
import { areaInputSchema } from '../../domain/countries.js';
import type { TrackingStatus } from '../../query/tracking-status.js';
import { createStore, statusOf } from '../../wiring.js';
import { cliConfig } from '../store-target.js';
import { flagError, table, type Out } from './output.js';

const optionsSchema = z.object({
  reporter: z.optional(areaInputSchema),
  format: z._default(z.enum(['table', 'json']), 'table'),
});
export type StatusOptions = z.input<typeof optionsSchema>;

/** `tradewatch status`: per watchlist entry what is stored, the backfill and its ETA, the last release; the next runs, today's budget, quarantine. */
export async function showStatus(raw: StatusOptions, out: Out, now = new Date()): Promise<void> {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) throw flagError(parsed.error.issues[0]!, raw);
  const config = cliConfig();
  const status = await statusOf(createStore(config), config)(parsed.data.reporter, now);
  if (parsed.data.format === 'json') out(JSON.stringify(status, null, 2));
  else for (const line of statusLines(status)) out(line);
}

/** The status as a person reads it in a terminal. */
export function statusLines(status: TrackingStatus): string[] {
  const { quarantine, nextRuns } = status;
  const percent = (done: number, wanted: number) => (wanted === 0 ? '-' : `${Math.floor((100 * done) / wanted)}%`);
  const upstreamLines = status.upstreams.flatMap(({ source, budget, backfill }) => {
    const eta = backfill.complete ? 'complete' : backfill.etaDays === undefined ? 'waiting: the scheduled runs leave it no calls a day' : `about ${backfill.etaDays} day(s) left at ${backfill.callsPerDay} calls a day`;
    return [
      `${UPSTREAM_NAMES[source]} calls today (${budget.day} UTC): ${budget.used} used, ${budget.planned} planned, of ${budget.limit}`,
      `${UPSTREAM_NAMES[source]} backfill: ${backfill.monthsDone} of ${backfill.monthsWanted} months (${percent(backfill.monthsDone, backfill.monthsWanted)}), ${backfill.partnersComplete} of ${backfill.partners} partners complete; ${eta}`,
    ];
  });
  return [
    `Status at ${status.at}`,
    `Next runs: daily ${nextRuns.daily}, monthly refresh ${nextRuns.monthlyRefresh} (scheduled in ${nextRuns.timeZone})`,
    ...upstreamLines,
    quarantine.records === 0
      ? `Quarantined records: none in the last ${quarantine.runsLookedAt} run(s)`
      : `Quarantined records: ${quarantine.records} in ${quarantine.runs.length} of the last ${quarantine.runsLookedAt} run(s) (tradewatch runs show KEY): ${quarantine.runs.map((r) => r.runKey).join(', ')}`,
    '',
    status.watchlist.from === 'table'
      ? "The table's watchlist (tradewatch watch add|remove change it; the scheduled runs read it):"
      : "The deploy's watchlist (WATCHLIST): the table holds none yet, and the first scheduled run seeds it from this one:",
    ...table([
      ['SOURCE', 'REPORTER', 'COMMODITY', 'PARTNERS', 'SERIES', 'MONTHS', 'FROM', 'TO', 'LAST RELEASE', 'BACKFILL'],
      ...status.entries.map((e) => [
        e.source,
        e.reporter,
        e.commodity.length > 24 ? `${e.commodity.split(',').length} HS codes` : e.commodity,
        String(e.partners),
        String(e.series),
        String(e.monthsStored),
        e.firstPeriod ?? '-',
        e.lastPeriod ?? '-',
        e.lastRelease ? `${e.lastRelease.releasedOn} (to ${e.lastRelease.throughPeriod})` : '-',
        e.backfill.partners === 0 ? 'not planned' : e.backfill.complete ? 'complete' : percent(e.backfill.monthsDone, e.backfill.monthsWanted),
      ]),
    ]),
  ];
}

const UPSTREAM_NAMES = { comtrade: 'UN Comtrade', comext: 'Eurostat Comext' } as const;
