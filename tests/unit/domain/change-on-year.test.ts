import { describe, expect, it } from 'vitest';
import { changeOnYear } from '../../../shared/domain/derived.js';
import { defaultDetectionConfig, detectAnomalies } from '../../../shared/domain/detection/index.js';
import type { Observation } from '../../../shared/domain/series.js';
import { demoSeries } from '../../support/demo-series.js';

const monthByMonth = { ...defaultDetectionConfig, janFebCombinedReporters: [] };

describe('change on a year earlier, on the buckets detection compares', () => {
  it('shows China\'s Jan-Feb as one bucket against the Jan-Feb before, with the figures the alert gives', () => {
    const input = { series: demoSeries('AZE', 'trade').key, observations: demoSeries('AZE', 'trade').observations };
    const changes = changeOnYear(input, defaultDetectionConfig);
    expect(changes.some((c) => c.period.endsWith('-01'))).toBe(false);
    const janFeb = changes.find((c) => c.bucket === '2024-01..02')!;
    const anomaly = detectAnomalies(input).anomalies.find((a) => a.bucketKey === '2024-01..02')!;
    expect(janFeb).toMatchObject({ period: '2024-02', label: 'Jan-Feb 2024', value: anomaly.explanation.value, previous: anomaly.explanation.comparisonValue });
    expect(janFeb.change).toBeCloseTo(anomaly.explanation.change, 12);
    expect(changes.find((c) => c.bucket === '2023-03')).toMatchObject({ period: '2023-03', label: 'Mar 2023' });
  });

  it('keeps January and February apart for a reporter that publishes them apart', () => {
    const { key, observations } = demoSeries('AZE', 'export');
    const changes = changeOnYear({ series: key, observations }, monthByMonth);
    const byPeriod = new Map(observations.map((o) => [o.period, o.value!]));
    expect(changes.filter((c) => c.period.startsWith('2024'))).toEqual([
      { period: '2024-01', bucket: '2024-01', label: 'Jan 2024', value: byPeriod.get('2024-01'), previous: byPeriod.get('2023-01'), change: expect.any(Number) },
      { period: '2024-02', bucket: '2024-02', label: 'Feb 2024', value: byPeriod.get('2024-02'), previous: byPeriod.get('2023-02'), change: expect.any(Number) },
    ]);
  });

  it('leaves out buckets with an unknown month or a base that is not positive, never reading a gap as zero', () => {
    const key = { source: 'csv', reporter: 'CHN', partner: 'KAZ', flow: 'export', commodity: 'TOTAL', currency: 'USD' } as const;
    const observations: Observation[] = [
      { period: '2022-01', value: 10, state: 'published' },
      { period: '2022-02', value: 20, state: 'published' },
      { period: '2022-03', value: 0, state: 'zero' },
      { period: '2023-01', value: null, state: 'suppressed' },
      { period: '2023-02', value: 40, state: 'published' },
      { period: '2023-03', value: 5, state: 'published' },
      { period: '2024-01', value: null, state: 'combined' },
      { period: '2024-02', value: 90, state: 'published' },
    ];
    expect(changeOnYear({ series: key, observations }, defaultDetectionConfig)).toEqual([]);
    const withKnownJanuary = observations.map((o) => (o.period === '2023-01' ? { period: o.period, value: 20, state: 'published' as const } : o));
    expect(changeOnYear({ series: key, observations: withKnownJanuary }, defaultDetectionConfig)).toEqual([
      { period: '2023-02', bucket: '2023-01..02', label: 'Jan-Feb 2023', value: 60, previous: 30, change: 1 },
      { period: '2024-02', bucket: '2024-01..02', label: 'Jan-Feb 2024', value: 90, previous: 60, change: 0.5 },
    ]);
  });
});
