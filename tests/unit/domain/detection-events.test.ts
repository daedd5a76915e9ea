import { describe, expect, it } from 'vitest';
import { defaultDetectionConfig, detectAcross, detectAnomalies, type Anomaly } from '../../../shared/domain/detection/index.js';
import { periodRange } from '../../../shared/domain/period.js';
import type { Observation, SeriesKey } from '../../../shared/domain/series.js';

/** Issue 13: turning points on time, recoveries, base effects, level shifts as one event, short histories. */

const key: SeriesKey = { source: 'comtrade', reporter: 'KAZ', partner: 'CHN', flow: 'export', commodity: 'TOTAL', currency: 'USD' };
const wobble = (i: number) => 1 + 0.01 * Math.sin(i * 1.7);
/** Years since 2000 as a fraction, so growth is smooth month to month. */
const years = (period: string) => Number(period.slice(0, 4)) - 2000 + (Number(period.slice(5)) - 1) / 12;
function series(from: string, to: string, level: (period: string) => number): Observation[] {
  return periodRange(from, to).map((period, i) => ({ period, value: level(period) * wobble(i), state: 'published' }));
}
const run = (observations: Observation[], evaluateFrom?: string) => detectAnomalies({ series: key, observations, evaluateFrom });
const summary = (a: Anomaly) => `${a.period} ${a.direction} ${a.type} ${a.phase}`;

describe('a turning point', () => {
  // +23 % a year, then from 2024-01 each month 4 % under the year before: a 27-point turn.
  const turn = (p: string) => 300e6 * 1.23 ** (years(p) - 16) * (p >= '2024-01' ? 0.96 / 1.23 : 1);

  it('is flagged in its first month, though the change (-4 %) is far under the 25 % floor', () => {
    const { anomalies, heldBack } = run(series('2016-01', '2024-06', turn), '2024-01');
    expect(heldBack).toEqual([]);
    const [first] = anomalies;
    expect(first).toMatchObject({ period: '2024-01', direction: 'down', phase: 'new' });
    expect(first!.explanation.change).toBeCloseTo(-0.04, 1);
    expect(first!.explanation.typicalChange).toBeCloseTo(0.23, 2);
    expect(first!.explanation.surprise).toBeCloseTo(0.96 / 1.23 - 1, 1);
    // ...and followed as one event, typed a level shift from its second month.
    expect(new Set(anomalies.map((a) => a.dedupKey))).toEqual(new Set([first!.dedupKey]));
    expect(anomalies[1]).toMatchObject({ period: '2024-02', type: 'LS' });
  });

  it('is not flagged when the growth merely slows and stays growth (a change of pace), and says why', () => {
    const slow = (p: string) => 300e6 * 1.23 ** (years(p) - 16) * (p >= '2024-01' ? 1.02 / 1.23 : 1);
    const { anomalies, heldBack } = run(series('2016-01', '2024-01', slow), '2024-01');
    expect(anomalies).toEqual([]);
    expect(heldBack).toEqual([expect.objectContaining({ gate: 'direction', reason: expect.stringMatching(/\+2\.\d % y\/y is no fall/) })]);
  });
});

describe('a collapse', () => {
  // +5 % a year; halved through 2022; back on its old path from 2023; halved again from 2024-03.
  const path = (p: string) => 300e6 * 1.05 ** (years(p) - 15) * (p.startsWith('2022') || p >= '2024-03' ? 0.5 : 1);
  const { anomalies } = run(series('2015-01', '2024-06', path), '2022-01');

  it('is one event: flagged in its first month, a level shift from its second, one dedup key, ended when it reverses', () => {
    const collapse = anomalies.filter((a) => a.eventStart === '2022-01');
    expect(collapse.map(summary).slice(0, 3)).toEqual(['2022-01 down AO new', '2022-02 down LS continuing', '2022-03 down LS continuing']);
    expect(collapse.every((a) => a.direction === 'down' && a.dedupKey === 'comtrade.KAZ.CHN.export.TOTAL.USD#2022-01#yoy-robust-z')).toBe(true);
    expect(collapse.slice(1, 12).every((a) => a.type === 'LS')).toBe(true);
    expect(collapse).toHaveLength(13);
    expect(collapse.at(-1)).toMatchObject({ period: '2023-01', phase: 'ended', severity: 'info', eventBuckets: 13 });
  });

  it('does not widen the spread for years: the recovery and a second shock are both seen', () => {
    const recovery = anomalies.find((a) => a.period === '2023-01' && a.direction === 'up');
    expect(recovery).toBeDefined();
    expect(recovery!.explanation.spread).toBeLessThan(0.03); // the twelve crisis months stayed out of it
    expect(recovery!.explanation.baseEffect).toMatchObject({ basePeriod: 'Jan 2022', onlyBase: true });
    const second = anomalies.find((a) => a.period === '2024-03' && a.direction === 'down' && a.phase === 'new');
    expect(second).toBeDefined();
    expect(second!.explanation.spread).toBeLessThan(0.03);
    expect(Math.abs(second!.explanation.z)).toBeGreaterThan(20);
  });
});

describe('a base effect', () => {
  // A one-month trough in April 2023 (-45 %); April 2024 back on the path is +91 % on it.
  const trough = (p: string) => 300e6 * 1.05 ** (years(p) - 17) * (p === '2023-04' ? 0.55 : 1);
  const jump = (p: string) => 300e6 * 1.05 ** (years(p) - 17) * (p === '2024-04' ? 1 / 0.55 : 1);

  it('is named, with the comparison two years back, and does not raise the severity on the base alone', () => {
    const { anomalies } = run(series('2017-01', '2024-06', trough), '2023-01');
    expect(anomalies.map(summary)).toEqual(['2023-04 down AO new', '2024-04 up AO new']);
    const april = anomalies[1]!;
    expect(april.explanation.change).toBeCloseTo((1 / 0.55) * 1.05 - 1, 1);
    expect(april.explanation.baseEffect).toMatchObject({ basePeriod: 'Apr 2023', twoYearLabel: 'Apr 2022', onlyBase: true });
    expect(april.explanation.baseEffect!.twoYearChange).toBeCloseTo(1.05 ** 2 - 1, 1);
    expect(april.explanation.caveats.join(' ')).toMatch(/base effect: Apr 2023 was itself unusual .* the base alone makes this month look unusual/);
    expect(april.severity).toBe('info');
    // The same +91 % on an ordinary base is critical.
    const real = run(series('2017-01', '2024-06', jump), '2024-04').anomalies[0]!;
    expect(real.explanation.baseEffect).toBeUndefined();
    expect(real.severity).toBe('critical');
  });
});

describe('a short history', () => {
  it('alerts from the first backfill of a data set that starts recently, saying the spread is the prior', () => {
    const recent = (p: string) => 300e6 * 1.05 ** (years(p) - 22) * (p === '2023-05' ? 2 : 1);
    const inputs = ['CHN', 'USA', 'DEU'].map((partner) => ({ series: { ...key, partner }, observations: series('2022-01', '2023-06', partner === 'CHN' ? recent : (p) => recent(p) / (p === '2023-05' ? 2 : 1)) }));
    const { anomalies } = detectAcross(inputs, defaultDetectionConfig);
    expect(anomalies.map((a) => `${a.series.partner} ${a.period} ${a.direction}`)).toEqual(['CHN 2023-05 up']);
    expect(anomalies[0]!.explanation).toMatchObject({ spreadSource: 'prior', historyMonths: 4 });
    expect(anomalies[0]!.explanation.caveats.join(' ')).toMatch(/short history \(4 months\) and no peer with enough: spread blended with the default prior/);
  });
});
