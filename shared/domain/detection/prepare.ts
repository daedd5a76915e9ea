import { bucketOf, type ComparisonBucket } from '../period.js';
import { isCombinedWithNext, type SeriesKey } from '../series.js';
import type { DetectionConfig } from './config.js';
import type { DetectableObservation, SeriesInput } from './detect.js';
import { periodOfIndex, toMonthlyValues } from './monthly-values.js';
import type { RollingRobust } from './rolling-robust.js';
import { scoreSeries, type ScoredSeries } from './scored-series.js';
import type { Slab } from './slab.js';

export function mergesJanFeb(series: SeriesKey, config: DetectionConfig): boolean {
  return config.janFebCombinedReporters.includes(series.reporter);
}

/** Pass one of detection for one input: its buckets, growth and history statistics. */
export function scoreInput(input: SeriesInput, config: DetectionConfig, rolling: RollingRobust, slab: Slab): ScoredSeries {
  const merge = mergesJanFeb(input.series, config);
  return scoreSeries(toMonthlyValues(bucketable(input.observations, merge), slab), merge, config, rolling, slab);
}

/** One comparison bucket of a series with its value and the same bucket's a year earlier (undefined where not known). */
export interface BucketValue {
  readonly bucket: ComparisonBucket;
  readonly value: number | undefined;
  readonly previous: number | undefined;
}

/**
 * The series cut into the buckets detection compares (Jan+Feb as one for reporters set as
 * publishing them together), for views and charts to show what detection sees.
 */
export function comparisonBuckets(input: SeriesInput, config: DetectionConfig): BucketValue[] {
  const merge = mergesJanFeb(input.series, config);
  const scored = scoreSeries(toMonthlyValues(bucketable(input.observations, merge)), merge, config);
  const known = (v: number) => (Number.isNaN(v) ? undefined : v);
  return Array.from({ length: scored.count }, (_, b) => ({
    bucket: bucketOf(periodOfIndex(scored.start[b]!), merge),
    value: known(scored.value[b]!),
    previous: known(scored.previous[b]!),
  }));
}

/** A plain loop: on every series of every run, a callback per month costs more than the check. */
function anyCombined(observations: readonly DetectableObservation[]): boolean {
  for (let i = 0; i < observations.length; i++) if (observations[i]!.state === 'combined') return true;
  return false;
}

/**
 * A January published only inside February's value: with Jan+Feb merged it adds nothing of its
 * own to the bucket (February carries both); without merging, that February is not February alone,
 * so neither month is compared.
 */
function bucketable(observations: readonly DetectableObservation[], mergeJanFeb: boolean): readonly DetectableObservation[] {
  if (!anyCombined(observations)) return observations;
  if (mergeJanFeb) return observations.map((o) => (isCombinedWithNext(o) ? { ...o, value: 0, state: 'zero' as const } : o));
  const combinedYears = new Set(observations.filter(isCombinedWithNext).map((o) => o.period.slice(0, 4)));
  return observations.map((o) =>
    o.period.endsWith('-02') && combinedYears.has(o.period.slice(0, 4)) ? { ...o, value: null, state: 'combined' as const } : o,
  );
}
