import { formatMoneyIn, moneyUnit } from '../format.js';

/** Steps of 1, 2, 2.5 or 5 times a power of ten: the values a reader counts in. */
const NICE_MULTIPLIERS = [1, 2, 2.5, 5, 10] as const;

export interface AxisTick {
  readonly value: number;
  readonly label: string;
}

/** Round away binary noise (0.1 + 0.2) so a tick is the decimal it stands for. */
function clean(value: number): number {
  return Number(value.toPrecision(12));
}

/** The nice step that cuts `span` into about `intervals` pieces. */
export function niceStep(span: number, intervals: number): number {
  const raw = span / intervals;
  const power = 10 ** Math.floor(Math.log10(raw));
  const multiplier = NICE_MULTIPLIERS.find((m) => m * power >= raw * (1 - 1e-9)) ?? 10;
  return clean(multiplier * power);
}

/**
 * Evenly spaced round values from at or below `min` to at or above `max`, about `intervals`
 * apart (never more than intervals + 2): 0, 50bn, 100bn, 150bn for a series peaking at 131.38bn.
 */
export function niceTicks(min: number, max: number, intervals = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError(`axis range ${min}..${max} is not finite`);
  let [low, high] = min <= max ? [min, max] : [max, min];
  if (low === high) high = low + (Math.abs(low) || 1);
  const step = niceStep(high - low, intervals);
  let first = Math.floor(clean(low / step));
  let last = Math.ceil(clean(high / step));
  // Division can round a bound onto the wrong side of a tick (or, for the tiniest values, to zero).
  if (first * step > low) first--;
  if (last * step < high) last++;
  return Array.from({ length: last - first + 1 }, (_, k) => clean((first + k) * step));
}

/** Decimals needed to write `value` exactly (at most 6): 2 for 0.25, 0 for 50. */
function decimalsOf(value: number): number {
  const fixed = value.toFixed(6).replace(/0+$/, '');
  return fixed.length - fixed.indexOf('.') - 1;
}

/**
 * Labels for a money axis, all in one unit (the largest tick's) with as many decimals as the step
 * needs: `US$0`, `US$50bn`, `US$100bn`; `US$0`, `US$0.25bn`, `US$0.50bn`.
 */
export function moneyTicks(min: number, max: number, currency: string, intervals = 5): AxisTick[] {
  const values = niceTicks(min, max, intervals);
  const step = values.length > 1 ? values[1]! - values[0]! : 1;
  const unit = moneyUnit(Math.max(...values.map(Math.abs)));
  const decimals = decimalsOf(clean(step / unit.divisor));
  return values.map((value) => ({ value, label: formatMoneyIn(value, currency, unit, decimals) }));
}
