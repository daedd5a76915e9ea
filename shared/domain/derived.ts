import { comparisonBuckets, type DetectionConfig, type SeriesInput } from './detection/index.js';
import { quantitiesField, sumQuantities, type Quantities } from './quantities.js';
import { comparableValue, isCombinedWithNext, type Observation } from './series.js';

/**
 * Derived series, computed on read from stored ones: sums over partners (groups), year-to-date
 * cumulative values, y/y change, annual totals. A month is known only when every part is.
 */

/** Month-by-month sums of several series (e.g. the partners of a group). */
export function sumSeries(parts: readonly (readonly Observation[])[]): Observation[] {
  if (parts.length === 0) return [];
  const periods = new Set(parts.flatMap((p) => p.map((o) => o.period)));
  const lookups = parts.map((p) => new Map(p.map((o) => [o.period, o])));
  return [...periods].sort().map((period) => {
    let total = 0;
    const weighed: { value: number; quantities?: Quantities | undefined }[] = [];
    for (const lookup of lookups) {
      const observation = lookup.get(period);
      const value = comparableValue(observation);
      if (value === undefined) return { period, value: null, state: observation?.state ?? 'not-released' };
      total += value;
      weighed.push({ value, quantities: observation?.quantities });
    }
    return { period, value: total, state: total === 0 ? 'zero' : 'published', ...quantitiesField(sumQuantities(weighed)) };
  });
}

/** Cumulative from January of each year; unknown from the first unknown month of that year on. */
export function yearToDateSeries(observations: readonly Observation[]): Observation[] {
  let year = '';
  let running: number | undefined = 0;
  return [...observations]
    .sort((a, b) => a.period.localeCompare(b.period))
    .map((o) => {
      if (o.period.slice(0, 4) !== year) {
        year = o.period.slice(0, 4);
        running = o.period.endsWith('-01') ? 0 : undefined;
      }
      // A January inside February's release adds nothing yet: it has no year to date of its own.
      if (isCombinedWithNext(o)) return { period: o.period, value: null, state: 'combined' as const };
      const value = comparableValue(o);
      running = running === undefined || value === undefined ? undefined : running + value;
      return running === undefined ? { period: o.period, value: null, state: 'not-released' as const } : { period: o.period, value: running, state: 'published' as const };
    });
}

export interface ChangeOnYear {
  /** The last month of the bucket: the release that carries it. */
  readonly period: string;
  /** The bucket compared: `2024-03`, or `2024-01..02` where January and February are one release. */
  readonly bucket: string;
  /** `Mar 2024`, `Jan-Feb 2024`. */
  readonly label: string;
  readonly value: number;
  readonly previous: number;
  /** Fraction: 0.27 for +27 %. */
  readonly change: number;
}

/**
 * Each bucket detection compares against the same bucket a year earlier, where both are known and
 * the earlier one positive: Jan-Feb against Jan-Feb for a reporter that publishes them together.
 */
export function changeOnYear(input: SeriesInput, config: DetectionConfig): ChangeOnYear[] {
  return comparisonBuckets(input, config).flatMap(({ bucket, value, previous }) =>
    value === undefined || previous === undefined || previous <= 0
      ? []
      : [{ period: bucket.months[bucket.months.length - 1]!, bucket: bucket.key, label: bucket.label, value, previous, change: value / previous - 1 }],
  );
}

export interface AnnualTotal {
  readonly year: number;
  readonly value: number;
  /** Against the year before, when that year is complete too. */
  readonly change?: number;
}

/** Totals of the years whose twelve months are all known. */
export function annualTotals(observations: readonly Observation[]): AnnualTotal[] {
  const sums = new Map<number, { total: number; months: number }>();
  for (const o of observations) {
    // A January inside February's release is a known month whose value February carries.
    const value = isCombinedWithNext(o) ? 0 : comparableValue(o);
    if (value === undefined) continue;
    const year = Number(o.period.slice(0, 4));
    const entry = sums.get(year) ?? { total: 0, months: 0 };
    entry.total += value;
    entry.months++;
    sums.set(year, entry);
  }
  const complete = [...sums].filter(([, e]) => e.months === 12).sort(([a], [b]) => a - b);
  return complete.map(([year, e]) => {
    const before = sums.get(year - 1);
    return before?.months === 12 ? { year, value: e.total, change: e.total / before.total - 1 } : { year, value: e.total };
  });
}
