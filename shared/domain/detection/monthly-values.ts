import { formatPeriod, parsePeriod, type Period } from '../period.js';
import { comparableValue, type Observation } from '../series.js';
import type { Slab } from './slab.js';

const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6] as const;

function digitsAt(period: string): boolean {
  if (period.length !== 7 || period.charCodeAt(4) !== 45) return false;
  for (let i = 0; i < DIGIT_POSITIONS.length; i++) {
    const code = period.charCodeAt(DIGIT_POSITIONS[i]!);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** Months as integers (year x 12 + month - 1): arithmetic without strings on the hot path. */
export function monthIndex(period: Period): number {
  if (digitsAt(period)) {
    const year = period.charCodeAt(0) * 1000 + period.charCodeAt(1) * 100 + period.charCodeAt(2) * 10 + period.charCodeAt(3) - 48 * 1111;
    const month = period.charCodeAt(5) * 10 + period.charCodeAt(6) - 48 * 11;
    if (month >= 1 && month <= 12) return year * 12 + month - 1;
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

export function toMonthlyValues(observations: readonly Observation[], slab?: Slab): MonthlyValues {
  if (observations.length === 0) return { firstMonth: 0, values: new Float64Array(0) };
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < observations.length; i++) {
    const index = monthIndex(observations[i]!.period);
    if (index < first) first = index;
    if (index > last) last = index;
  }
  const values = (slab ? slab.float64(last - first + 1) : new Float64Array(last - first + 1)).fill(NaN);
  for (let i = 0; i < observations.length; i++) {
    const observation = observations[i]!;
    values[monthIndex(observation.period) - first] = comparableValue(observation) ?? NaN;
  }
  return { firstMonth: first, values };
}
