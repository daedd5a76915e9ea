import { formatMoney, formatUnitValue } from '../format.js';
import type { Period } from '../period.js';
import { median } from '../robust.js';
import { comparableValue, type Observation } from '../series.js';

/**
 * Is a jump volume or price? The log change of value splits exactly into a volume part and a
 * unit-value part: Δln V = Δln W + Δln (V/W), over the same buckets detection compared (Jan-Feb
 * with Jan-Feb where a reporter publishes them together). Only from stored weights (or quantities
 * in one unit): nothing is guessed.
 */

/** A unit value this many times off the series' own median (either way) is flagged as implausible. */
export const IMPLAUSIBLE_UNIT_VALUE_FACTOR = 10;
/** Months with a unit value the series needs before its median means anything. */
export const MIN_UNIT_VALUE_MONTHS = 6;
/** A part of the log change at least this share of it makes the move "mostly" that part. */
const MOSTLY = 2 / 3;

export type VolumeDriver = 'volume' | 'price' | 'both';

export interface VolumePriceSplit {
  /** What volume is measured in: net weight (kg), or a quantity in one unit across both buckets. */
  readonly measure: 'net weight' | 'quantity';
  /** `kg`, or the quantity's unit (`u`, `l`, …). */
  readonly unit: string;
  readonly volume: number;
  readonly previousVolume: number;
  readonly unitValue: number;
  readonly previousUnitValue: number;
  /** Fractions: 0.2 for +20 %. (1 + volumeChange) x (1 + unitValueChange) = 1 + the value's change. */
  readonly volumeChange: number;
  readonly unitValueChange: number;
  /** Δln W / Δln V: 1 all volume, 0 all price; beyond either when the other part moved the opposite way. */
  readonly volumeShare: number;
  readonly driver: VolumeDriver;
  /** Months of either bucket whose weight (or quantity) the source estimated. */
  readonly estimatedMonths: readonly Period[];
}

export interface VolumePriceExplanation {
  readonly split?: VolumePriceSplit;
  /** Why there is no split where the series has weights, and unit values that look implausible. */
  readonly caveats: readonly string[];
}

type Measure = { readonly measure: 'net weight'; readonly unit: 'kg' } | { readonly measure: 'quantity'; readonly unit: string; readonly unitCode: number };

interface Amount {
  readonly amount: number;
  readonly estimated: boolean;
}

/** The month's amount in the measure; 0 for a month worth zero or a January carried by February's release; undefined when not stored. */
function amountOf(o: Observation | undefined, measure: Measure): Amount | undefined {
  if (!o) return undefined;
  if (o.state === 'combined') return { amount: 0, estimated: false };
  if (measure.measure === 'net weight') {
    const w = o.quantities?.netWeight;
    if (w) return { amount: w.kg, estimated: w.estimated };
  } else {
    const q = o.quantities?.quantity;
    if (q && q.unitCode === measure.unitCode) return { amount: q.amount, estimated: q.estimated };
  }
  return o.state === 'zero' ? { amount: 0, estimated: false } : undefined;
}

interface BucketTotals {
  readonly value: number;
  readonly volume: number;
  readonly estimated: Period[];
  /** Months worth something with no amount stored. */
  readonly missing: Period[];
  /** Months worth something with an amount of zero. */
  readonly zeroAmount: Period[];
}

function totals(byPeriod: ReadonlyMap<Period, Observation>, months: readonly Period[], measure: Measure): BucketTotals | undefined {
  let value = 0;
  let volume = 0;
  const estimated: Period[] = [];
  const missing: Period[] = [];
  const zeroAmount: Period[] = [];
  for (const month of months) {
    const o = byPeriod.get(month);
    const v = o?.state === 'combined' ? 0 : comparableValue(o);
    if (v === undefined) return undefined;
    value += v;
    const a = amountOf(o, measure);
    if (!a) {
      missing.push(month);
      continue;
    }
    if (a.amount === 0 && v > 0) zeroAmount.push(month);
    volume += a.amount;
    if (a.estimated) estimated.push(month);
  }
  return { value, volume, estimated, missing, zeroAmount };
}

/** Net weight when the series has any; else a quantity whose unit is the same in every month of both buckets. */
function measureFor(observations: readonly Observation[], months: readonly Period[], byPeriod: ReadonlyMap<Period, Observation>): Measure | undefined {
  if (observations.some((o) => o.quantities?.netWeight)) return { measure: 'net weight', unit: 'kg' };
  const quantities = months.map((m) => byPeriod.get(m)).filter((o) => o && o.state === 'published').map((o) => o!.quantities?.quantity);
  const first = quantities[0];
  if (!first || quantities.some((q) => q?.unitCode !== first.unitCode)) return undefined;
  return { measure: 'quantity', unit: first.unit, unitCode: first.unitCode };
}

function driverOf(volumeShare: number): VolumeDriver {
  if (volumeShare >= MOSTLY) return 'volume';
  if (volumeShare <= 1 - MOSTLY) return 'price';
  return 'both';
}

const monthList = (months: readonly Period[]) => months.join(', ');

/**
 * The split of a bucket's change on the same bucket a year earlier into volume and unit value,
 * and the unit values of either bucket that are implausible against the series' own median.
 */
export function explainVolumePrice(
  observations: readonly Observation[],
  months: readonly Period[],
  previousMonths: readonly Period[],
  currency: string,
): VolumePriceExplanation {
  if (!observations.some((o) => o.quantities)) return { caveats: [] };
  const byPeriod = new Map(observations.map((o) => [o.period, o]));
  const measure = measureFor(observations, [...previousMonths, ...months], byPeriod);
  if (!measure) return { caveats: [] };
  const now = totals(byPeriod, months, measure);
  const before = totals(byPeriod, previousMonths, measure);
  if (!now || !before) return { caveats: [] };
  const caveats = implausibleUnitValues(observations, [...previousMonths, ...months], byPeriod, measure, currency);
  const missing = [...before.missing, ...now.missing];
  const zeroAmount = [...before.zeroAmount, ...now.zeroAmount];
  if (missing.length > 0 || zeroAmount.length > 0 || !(before.value > 0 && now.value > 0)) {
    if (missing.length > 0) caveats.push(`no volume and price split: no ${measure.measure} stored for ${monthList(missing)}`);
    return { caveats };
  }
  const logValue = Math.log(now.value / before.value);
  const logVolume = Math.log(now.volume / before.volume);
  const volumeShare = logValue === 0 ? 0.5 : logVolume / logValue;
  const unitValue = now.value / now.volume;
  const previousUnitValue = before.value / before.volume;
  return {
    split: {
      measure: measure.measure,
      unit: measure.unit,
      volume: now.volume,
      previousVolume: before.volume,
      unitValue,
      previousUnitValue,
      volumeChange: Math.expm1(logVolume),
      unitValueChange: Math.expm1(logValue - logVolume),
      volumeShare,
      driver: driverOf(volumeShare),
      estimatedMonths: [...before.estimated, ...now.estimated],
    },
    caveats,
  };
}

/**
 * A general rule, no per-series tuning: a month of either bucket worth something with a weight (or
 * quantity) of zero, or whose unit value is more than IMPLAUSIBLE_UNIT_VALUE_FACTOR times off the
 * median unit value of the series' own months (given at least MIN_UNIT_VALUE_MONTHS of them).
 */
function implausibleUnitValues(
  observations: readonly Observation[],
  months: readonly Period[],
  byPeriod: ReadonlyMap<Period, Observation>,
  measure: Measure,
  currency: string,
): string[] {
  const unitValueOf = (o: Observation | undefined): number | undefined => {
    if (o?.state !== 'published' || o.value === null || o.value <= 0) return undefined;
    const a = amountOf(o, measure);
    return a && a.amount > 0 ? o.value / a.amount : undefined;
  };
  const flags: string[] = [];
  for (const month of months) {
    const o = byPeriod.get(month);
    if (o?.state === 'published' && (o.value ?? 0) > 0 && amountOf(o, measure)?.amount === 0) {
      flags.push(`implausible unit value: ${month} is worth ${formatMoney(o.value!, currency)} with a ${measure.measure} of 0 ${measure.unit}`);
    }
  }
  const history = observations.map(unitValueOf).filter((v): v is number => v !== undefined);
  if (history.length < MIN_UNIT_VALUE_MONTHS) return flags;
  const centre = median(history);
  for (const month of months) {
    const uv = unitValueOf(byPeriod.get(month));
    if (uv === undefined) continue;
    const ratio = uv / centre;
    if (ratio > IMPLAUSIBLE_UNIT_VALUE_FACTOR || ratio < 1 / IMPLAUSIBLE_UNIT_VALUE_FACTOR) {
      const times = ratio > 1 ? `${ratio.toFixed(0)}x` : `1/${(1 / ratio).toFixed(0)}`;
      flags.push(
        `implausible unit value: ${month} at ${formatUnitValue(uv, currency, measure.unit)} is ${times} the series' median of ${formatUnitValue(centre, currency, measure.unit)} (check its ${measure.measure})`,
      );
    }
  }
  return flags;
}
