import { describe, expect, it } from 'vitest';
import { median, medianAbsoluteDeviation } from '../../../shared/domain/robust.js';

describe('robust statistics', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is not moved by one wild value, unlike the mean', () => {
    const values = [0.1, 0.12, 0.09, 0.11, 0.1, 5];
    expect(median(values)).toBeCloseTo(0.105, 10);
    expect(medianAbsoluteDeviation(values)).toBeCloseTo(0.01, 10);
  });
});
