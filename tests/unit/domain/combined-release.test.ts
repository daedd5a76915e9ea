import { describe, expect, it } from 'vitest';
import { annualTotals, yearToDateSeries } from '../../../shared/domain/derived.js';
import { defaultDetectionConfig, detectAnomalies } from '../../../shared/domain/detection/index.js';
import type { Observation } from '../../../shared/domain/series.js';
import { parseTradeCsv } from '../../../shared/sources/csv/csv-import.js';
import { demoSeries } from '../../support/demo-series.js';

/** The same months as a source that publishes January and February as one value would give them. */
function asCombinedRelease(observations: readonly Observation[]): Observation[] {
  const byPeriod = new Map(observations.map((o) => [o.period, o]));
  return observations.map((o) => {
    if (o.period.endsWith('-01')) return { period: o.period, value: null, state: 'combined' };
    if (o.period.endsWith('-02')) {
      const january = byPeriod.get(`${o.period.slice(0, 4)}-01`)!;
      return { ...o, value: (january.value ?? 0) + (o.value ?? 0) };
    }
    return o;
  });
}

describe('January and February published as one value', () => {
  it('gives the same Jan-Feb comparison as separate months, so Azerbaijan is flagged the same way', async () => {
    const { key, observations } = demoSeries('AZE', 'export');
    const separate = detectAnomalies({ series: key, observations }).anomalies[0]!;
    const combined = detectAnomalies({ series: key, observations: asCombinedRelease(observations) }).anomalies[0]!;
    expect(combined.bucketKey).toBe('2024-01..02');
    expect(combined.explanation.value).toBeCloseTo(separate.explanation.value, 0);
    expect(combined.explanation.change).toBeCloseTo(separate.explanation.change, 10);
  });

  it('compares neither month when the reporter is not set as publishing them together: that February is not February alone', async () => {
    const { key, observations } = demoSeries('AZE', 'export');
    const monthByMonth = { ...defaultDetectionConfig, janFebCombinedReporters: [] };
    const result = detectAnomalies({ series: key, observations: asCombinedRelease(observations), evaluateFrom: '2024-01', evaluateTo: '2024-02' }, monthByMonth);
    expect(result).toEqual({ anomalies: [], heldBack: [], evaluated: 0 });
    const separate = detectAnomalies({ series: key, observations, evaluateFrom: '2024-01', evaluateTo: '2024-02' }, monthByMonth);
    expect(separate.evaluated).toBe(2);
  });

  it('keeps annual totals and reports no year to date for the combined January', async () => {
    const { observations } = demoSeries('AZE', 'export');
    expect(annualTotals(asCombinedRelease(observations))).toEqual(annualTotals(observations).map((t) => expect.objectContaining({ year: t.year, value: expect.closeTo(t.value, 0) })));
    const ytd = yearToDateSeries(asCombinedRelease(observations)).filter((o) => o.period.startsWith('2023-0'));
    expect(ytd[0]).toEqual({ period: '2023-01', value: null, state: 'combined' });
    expect(ytd[1]!.value).toBeCloseTo(yearToDateSeries(observations).find((o) => o.period === '2023-02')!.value!, 0);
  });

  it('imports a combined release from CSV as a combined January and a February with both months', async () => {
    const parsed = await parseTradeCsv('reporter,partner,flow,period,value,currency,unit\nCHN,AZE,export,2024-01..02,349000,USD,thousand\nCHN,AZE,export,2024-02,1,USD,thousand\n');
    expect(parsed.batches[0]!.observations).toEqual([
      { period: '2024-01', value: null, state: 'combined' },
      { period: '2024-02', value: 349_000_000, state: 'published' },
    ]);
    expect(parsed.errors).toEqual([{ line: 3, reason: 'a second row for csv.CHN.AZE.export.TOTAL.USD 2024-02' }]);
  });
});
