import * as z from '../../zod.js';
import { addMonths, monthName, parsePeriod, periodRange, periodSchema, type Period } from '../period.js';
import { comparableValue, seriesId, type Observation, type SeriesKey } from '../series.js';
import type { Anomaly } from './anomaly.js';

export const RULE_LITTLE_BEFORE_MUCH_AFTER = 'little-before-much-after';

/**
 * The pattern the authorities flag for diversion: a partner that took little of an item before a
 * date (February 2022 for Russia's neighbours) and much after. Switched on per watchlist entry, in
 * its detection settings: `{"littleBeforeMuchAfter": {"date": "2022-03"}}`.
 */
export const littleBeforeMuchAfterSchema = z.object({
  /** The first month of "after": the base window is the `baseMonths` months before it. */
  date: periodSchema,
  baseMonths: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(36)), 12),
  /** How many times the base's monthly mean the after window's must be. */
  ratio: z._default(z.number().check(z.minimum(1)), 5),
  /** The after window: the latest `baseMonths` months from `date` on, at least this many of them known. */
  minAfterMonths: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(36)), 3),
  /** "Much" is at least this much a month on average, in the series' currency: a few shipments of nothing are not a pattern. */
  minPerMonth: z._default(z.number().check(z.nonnegative()), 100_000),
});
export type LittleBeforeMuchAfter = z.infer<typeof littleBeforeMuchAfterSchema>;

export interface WindowTotal {
  readonly from: Period;
  readonly to: Period;
  /** e.g. `Mar 2021-Feb 2022`. */
  readonly label: string;
  /** Months whose value is known (the base needs all of them). */
  readonly months: number;
  readonly total: number;
  readonly perMonth: number;
}

export interface PatternWindows {
  readonly date: Period;
  readonly base: WindowTotal;
  readonly after: WindowTotal;
  /** After's monthly mean over the base's; undefined when the base is nothing at all. */
  readonly ratio?: number;
  /** The rule's ratio, what `ratio` had to reach. */
  readonly ratioAsked: number;
}

const label = (period: Period) => `${monthName(parsePeriod(period).month)} ${parsePeriod(period).year}`;
const windowLabel = (from: Period, to: Period) => (from === to ? label(from) : `${label(from)}-${label(to)}`);

/**
 * What the series held in each month of a window: its value, zero where nothing is stored but the
 * month lies where the source was asked (`coveredFrom` on: customs sources publish no row for
 * trade that did not happen), undefined where nobody knows (suppressed, not released, never asked).
 * A January published inside its Jan-Feb release counts as zero, its value being in February's.
 */
function monthValues(observations: readonly Observation[], months: readonly Period[], coveredFrom: Period | undefined): (number | undefined)[] {
  const byPeriod = new Map(observations.map((o) => [o.period, o]));
  return months.map((period) => {
    const observation = byPeriod.get(period);
    if (!observation) return coveredFrom !== undefined && period >= coveredFrom ? 0 : undefined;
    if (observation.state === 'combined') return 0;
    return comparableValue(observation);
  });
}

function windowTotal(from: Period, to: Period, values: readonly (number | undefined)[]): WindowTotal {
  const known = values.filter((v): v is number => v !== undefined);
  const total = known.reduce((sum, v) => sum + v, 0);
  return { from, to, label: windowLabel(from, to), months: known.length, total, perMonth: known.length === 0 ? 0 : total / known.length };
}

/**
 * The base and after windows of the rule as of the series' latest month, or undefined when the
 * rule cannot be judged yet: a base month nobody knows (history not loaded, suppressed), or fewer
 * than `minAfterMonths` known months after the date.
 */
export function patternWindows(observations: readonly Observation[], rule: LittleBeforeMuchAfter, coveredFrom: Period | undefined): PatternWindows | undefined {
  const latest = observations.at(-1)?.period;
  if (latest === undefined || latest < rule.date) return undefined;
  const baseFrom = addMonths(rule.date, -rule.baseMonths);
  const baseTo = addMonths(rule.date, -1);
  const baseValues = monthValues(observations, periodRange(baseFrom, baseTo), coveredFrom);
  if (baseValues.includes(undefined)) return undefined;
  const afterFrom = [addMonths(latest, -(rule.baseMonths - 1)), rule.date].sort().at(-1)!;
  const after = windowTotal(afterFrom, latest, monthValues(observations, periodRange(afterFrom, latest), coveredFrom));
  if (after.months < rule.minAfterMonths) return undefined;
  const base = windowTotal(baseFrom, baseTo, baseValues);
  return { date: rule.date, base, after, ratioAsked: rule.ratio, ...(base.perMonth > 0 ? { ratio: after.perMonth / base.perMonth } : {}) };
}

export function patternHolds(windows: PatternWindows, rule: LittleBeforeMuchAfter): boolean {
  return windows.after.perMonth >= rule.minPerMonth && windows.after.perMonth >= rule.ratio * windows.base.perMonth;
}

/**
 * The rule's finding for one series as an anomaly, so it is alerted exactly once like any other:
 * one event per series and date (its key does not move as the after window does), revised quietly
 * as later releases grow the after window. A base of nothing is counted as one unit of currency a
 * month in `change`, which must stay a finite number to be stored; the texts say "from nothing".
 */
export function littleBeforeMuchAfter(series: SeriesKey, observations: readonly Observation[], rule: LittleBeforeMuchAfter, coveredFrom: Period | undefined): Anomaly | undefined {
  const windows = patternWindows(observations, rule, coveredFrom);
  if (!windows || !patternHolds(windows, rule)) return undefined;
  const id = seriesId(series);
  const key = `${id}#${rule.date}#${RULE_LITTLE_BEFORE_MUCH_AFTER}`;
  const { base, after } = windows;
  const ratio = after.perMonth / Math.max(base.perMonth, 1);
  return {
    series,
    seriesId: id,
    bucketKey: `${after.from}..${after.to}`,
    bucketLabel: after.label,
    period: after.to,
    direction: 'up',
    type: 'LS',
    severity: 'warning',
    dedupKey: key,
    eventKey: key,
    eventStart: rule.date,
    eventBuckets: 1,
    phase: 'new',
    explanation: {
      value: after.total,
      comparisonValue: base.total,
      comparisonLabel: base.label,
      change: ratio - 1,
      absoluteChange: after.perMonth - base.perMonth,
      expectedRange: [0, rule.ratio * base.perMonth],
      z: 0,
      historyLength: 0,
      historyMonths: base.months,
      typicalChange: 0,
      spreadSource: 'own',
      spread: 0,
      surprise: ratio - 1,
      rule: RULE_LITTLE_BEFORE_MUCH_AFTER,
      rules: [RULE_LITTLE_BEFORE_MUCH_AFTER],
      type: 'LS',
      littleBeforeMuchAfter: windows,
      caveats: [
        `monthly means compared: ${after.months} month${after.months === 1 ? '' : 's'} after ${label(rule.date)} with the ${base.months} before; months without a published row count as zero where the source was asked`,
      ],
    },
  };
}
