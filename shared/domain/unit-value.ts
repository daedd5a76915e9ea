import type { Observation, ObservationState } from './series.js';

/** A month of a unit-value series: its value, the amount behind it, and the value per kg (or per unit). */
export interface UnitValueMonth {
  readonly period: string;
  readonly value: number | null;
  readonly state: ObservationState;
  /** Net weight in kg (or the quantity in `unit`); null where none is stored. */
  readonly amount: number | null;
  /** value / amount; null where either is missing or the amount is zero. */
  readonly unitValue: number | null;
  /** The source estimated the amount. */
  readonly estimated: boolean;
  /** Why there is no unit value, where there is none. */
  readonly note?: string;
}

export interface UnitValueSeries {
  /** Net weight (value per kg), or a quantity whose unit is the same in every month of the window (value per that unit). */
  readonly measure: 'net weight' | 'quantity';
  /** `kg`, or the quantity's unit (`u`, `l`, …). */
  readonly unit: string;
  readonly items: UnitValueMonth[];
}

/**
 * Value per kg of net weight, month by month; where no month of the window is weighed but every
 * published month carries a quantity in one and the same unit, value per that unit instead.
 * Months without a weight (or quantity) are kept and marked, never dropped or read as zero.
 */
export function unitValueSeries(observations: readonly Observation[]): UnitValueSeries {
  const counted = observations.filter((o) => o.state === 'published');
  const units = new Set(counted.map((o) => (o.quantities?.quantity ? `${o.quantities.quantity.unitCode}` : '')));
  const firstQuantity = counted.find((o) => o.quantities?.quantity)?.quantities?.quantity;
  const byQuantity = !observations.some((o) => o.quantities?.netWeight) && firstQuantity !== undefined && units.size === 1;
  const measure = byQuantity ? 'quantity' : 'net weight';
  const unit = byQuantity ? firstQuantity.unit : 'kg';
  const items = observations.map((o): UnitValueMonth => {
    const base = { period: o.period, value: o.value, state: o.state };
    if (o.state !== 'published' || o.value === null) {
      return { ...base, amount: null, unitValue: null, estimated: false, note: o.state === 'combined' ? 'carried by the next month' : `no value (${o.state})` };
    }
    const stored = byQuantity ? o.quantities?.quantity : o.quantities?.netWeight;
    const amount = stored ? ('kg' in stored ? stored.kg : stored.amount) : null;
    if (amount === null) return { ...base, amount: null, unitValue: null, estimated: false, note: `no ${measure} stored` };
    const estimated = stored?.estimated ?? false;
    if (amount === 0) return { ...base, amount, unitValue: null, estimated, note: `${measure} 0 ${unit} for a positive value: implausible` };
    return { ...base, amount, unitValue: o.value / amount, estimated };
  });
  return { measure, unit, items };
}
