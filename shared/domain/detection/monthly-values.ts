import { formatPeriod, parsePeriod, type Period } from '../period.js';
import type { Observation } from '../series.js';
import type { Slab } from './slab.js';

/** The value of the ASCII digit at `i`, or -1 for any other character. */
function digitAt(period: string, i: number): number {
  const digit = period.charCodeAt(i) - 48;
  return digit >= 0 && digit <= 9 ? digit : -1;
}

/** Months as integers (year x 12 + month - 1): arithmetic without strings on the hot path. */
export function monthIndex(period: Period): number {
  if (period.length === 7 && period.charCodeAt(4) === 45) {
    const y0 = digitAt(period, 0);
    const y1 = digitAt(period, 1);
    const y2 = digitAt(period, 2);
    const y3 = digitAt(period, 3);
    const m0 = digitAt(period, 5);
    const m1 = digitAt(period, 6);
    const month = m0 * 10 + m1;
    if ((y0 | y1 | y2 | y3 | m0 | m1) >= 0 && month >= 1 && month <= 12) return (y0 * 1000 + y1 * 100 + y2 * 10 + y3) * 12 + month - 1;
  }
  const { year, month } = parsePeriod(period); // throws, naming the malformed value
  return year * 12 + month - 1;
}

export function periodOfIndex(index: number): Period {
  return formatPeriod({ year: Math.floor(index / 12), month: (index % 12) + 1 });
}

/** A series as consecutive months from `firstMonth`; NaN where a month is not known (never zero). */
export interface MonthlyValues {
  readonly firstMonth: number;
  readonly values: Float64Array;
}

/**
 * Observations usually come sorted by period, so the first and last give the span and one pass
 * places every value; any other order takes a second pass to find the span first.
 */
export function toMonthlyValues(observations: readonly Observation[], slab?: Slab): MonthlyValues {
  const n = observations.length;
  if (n === 0) return { firstMonth: 0, values: new Float64Array(0) };
  const first = monthIndex(observations[0]!.period);
  const last = monthIndex(observations[n - 1]!.period);
  if (last >= first) {
    const values = allocate(last - first + 1, slab);
    if (place(observations, first, values)) return { firstMonth: first, values };
  }
  let lowest = Infinity;
  let highest = -Infinity;
  for (let i = 0; i < n; i++) {
    const index = monthIndex(observations[i]!.period);
    if (index < lowest) lowest = index;
    if (index > highest) highest = index;
  }
  const values = allocate(highest - lowest + 1, slab);
  place(observations, lowest, values);
  return { firstMonth: lowest, values };
}

function allocate(length: number, slab: Slab | undefined): Float64Array {
  return (slab ? slab.float64(length) : new Float64Array(length)).fill(NaN);
}

/** Writes each observation's comparable value (see `comparableValue`) at its month; false when one falls outside. */
function place(observations: readonly Observation[], firstMonth: number, values: Float64Array): boolean {
  for (let i = 0; i < observations.length; i++) {
    const observation = observations[i]!;
    const offset = monthIndex(observation.period) - firstMonth;
    if (offset < 0 || offset >= values.length) return false;
    // comparableValue inlined: a double returned from a call not inlined is boxed, on every observation.
    const state = observation.state;
    values[offset] = state === 'published' && observation.value !== null ? observation.value : state === 'zero' ? 0 : NaN;
  }
  return true;
}
