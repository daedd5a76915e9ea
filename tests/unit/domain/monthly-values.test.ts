import { describe, expect, it } from 'vitest';
import { monthIndex, periodOfIndex, toMonthlyValues } from '../../../shared/domain/detection/monthly-values.js';
import type { Observation } from '../../../shared/domain/series.js';

const published = (period: string, value: number): Observation => ({ period, value, state: 'published' });

describe('monthIndex', () => {
  it('counts months from year 0 and round-trips through periodOfIndex', () => {
    expect(monthIndex('2024-01')).toBe(2024 * 12);
    expect(monthIndex('1983-12')).toBe(1983 * 12 + 11);
    for (const period of ['1999-09', '2000-10', '2010-08', '2389-03']) expect(periodOfIndex(monthIndex(period))).toBe(period);
  });

  it.each(['2024-13', '2024-00', '2024/01', '20a4-01', '2024-1', '/024-01', '2024-0:'])('rejects %s, naming it', (period) => {
    expect(() => monthIndex(period)).toThrow(period);
  });
});

describe('toMonthlyValues', () => {
  it('places sorted months, leaves a gap unknown (NaN, never zero), and reads zero months as 0', () => {
    const { firstMonth, values } = toMonthlyValues([
      published('2024-01', 10),
      { period: '2024-02', value: null, state: 'suppressed' },
      { period: '2024-04', value: 0, state: 'zero' },
      published('2024-05', 7),
    ]);
    expect(firstMonth).toBe(monthIndex('2024-01'));
    expect([...values]).toEqual([10, NaN, NaN, 0, 7]);
  });

  it('gives the same months whatever order the observations come in', () => {
    const sorted = [published('2023-11', 1), published('2023-12', 2), published('2024-01', 3), published('2024-03', 4)];
    const shuffled = [sorted[2]!, sorted[0]!, sorted[3]!, sorted[1]!];
    const backwards = [...sorted].reverse();
    const middleOutside = [sorted[1]!, sorted[0]!, sorted[3]!, sorted[2]!];
    for (const order of [shuffled, backwards, middleOutside]) {
      const result = toMonthlyValues(order);
      expect(result.firstMonth).toBe(monthIndex('2023-11'));
      expect([...result.values]).toEqual([1, 2, 3, NaN, 4]);
    }
  });
});
