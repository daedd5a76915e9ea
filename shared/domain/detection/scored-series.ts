import { priorSpreadAt, type DetectionConfig } from './config.js';
import type { MonthlyValues } from './monthly-values.js';
import { RollingRobust } from './rolling-robust.js';
import { Slab } from './slab.js';

/**
 * A series cut into comparison buckets (Jan+Feb merged where the reporter publishes them
 * together), each with its y/y log growth and the robust statistics of the growth history that
 * came before it: what a live run would have known at that bucket.
 */
export interface ScoredSeries {
  readonly monthly: MonthlyValues;
  readonly mergeJanFeb: boolean;
  readonly count: number;
  /** Bucket index by month offset from monthly.firstMonth (the bucket's first month); -1 elsewhere. */
  readonly bucketOfOffset: Int32Array;
  /** Month index of each bucket's first month. */
  readonly start: Int32Array;
  /** Months in each bucket: 1, or 2 for a merged Jan-Feb. */
  readonly months: Uint8Array;
  /** Bucket value; NaN when any of its months is unknown. */
  readonly value: Float64Array;
  /** Value of the same bucket a year earlier; NaN when unknown. */
  readonly previous: Float64Array;
  /** ln(value / previous); NaN when either is unknown or not positive. */
  readonly growth: Float64Array;
  /** Median of the earlier growth history ; NaN when there is none. */
  readonly centre: Float64Array;
  /** 1.4826 x MAD of the history, floored; NaN when the history is shorter than minHistoryMonths. */
  readonly ownSpread: Float64Array;
  /** The same from a shorter history (at least minOwnHistoryMonths): blended with a pooled or prior spread before use. */
  readonly provisionalSpread: Float64Array;
  /** Months covered by the history each bucket is scored against. */
  readonly historyMonths: Uint16Array;
  /** Buckets in that history. */
  readonly historyLength: Uint8Array;
}

/** Months of consecutive out-of-bounds growth after which the history takes them in again. */
const EXCLUDED_RUN_LIMIT = 12;

/**
 * A spread from `months` of own history, weighed against a reference spread (pooled from peers,
 * or the prior) that counts for the months still missing to `fullMonths`.
 */
export function blendSpread(own: number, reference: number, months: number, fullMonths: number): number {
  if (months >= fullMonths) return own;
  const w = months / fullMonths;
  return Math.sqrt(w * own * own + (1 - w) * reference * reference);
}

/** Pass one of detection: per series, no peers involved. */
export function scoreSeries(
  monthly: MonthlyValues,
  mergeJanFeb: boolean,
  config: DetectionConfig,
  window: RollingRobust = new RollingRobust(config.historyWindow),
  slab: Slab = new Slab(monthly.values.length * 64),
): ScoredSeries {
  const { firstMonth, values } = monthly;
  const n = values.length;
  const buckets = bucketCount(firstMonth, n, mergeJanFeb);
  const value = slab.float64(buckets);
  const previous = slab.float64(buckets);
  const growth = slab.float64(buckets);
  const centre = slab.float64(buckets);
  const ownSpread = slab.float64(buckets);
  const provisionalSpread = slab.float64(buckets);
  const start = slab.int32(buckets);
  const bucketOfOffset = slab.int32(n);
  const historyMonths = slab.uint16(buckets);
  const months = slab.uint8(buckets);
  const historyLength = slab.uint8(buckets);

  let count = 0;
  for (let offset = 0; offset < n; offset++) {
    const monthOfYear = (firstMonth + offset) % 12;
    if (mergeJanFeb && monthOfYear === 1 && offset > 0) {
      bucketOfOffset[offset] = -1; // February: inside the Jan-Feb bucket
      continue;
    }
    const width = mergeJanFeb && monthOfYear <= 1 ? 2 : 1;
    let total = 0;
    if (width === 2 && monthOfYear === 1) {
      total = NaN; // the series starts in February: its Jan-Feb bucket is incomplete
    } else {
      for (let m = 0; m < width; m++) total += offset + m < n ? values[offset + m]! : NaN;
    }
    // A merged bucket starts in January, even for a series whose first month is February.
    start[count] = firstMonth + offset - (width === 2 && monthOfYear === 1 ? 1 : 0);
    months[count] = width;
    value[count] = total;
    bucketOfOffset[offset] = count;
    count++;
  }

  const history = window;
  history.clear();
  const { minHistoryMonths, minOwnHistoryMonths, minSpread, zThreshold } = config;
  let excludedRun = 0;
  for (let b = 0; b < count; b++) {
    const lastYearOffset = start[b]! - 12 - firstMonth;
    const p = lastYearOffset >= 0 ? bucketOfOffset[lastYearOffset]! : -1;
    const v = value[b]!;
    const w = p >= 0 ? value[p]! : NaN;
    previous[b] = w;
    growth[b] = v > 0 && w > 0 ? Math.log(v / w) : NaN;

    historyMonths[b] = history.months;
    historyLength[b] = history.size;
    centre[b] = NaN;
    ownSpread[b] = NaN;
    provisionalSpread[b] = NaN;
    let mad = NaN;
    if (history.size > 0) {
      history.summarise();
      centre[b] = history.centre;
      if (history.months >= minOwnHistoryMonths) {
        mad = Math.max(history.scaledMad, minSpread);
        provisionalSpread[b] = mad;
        if (history.months >= minHistoryMonths) ownSpread[b] = mad;
      }
    }
    const g = growth[b]!;
    if (Number.isNaN(g)) continue; // NaN
    // Regime-aware history: a month beyond bounds (a collapse, the rebound a year later) stays out
    // of the spread, so a shock does not widen it for years and hide the recovery or a second shock.
    // After a year of nothing but such months the series has a new normal, and they are let in.
    // Only a move the same way as the y/y change itself counts, as for alerts (a slowdown that is still growth is no drop).
    // A short history's bounds are widened by the prior: only worked out for a move beyond the narrower own bounds.
    const deviation = g - centre[b]!;
    let bounds = Number.isNaN(mad) ? Infinity : zThreshold * mad;
    if (Math.abs(deviation) >= bounds && history.months < minHistoryMonths) {
      bounds = zThreshold * Math.max(mad, blendSpread(mad, priorSpreadAt(w / months[b]!, config), history.months, minHistoryMonths));
    }
    if (Math.abs(deviation) >= bounds && deviation * g > 0 && excludedRun < EXCLUDED_RUN_LIMIT) {
      excludedRun += months[b]!;
      continue;
    }
    excludedRun = 0;
    history.push(g, months[b]!);
  }
  return { monthly, mergeJanFeb, count, bucketOfOffset, start, months, value, previous, growth, centre, ownSpread, provisionalSpread, historyMonths, historyLength };
}

/** Buckets in `n` months from `firstMonth`: one a month, but a merged Jan-Feb is one (a February first month opens its own). */
function bucketCount(firstMonth: number, n: number, mergeJanFeb: boolean): number {
  if (!mergeJanFeb) return n;
  let februaries = 0;
  for (let offset = 1; offset < n; offset++) if ((firstMonth + offset) % 12 === 1) februaries++;
  return n - februaries;
}

/** The bucket that starts at `month` (a month index), or -1. */
export function bucketStartingAt(scored: ScoredSeries, month: number): number {
  const offset = month - scored.monthly.firstMonth;
  if (offset < 0 || offset >= scored.bucketOfOffset.length) return -1;
  const b = scored.bucketOfOffset[offset]!;
  return b >= 0 && scored.start[b] === month ? b : -1;
}
