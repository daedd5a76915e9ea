import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RollingRobust } from '../../../shared/domain/detection/rolling-robust.js';
import { MAD_TO_SIGMA, median, medianAbsoluteDeviation } from '../../../shared/domain/robust.js';

describe('the rolling robust window', () => {
  it('agrees with a plain median and MAD of the last values, whatever is pushed', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 120 }), fc.integer({ min: 1, max: 40 }), (values, capacity) => {
        const window = new RollingRobust(capacity);
        values.forEach((value, i) => {
          window.push(value, 1);
          const last = values.slice(Math.max(0, i + 1 - capacity), i + 1);
          const m = median(last);
          window.summarise();
          expect(window.median()).toBeCloseTo(m, 12);
          expect(window.centre).toBeCloseTo(m, 12);
          expect(window.scaledMad).toBeCloseTo(MAD_TO_SIGMA * medianAbsoluteDeviation(last, m), 12);
          expect(window.size).toBe(last.length);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('counts the months its values cover', () => {
    const window = new RollingRobust(2);
    window.push(0.1, 2);
    window.push(0.2, 1);
    window.push(0.3, 1);
    expect(window.months).toBe(2);
  });
});
