import { describe, expect, it } from 'vitest';
import { MAD_TO_SIGMA, median, medianAbsoluteDeviation, robustScale, robustZ } from '../../../shared/domain/robust.js';

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

  it('scores against 1.4826 x MAD, with a floor for unusually regular histories', () => {
    const scale = robustScale([1, 2, 3, 4, 5], 0);
    expect(scale.centre).toBe(3);
    expect(scale.spread).toBeCloseTo(MAD_TO_SIGMA * 1, 10);
    expect(robustZ(3 + 2 * MAD_TO_SIGMA, scale)).toBeCloseTo(2, 10);
    expect(robustScale([0.3, 0.3, 0.3], 0.02).spread).toBe(0.02);
  });
});
