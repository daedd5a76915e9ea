import type { BaseEffect } from './anomaly.js';
import type { DetectionConfig } from './config.js';
import { bucketLabel } from './explain.js';
import { bucketStartingAt, type ScoredSeries } from './scored-series.js';

/**
 * When the bucket compared with was itself alerted the other way (a trough a year ago makes an
 * ordinary month look like a jump), the comparison with two years earlier, scored against twice
 * the typical y/y growth. Undefined when the base was not alerted or is unknown.
 */
export function baseEffectAt(
  s: ScoredSeries,
  b: number,
  z: Float64Array,
  alerted: Int8Array,
  expected: { centre: number; spread: number },
  config: DetectionConfig,
): BaseEffect | undefined {
  const start = s.start[b]!;
  const p = bucketStartingAt(s, start - 12);
  if (p < 0) return undefined;
  const zb = z[b]!;
  const baseZ = z[p]!;
  if (alerted[p] !== -Math.sign(zb)) return undefined;
  const q = bucketStartingAt(s, start - 24);
  const twoYearValue = q < 0 ? NaN : s.value[q]!;
  const value = s.value[b]!;
  const twoYearGrowth = value > 0 && twoYearValue > 0 ? Math.log(value / twoYearValue) : NaN;
  // With a level that is trend plus noise, the two-year log change has the y/y change's spread.
  const twoYearZ = (twoYearGrowth - 2 * expected.centre) / expected.spread;
  const onlyBase = !(Math.abs(twoYearZ) >= config.zThreshold && Math.sign(twoYearZ) === Math.sign(zb));
  return {
    basePeriod: bucketLabel(s, b, -12),
    baseZ,
    twoYearLabel: bucketLabel(s, b, -24),
    twoYearValue,
    twoYearChange: Math.expm1(twoYearGrowth),
    twoYearZ,
    onlyBase,
  };
}
