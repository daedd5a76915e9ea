import * as z from '../zod.js';

/** A calendar month, written `YYYY-MM`. */
export type Period = string;

const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const periodSchema = z.string().check(z.regex(PERIOD_PATTERN, 'expected a month as YYYY-MM, e.g. 2024-02'));

export interface YearMonth {
  readonly year: number;
  readonly month: number;
}

export function parsePeriod(period: Period): YearMonth {
  const match = PERIOD_PATTERN.exec(period);
  if (!match) throw new RangeError(`"${period}" is not a month in the form YYYY-MM`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

export function formatPeriod({ year, month }: YearMonth): Period {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

export function addMonths(period: Period, months: number): Period {
  const { year, month } = parsePeriod(period);
  const index = year * 12 + (month - 1) + months;
  return formatPeriod({ year: Math.floor(index / 12), month: (index % 12) + 1 });
}

/** Every month from `from` to `to`, both included. */
export function periodRange(from: Period, to: Period): Period[] {
  const periods: Period[] = [];
  for (let p = from; p <= to; p = addMonths(p, 1)) periods.push(p);
  return periods;
}

/**
 * The unit a year-on-year comparison is made on. For reporters that publish January and February
 * as one release (China since 2020, to smooth the moving Lunar New Year) the two months form one
 * bucket: Jan–Feb is compared with Jan–Feb, never February alone.
 */
export interface ComparisonBucket {
  /** e.g. `2024-01..02` for the merged bucket, `2024-03` otherwise. */
  readonly key: string;
  readonly year: number;
  /** The months of the bucket, in order. */
  readonly months: readonly Period[];
  /** Human wording: `Jan-Feb 2024`, `Mar 2024`. */
  readonly label: string;
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

export function monthName(month: number): string {
  return MONTH_NAMES[month - 1] ?? String(month);
}

export function bucketOf(period: Period, mergeJanFeb: boolean): ComparisonBucket {
  const { year, month } = parsePeriod(period);
  if (mergeJanFeb && month <= 2) {
    return {
      key: `${year}-01..02`,
      year,
      months: [formatPeriod({ year, month: 1 }), formatPeriod({ year, month: 2 })],
      label: `Jan-Feb ${year}`,
    };
  }
  return { key: period, year, months: [period], label: `${monthName(month)} ${year}` };
}

/** The same bucket one year earlier. */
export function previousYearBucket(bucket: ComparisonBucket, mergeJanFeb: boolean): ComparisonBucket {
  const first = bucket.months[0];
  if (first === undefined) throw new RangeError(`bucket ${bucket.key} has no months`);
  return bucketOf(addMonths(first, -12), mergeJanFeb);
}
