import { describe, expect, it } from 'vitest';
import { demoSeriesInputs } from '../../../shared/demo/demo-figures.js';
import { backtest, defaultDetectionConfig } from '../../../shared/domain/detection/index.js';
import { periodRange } from '../../../shared/domain/period.js';
import type { SeriesKey, StoredObservation } from '../../../shared/domain/series.js';
import { observationAsOf } from '../../../shared/domain/vintage.js';

const key: SeriesKey = { source: 'comtrade', reporter: 'KAZ', partner: 'CHN', flow: 'export', commodity: 'TOTAL', currency: 'USD' };

/** Months of 2019-01..2024-06, each first seen on the 20th of the following month. */
function stored(valueAt: (period: string, i: number) => number): StoredObservation[] {
  return periodRange('2019-01', '2024-06').map((period, i) => {
    const [y, m] = period.split('-').map(Number) as [number, number];
    const seen = new Date(Date.UTC(y, m, 20)).toISOString();
    return { period, value: valueAt(period, i), state: 'published', firstSeenAt: seen, lastChangedAt: seen, revisions: [] };
  });
}
const steady = (period: string, i: number) => 300e6 * 1.05 ** (Number(period.slice(0, 4)) - 2019) * (1 + 0.01 * Math.sin(i * 1.7));

describe('backtest', () => {
  it('replays the demo: what fires, the noise budget, counts per rule, type and gate', () => {
    const summary = backtest(demoSeriesInputs(), () => defaultDetectionConfig);
    expect(summary.fired.map((a) => `${a.seriesId} ${a.bucketKey}`)).toEqual([
      'comtrade.CHN.AZE.export.TOTAL.USD 2024-01..02',
      'comtrade.CHN.AZE.trade.TOTAL.USD 2024-01..02',
    ]);
    expect(summary.series).toBe(27);
    expect(summary.alertsPerSeriesYear).toBeCloseTo(2 / summary.seriesYears, 10);
    expect(summary.byRule).toEqual({ 'yoy-robust-z': 2 });
    expect(summary.byType).toEqual({ AO: 2 });
    expect(summary.bySeverity).toEqual({ critical: 2 });
    expect(summary.heldBackByGate.history).toBeGreaterThan(0);
  });

  it('counts an event once in the noise budget, however many months it is followed', () => {
    // Halved from 2023-03 on: a year of y/y far below bounds, alerted bucket by bucket under one key.
    const observations = stored((period, i) => steady(period, i) * (period >= '2023-03' ? 0.5 : 1));
    const summary = backtest([{ series: key, observations }], () => defaultDetectionConfig);
    expect(summary.fired.length).toBeGreaterThan(10);
    expect(new Set(summary.fired.map((a) => a.dedupKey))).toEqual(new Set(['comtrade.KAZ.CHN.export.TOTAL.USD#2023-03#yoy-robust-z']));
    expect(summary.events).toBe(1);
    expect(summary.alertsPerSeriesYear).toBeCloseTo(1 / summary.seriesYears, 10);
  });

  it('judges each reporter with its own settings, as a live run does', () => {
    const china = demoSeriesInputs();
    // The same Azerbaijan figures, as if a second reporter had published them, with a stricter floor.
    const copy = china.filter((i) => i.series.partner === 'AZE' && i.series.flow === 'export').map((i) => ({ ...i, series: { ...i.series, reporter: 'KAZ' } }));
    const asked = new Set<string>();
    const summary = backtest([...china, ...copy], (reporter) => {
      asked.add(reporter);
      return reporter === 'KAZ' ? { ...defaultDetectionConfig, growthFloor: 1.5, janFebCombinedReporters: ['CHN', 'KAZ'] } : defaultDetectionConfig;
    });
    expect([...asked].sort()).toEqual(['CHN', 'KAZ']);
    expect(summary.fired.map((a) => a.seriesId)).toEqual(['comtrade.CHN.AZE.export.TOTAL.USD', 'comtrade.CHN.AZE.trade.TOTAL.USD']);
    const lenient = backtest([...china, ...copy], (reporter) => ({ ...defaultDetectionConfig, janFebCombinedReporters: ['CHN', reporter] }));
    expect(lenient.fired.map((a) => a.seriesId)).toContain('comtrade.KAZ.AZE.export.TOTAL.USD');
  });

  it('replays one series, keeping the others as peers, within a window', () => {
    const summary = backtest(demoSeriesInputs(), () => defaultDetectionConfig, { seriesId: 'comtrade.CHN.AZE.trade.TOTAL.USD', from: '2024-01' });
    expect(summary.series).toBe(1);
    expect(summary.fired).toHaveLength(1);
    expect(backtest(demoSeriesInputs(), () => defaultDetectionConfig, { to: '2023-12' }).fired).toEqual([]);
  });

  it('scores each month on the data as it was known then, not on later revisions', () => {
    // March 2024 was first published +90 % (an alert at the time), then revised to normal.
    const observations = stored(steady).map((o) => {
      if (o.period !== '2024-03') return o;
      const first = { value: (o.value as number) * 1.9, state: 'published' as const, seenAt: o.firstSeenAt };
      return { ...o, lastChangedAt: '2024-05-20T00:00:00.000Z', revisions: [first] };
    });
    const replay = backtest([{ series: key, observations }], () => defaultDetectionConfig, { from: '2024-03', to: '2024-03' });
    expect(replay.fired.map((a) => a.bucketKey)).toEqual(['2024-03']);
    expect(replay.fired[0]!.explanation.caveats.join(' ')).not.toMatch(/revised/); // as known then, it was not revised yet

    const withoutHistory = observations.map((o) => ({ ...o, revisions: [] }));
    expect(backtest([{ series: key, observations: withoutHistory }], () => defaultDetectionConfig, { from: '2024-03', to: '2024-03' }).fired).toEqual([]);
  });
});

describe('vintages', () => {
  const month: StoredObservation = {
    period: '2024-03',
    value: 300,
    state: 'published',
    firstSeenAt: '2024-04-20T00:00:00.000Z',
    lastChangedAt: '2024-06-20T00:00:00.000Z',
    revisions: [
      { value: 100, state: 'published', seenAt: '2024-04-20T00:00:00.000Z' },
      { value: 200, state: 'published', seenAt: '2024-05-20T00:00:00.000Z' },
    ],
  };
  it('returns each value as it was known at the time', () => {
    expect(observationAsOf(month, '2024-04-01T00:00:00.000Z')).toEqual({ period: '2024-03', value: null, state: 'not-released' });
    expect(observationAsOf(month, '2024-04-25T00:00:00.000Z').value).toBe(100);
    expect(observationAsOf(month, '2024-05-20T00:00:00.000Z').value).toBe(200);
    expect(observationAsOf(month, '2024-07-01T00:00:00.000Z').value).toBe(300);
  });
});
