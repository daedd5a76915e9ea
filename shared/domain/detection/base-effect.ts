import type { BaseEffect } from './anomaly.js';
import type { DetectionConfig } from './config.js';
import { bucketLabel } from './explain.js';
import { bucketStartingAt, type ScoredSeries } from './scored-series.js';

/**
 * The bucket compared with, when it was itself unusual: a real move (its y/y change the same way
 * as its departure from the typical growth) alerted then, or now beyond the continuation bound by
 * today's centre and spread, or past the floor. Or a base that moved the other way when, against
 * two years earlier, this bucket is ordinary: a trough a year ago makes any recovery look like a
 * jump. Then the comparison with two years earlier, scored against twice the typical y/y growth,
 * says whether the base alone makes this bucket look unusual. `ofEvent`: the event this bucket
 * continues opened on a base effect, so the base is named whatever it looks like now.
 */
export function baseEffectAt(
  s: ScoredSeries,
  b: number,
  z: Float64Array,
  unusual: Int8Array,
  expected: { centre: number; spread: number },
  config: DetectionConfig,
  ofEvent = false,
): BaseEffect | undefined {
  const start = s.start[b]!;
  const p = bucketStartingAt(s, start - 12);
  if (p < 0) return undefined;
  const sign = Math.sign(z[b]!);
  const baseGrowth = s.growth[p]!;
  if (Number.isNaN(baseGrowth)) return undefined;
  const baseZ = (baseGrowth - expected.centre) / expected.spread;
  const realBase = Math.sign(baseZ) === Math.sign(baseGrowth);
  const unusualBase = unusual[p] !== 0 || (realBase && (Math.abs(baseZ) >= config.continueZ || Math.abs(baseGrowth) >= Math.log1p(config.growthFloor)));

  const q = bucketStartingAt(s, start - 24);
  const twoYearValue = q < 0 ? NaN : s.value[q]!;
  const value = s.value[b]!;
  const twoYearGrowth = value > 0 && twoYearValue > 0 ? Math.log(value / twoYearValue) : NaN;
  // With a level that is trend plus noise, the two-year log change has the y/y change's spread.
  const twoYearZ = (twoYearGrowth - 2 * expected.centre) / expected.spread;
  const ordinaryOverTwoYears = !(Math.abs(twoYearZ) >= config.zThreshold && Math.sign(twoYearZ) === sign);
  const opposite = Math.sign(baseGrowth) === -sign;
  if (!ofEvent && !unusualBase && !(opposite && ordinaryOverTwoYears)) return undefined;
  return {
    basePeriod: bucketLabel(s, b, -12),
    baseZ,
    twoYearLabel: bucketLabel(s, b, -24),
    twoYearValue,
    twoYearChange: Math.expm1(twoYearGrowth),
    twoYearZ,
    onlyBase: (opposite || ofEvent) && ordinaryOverTwoYears,
  };
}
