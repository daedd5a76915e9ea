import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { moneyTicks, niceStep, niceTicks } from '../../../../shared/domain/chart/axis-ticks.js';
import { formatMoney } from '../../../../shared/domain/format.js';

const labels = (min: number, max: number, currency = 'USD') => moneyTicks(min, max, currency).map((t) => t.label);

describe('nice axis ticks', () => {
  it('covers a zero-based range in round steps instead of fractions of the maximum', () => {
    expect(niceTicks(0, 131.38e9)).toEqual([0, 50e9, 100e9, 150e9]);
    expect(labels(0, 131.38e9)).toEqual(['US$0', 'US$50bn', 'US$100bn', 'US$150bn']);
    expect(niceTicks(0, 77.0e6)).toEqual([0, 20e6, 40e6, 60e6, 80e6]);
    expect(labels(0, 77.0e6)).toEqual(['US$0', 'US$20m', 'US$40m', 'US$60m', 'US$80m']);
    expect(labels(0, 520e6)).toEqual(['US$0', 'US$200m', 'US$400m', 'US$600m']);
  });

  it('steps by 2.5 where that fits best, writing every label with the decimals the step needs', () => {
    expect(niceStep(1.1e9, 5)).toBe(0.25e9);
    expect(labels(0, 1.1e9)).toEqual(['US$0', 'US$0.25bn', 'US$0.50bn', 'US$0.75bn', 'US$1.00bn', 'US$1.25bn']);
  });

  it('starts a range away from zero at a round value below it', () => {
    expect(niceTicks(95.3e9, 131.4e9)).toEqual([90e9, 100e9, 110e9, 120e9, 130e9, 140e9]);
    expect(labels(95.3e9, 131.4e9)[0]).toBe('US$90bn');
  });

  it('handles tiny and huge ranges, negatives, a single value and reversed bounds', () => {
    expect(niceTicks(0, 3.2)).toEqual([0, 1, 2, 3, 4]);
    expect(labels(0, 3.2)).toEqual(['US$0', 'US$1', 'US$2', 'US$3', 'US$4']);
    expect(niceTicks(0.0012, 0.0047)).toEqual([0.001, 0.002, 0.003, 0.004, 0.005]);
    expect(niceTicks(0, 4.2e12)).toEqual([0, 1e12, 2e12, 3e12, 4e12, 5e12]);
    expect(labels(0, 4.2e12)).toEqual(['US$0', 'US$1000bn', 'US$2000bn', 'US$3000bn', 'US$4000bn', 'US$5000bn']);
    expect(labels(-3e6, 7e6, 'EUR')).toEqual(['-EUR 4m', '-EUR 2m', 'EUR 0', 'EUR 2m', 'EUR 4m', 'EUR 6m', 'EUR 8m']);
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(40, 40)).toEqual([40, 50, 60, 70, 80]);
    expect(niceTicks(10, 0)).toEqual(niceTicks(0, 10));
    expect(() => niceTicks(0, Number.NaN)).toThrow(/not finite/);
  });

  it('always covers the range in equal steps of 1, 2, 2.5 or 5 x 10^k, with 3 to 7 intervals', () => {
    const bound = fc.double({ min: -1e13, max: 1e13, noNaN: true });
    fc.assert(
      fc.property(bound, bound, (a, b) => {
        // Amounts: ranges of at least a thousandth, and wide enough to tell apart from their size in doubles.
        fc.pre(Math.abs(a - b) >= Math.max(1e-3, Math.max(Math.abs(a), Math.abs(b)) * 1e-6));
        const ticks = niceTicks(a, b);
        const step = ticks[1]! - ticks[0]!;
        const mantissa = Number((step / 10 ** Math.floor(Math.log10(step))).toPrecision(6));
        expect([1, 2, 2.5, 5]).toContain(mantissa);
        expect(ticks[0]!).toBeLessThanOrEqual(Math.min(a, b));
        expect(ticks[ticks.length - 1]!).toBeGreaterThanOrEqual(Math.max(a, b));
        expect(ticks.length - 1).toBeGreaterThanOrEqual(3);
        expect(ticks.length - 1).toBeLessThanOrEqual(7);
        for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBeCloseTo(step, 6 - Math.floor(Math.log10(step)));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves the way alerts write amounts as it was', () => {
    expect([520e6, 283.5e6, 77.04e6, 131.38e9, 12_345, 42, 0, -4.6e6].map((v) => formatMoney(v, 'USD'))).toEqual([
      'US$520m',
      'US$284m',
      'US$77.0m',
      'US$131.38bn',
      'US$12.3k',
      'US$42',
      'US$0',
      '-US$4.6m',
    ]);
  });
});
