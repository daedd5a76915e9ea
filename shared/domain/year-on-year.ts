import { bucketOf, previousYearBucket, type ComparisonBucket } from './period.js';
import { comparableValue, type Observation } from './series.js';

/** One bucket compared with the same bucket a year earlier. */
export interface YearOnYear {
  readonly bucket: ComparisonBucket;
  readonly value: number;
  readonly previousValue: number;
  /** ln(value / previousValue): symmetric, and additive across years. */
  readonly logGrowth: number;
}

/** Percentage change as a fraction: 0.83 for +83 %. */
export function growthFromLog(logGrowth: number): number {
  return Math.expm1(logGrowth);
}

/**
 * The value of a bucket, or undefined when any of its months is missing, suppressed or not yet
 * released: a gap is never read as zero.
 */
export function bucketValue(bucket: ComparisonBucket, byPeriod: ReadonlyMap<string, Observation>): number | undefined {
  let total = 0;
  for (const month of bucket.months) {
    const value = comparableValue(byPeriod.get(month));
    if (value === undefined) return undefined;
    total += value;
  }
  return total;
}

/**
 * Year-on-year comparisons over a series, oldest first. A bucket appears only when it and its
 * predecessor are complete and positive (growth from or to zero has no logarithm).
 */
export function yearOnYear(observations: readonly Observation[], mergeJanFeb: boolean): YearOnYear[] {
  const byPeriod = new Map(observations.map((o) => [o.period, o]));
  const seen = new Set<string>();
  const comparisons: YearOnYear[] = [];
  const periods = [...byPeriod.keys()].sort();
  for (const period of periods) {
    const bucket = bucketOf(period, mergeJanFeb);
    if (seen.has(bucket.key)) continue;
    seen.add(bucket.key);
    const value = bucketValue(bucket, byPeriod);
    const previousValue = bucketValue(previousYearBucket(bucket, mergeJanFeb), byPeriod);
    if (value === undefined || previousValue === undefined || value <= 0 || previousValue <= 0) continue;
    comparisons.push({ bucket, value, previousValue, logGrowth: Math.log(value / previousValue) });
  }
  return comparisons;
}
