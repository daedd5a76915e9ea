import { describe, expect, it } from 'vitest';
import { defaultDetectionConfig, detectAnomalies, detectionConfigSchema } from '../../../shared/domain/detection.js';
import { periodRange } from '../../../shared/domain/period.js';
import type { Observation, SeriesKey } from '../../../shared/domain/series.js';
import { yearOnYear } from '../../../shared/domain/year-on-year.js';
import { DEMO_PARTNERS, demoSeries } from '../../support/demo-series.js';

const published = (period: string, value: number): Observation => ({ period, value, state: 'published' });

/** Small deterministic wobble, so histories are not perfectly regular. */
const wobble = (i: number) => 1 + 0.01 * Math.sin(i * 1.7);

describe('detection on the demo data set', () => {
  it('flags China-Azerbaijan trade in Jan-Feb 2024 (+83 %) as critical, with its numbers', () => {
    const { key, observations } = demoSeries('AZE', 'trade');
    const { anomalies } = detectAnomalies({ series: key, observations });
    expect(anomalies).toHaveLength(1);
    const [anomaly] = anomalies;
    expect(anomaly).toMatchObject({ bucketKey: '2024-01..02', bucketLabel: 'Jan-Feb 2024', severity: 'critical', direction: 'up' });
    const e = anomaly!.explanation;
    expect(e.change).toBeCloseTo(0.83, 2);
    expect(e.value).toBeCloseTo(520e6, -6);
    expect(e.comparisonValue).toBeCloseTo(e.value / 1.83, -3);
    expect(e.comparisonLabel).toBe('Jan-Feb 2023');
    expect(e.absoluteChange).toBeCloseTo(e.value - e.comparisonValue, 0);
    expect(e.expectedRange[0]).toBeLessThan(e.expectedRange[1]);
    expect(e.value).toBeGreaterThan(e.expectedRange[1]);
    expect(e.z).toBeGreaterThanOrEqual(5);
    expect(e.historyLength).toBe(22);
    expect(e.caveats.join(' ')).toMatch(/January and February are compared together/);
    expect(anomaly!.dedupKey).toBe('comtrade.CHN.AZE.trade.TOTAL.USD#2024-01..02#yoy-robust-z');
  });

  it('stays quiet on every ordinary month of every other series, scored over the whole history', () => {
    const flagged: string[] = [];
    let evaluated = 0;
    for (const partner of DEMO_PARTNERS) {
      for (const flow of ['export', 'import', 'trade'] as const) {
        const { key, observations } = demoSeries(partner, flow);
        const result = detectAnomalies({ series: key, observations });
        evaluated += result.evaluated;
        flagged.push(...result.anomalies.map((a) => `${partner} ${flow} ${a.bucketKey}`));
      }
    }
    expect(evaluated).toBeGreaterThan(250);
    expect(flagged.sort()).toEqual(['AZE export 2024-01..02', 'AZE trade 2024-01..02']);
  });
});

describe('January and February for China', () => {
  // China's total exports, US$ 1000. Jan-Feb 2018 and 2019 and February 2019 are the published
  // figures (Feb 2019 -20.8 % y/y, Jan-Feb 2019 -4.6 %); other years grow about 7 % a year, and
  // the Lunar New Year moves value between January and February from year to year.
  const JAN_SHARES: Record<number, number> = { 2014: 0.55, 2015: 0.6, 2016: 0.52, 2017: 0.58, 2018: 199_502_594 / 370_210_460 };
  function chinaExports(): Observation[] {
    const observations: Observation[] = [];
    periodRange('2014-01', '2019-02').forEach((period, i) => {
      const year = Number(period.slice(0, 4));
      const month = Number(period.slice(5));
      if (year === 2019) {
        observations.push(published(period, month === 1 ? 353_180_779 - 135_200_630 : 135_200_630));
        return;
      }
      const growth = 1.07 ** (year - 2018);
      if (month <= 2) {
        const janFeb = 370_210_460 * growth;
        const share = JAN_SHARES[year]!;
        observations.push(published(period, Math.round(janFeb * (month === 1 ? share : 1 - share))));
      } else {
        observations.push(published(period, Math.round(200_000_000 * (1 + month / 40) * growth * wobble(i))));
      }
    });
    return observations;
  }
  const china: SeriesKey = { source: 'comtrade', reporter: 'CHN', partner: 'W00', flow: 'export', commodity: 'TOTAL', currency: 'USD' };

  it('compares Jan-Feb 2019 with Jan-Feb 2018 (-4.6 %), never February alone (-20.8 %)', () => {
    const comparisons = yearOnYear(chinaExports(), true);
    const last = comparisons.at(-1)!;
    expect(last.bucket.key).toBe('2019-01..02');
    expect(Math.expm1(last.logGrowth)).toBeCloseTo(-0.046, 3);
    expect(comparisons.some((c) => c.bucket.key === '2019-02')).toBe(false);
  });

  it('raises no alert for early 2019 at default settings', () => {
    const { anomalies, evaluated } = detectAnomalies({ series: china, observations: chinaExports(), evaluateFrom: '2019-01' });
    expect(evaluated).toBe(1);
    expect(anomalies).toEqual([]);
  });

  it('would have cried wolf on February alone: the merge is what keeps it quiet', () => {
    const sensitive = detectionConfigSchema.parse({ growthFloor: 0.2 });
    const merged = detectAnomalies({ series: china, observations: chinaExports(), evaluateFrom: '2019-01' }, sensitive);
    const monthByMonth = detectAnomalies(
      { series: china, observations: chinaExports(), evaluateFrom: '2019-01' },
      { ...sensitive, janFebCombinedReporters: [] },
    );
    expect(merged.anomalies).toEqual([]);
    expect(monthByMonth.anomalies.map((a) => a.bucketKey)).toEqual(['2019-02']);
    expect(monthByMonth.anomalies[0]!.explanation.change).toBeCloseTo(-0.208, 3);
  });
});

describe('gates', () => {
  /** 36 months growing 5 % a year, then a March that is `jump` times March a year earlier. */
  function steadyThenJump(monthly: number, jump: number): Observation[] {
    const periods = periodRange('2021-01', '2024-03');
    return periods.map((period, i) => {
      const year = Number(period.slice(0, 4));
      const base = monthly * 1.05 ** (year - 2021) * wobble(i);
      return published(period, period === '2024-03' ? monthly * 1.05 ** 2 * wobble(i - 12) * jump : base);
    });
  }
  const kazakhstan: SeriesKey = { source: 'comtrade', reporter: 'KAZ', partner: 'CHN', flow: 'export', commodity: 'TOTAL', currency: 'USD' };

  it('does not flag +83 % on a small base (US$0.30 m to US$0.55 m)', () => {
    const observations = steadyThenJump(300_000, 0.55 / 0.3);
    const { anomalies } = detectAnomalies({ series: kazakhstan, observations, evaluateFrom: '2024-03' });
    expect(anomalies).toEqual([]);
  });

  it('flags the same +83 % from US$300 m', () => {
    const observations = steadyThenJump(300_000_000, 0.55 / 0.3);
    const { anomalies } = detectAnomalies({ series: kazakhstan, observations, evaluateFrom: '2024-03' });
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]!.explanation.change).toBeCloseTo(0.83, 2);
  });

  it('does not flag an unusual but small change (under the growth floor)', () => {
    const observations = steadyThenJump(300_000_000, 1.2 / 1.05);
    expect(detectAnomalies({ series: kazakhstan, observations, evaluateFrom: '2024-03' }).anomalies).toEqual([]);
  });

  it('needs a history: nothing is scored before 12 earlier y/y comparisons exist', () => {
    const observations = steadyThenJump(300_000_000, 2).slice(-18);
    expect(detectAnomalies({ series: kazakhstan, observations })).toEqual({ anomalies: [], evaluated: 0 });
  });

  it('never reads a month that is not yet released as zero', () => {
    const observations = steadyThenJump(300_000_000, 1);
    observations[observations.length - 1] = { period: '2024-03', value: null, state: 'not-released' };
    const result = detectAnomalies({ series: kazakhstan, observations, evaluateFrom: '2024-03' });
    expect(result).toEqual({ anomalies: [], evaluated: 0 });
  });

  it('calls a large drop critical and a moderate outlier a warning', () => {
    const drop = detectAnomalies({ series: kazakhstan, observations: steadyThenJump(300_000_000, 0.4), evaluateFrom: '2024-03' });
    expect(drop.anomalies[0]).toMatchObject({ direction: 'down', severity: 'critical' });
    const moderate = detectAnomalies(
      { series: kazakhstan, observations: steadyThenJump(300_000_000, 1.3) , evaluateFrom: '2024-03' },
      { ...defaultDetectionConfig, criticalZ: 1000 },
    );
    expect(moderate.anomalies[0]).toMatchObject({ direction: 'up', severity: 'warning' });
  });
});
