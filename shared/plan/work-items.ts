import { describeIssue } from '../describe-issue.js';
import * as z from '../zod.js';
import { countryCodeSchema } from '../domain/codes.js';
import { selectionLabel } from '../domain/commodity.js';
import { periodSchema, type Period } from '../domain/period.js';
import { storedFlowSchema } from '../domain/series.js';
import { DEFAULT_UPSTREAM, upstreamOf, upstreamSchema, type Upstream } from '../domain/upstream.js';
import type { Watchlist } from './watchlist.js';

/**
 * One slice of a scheduled run: a reporter, a batch of its partners, the months. The planner puts
 * them on a queue; ingest workers take them one at a time, so a watchlist of every reporter and
 * partner is a longer queue, not a longer Lambda.
 */
export const workItemSchema = z.object({
  /** Resumable and idempotent under this key: the schedule's time and the slice. */
  runKey: z.string().check(z.minLength(1)),
  run: z.enum(['daily', 'monthly-refresh', 'backfill']),
  /** The upstream to fetch from; absent (items queued before Comext was scheduled) means UN Comtrade. */
  source: z.optional(upstreamSchema),
  scheduledTime: z.iso.datetime({ offset: true }),
  request: z.object({
    reporter: countryCodeSchema,
    partners: z.array(countryCodeSchema).check(z.minLength(1)),
    flows: z.array(storedFlowSchema).check(z.minLength(1)),
    periods: z.array(periodSchema).check(z.minLength(1)),
    commodity: z.string(),
  }),
  /** A backfill item's chunk of history; the partners' newest chunk completes their initial load. */
  history: z.optional(z.object({ chunk: z.string().check(z.regex(/^\d{4}-\d{2}\.\.\d{4}-\d{2}$/)), establishesNews: z.boolean() })),
});
export type WorkItem = z.infer<typeof workItemSchema>;

/** A queue message's body as a work item, or an error naming what is wrong with it. */
export function readWorkItem(body: string): WorkItem {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error(`not a work item: the message body is not JSON (${body.slice(0, 80)})`);
  }
  const parsed = workItemSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`not a work item: ${parsed.error.issues.map((issue) => describeIssue(issue, '(body)')).join('; ')}`);
  }
  return parsed.data;
}

/** Partners per work item: one Comtrade call each month-chunk, well inside a Lambda's 15 minutes. */
export const DEFAULT_PARTNERS_PER_ITEM = 50;

export function planWorkItems(
  watchlist: Watchlist,
  periods: readonly Period[],
  run: Exclude<WorkItem['run'], 'backfill'>,
  scheduledTime: string,
  partnersPerItem = DEFAULT_PARTNERS_PER_ITEM,
): WorkItem[] {
  return watchlist.entries.flatMap((entry) => {
    const items: WorkItem[] = [];
    const source = upstreamOf(entry);
    for (let i = 0; i < entry.partners.length; i += partnersPerItem) {
      const partners = entry.partners.slice(i, i + partnersPerItem);
      items.push({
        runKey: `${run}-${scheduledTime}-${upstreamPrefix(source)}${entry.reporter}-${selectionLabel(entry.commodity)}-${i / partnersPerItem}`,
        run,
        source,
        scheduledTime,
        request: { reporter: entry.reporter, partners, flows: entry.flows, periods: [...periods], commodity: entry.commodity },
      });
    }
    return items;
  });
}

/** Run keys name the upstream, bar UN Comtrade's, which keep the keys they always had (a resumed run finds its checkpoints). */
export function upstreamPrefix(upstream: Upstream): string {
  return upstream === DEFAULT_UPSTREAM ? '' : `${upstream}-`;
}
