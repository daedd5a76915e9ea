import { describe, expect, it } from 'vitest';
import type { Observation } from '../../../shared/domain/series.js';
import { unitValueSeries } from '../../../shared/domain/unit-value.js';

describe('the unit-value series', () => {
  it('is value per kg, months without a weight kept and marked, an estimated weight flagged, a zero weight never divided by', () => {
    const observations: Observation[] = [
      { period: '2024-01', value: null, state: 'combined' },
      { period: '2024-02', value: 300, state: 'published', quantities: { netWeight: { kg: 100, estimated: true } } },
      { period: '2024-03', value: 200, state: 'published' },
      { period: '2024-04', value: 200, state: 'published', quantities: { netWeight: { kg: 0, estimated: false } } },
      { period: '2024-05', value: null, state: 'suppressed' },
    ];
    expect(unitValueSeries(observations)).toEqual({
      measure: 'net weight',
      unit: 'kg',
      items: [
        { period: '2024-01', value: null, state: 'combined', amount: null, unitValue: null, estimated: false, note: 'carried by the next month' },
        { period: '2024-02', value: 300, state: 'published', amount: 100, unitValue: 3, estimated: true },
        { period: '2024-03', value: 200, state: 'published', amount: null, unitValue: null, estimated: false, note: 'no net weight stored' },
        { period: '2024-04', value: 200, state: 'published', amount: 0, unitValue: null, estimated: false, note: 'net weight 0 kg for a positive value: implausible' },
        { period: '2024-05', value: null, state: 'suppressed', amount: null, unitValue: null, estimated: false, note: 'no value (suppressed)' },
      ],
    });
  });

  it('is value per unit where no month is weighed and every month counts in the same unit, else per kg with the months marked', () => {
    const items = (unitCode: number, unit: string) => ({ quantity: { amount: 4, unitCode, unit, estimated: false } });
    const sameUnit: Observation[] = [
      { period: '2024-01', value: 100, state: 'published', quantities: items(5, 'u') },
      { period: '2024-02', value: 200, state: 'published', quantities: items(5, 'u') },
    ];
    const perUnit = unitValueSeries(sameUnit);
    expect(perUnit).toMatchObject({ measure: 'quantity', unit: 'u' });
    expect(perUnit.items.map((m) => m.unitValue)).toEqual([25, 50]);
    const mixed = unitValueSeries([sameUnit[0]!, { ...sameUnit[1]!, quantities: items(7, 'l') }]);
    expect(mixed).toMatchObject({ measure: 'net weight', unit: 'kg' });
    expect(mixed.items.map((m) => m.note)).toEqual(['no net weight stored', 'no net weight stored']);
  });
});
