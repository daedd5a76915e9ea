import { describe, expect, it } from 'vitest';
import { seriesFromCsv } from '../../../shared/cli/commands/evaluate.js';
import { defaultDetectionConfig } from '../../../shared/domain/detection/index.js';
import { evaluate, labelFileSchema, matchesSeries } from '../../../shared/domain/detection/evaluate.js';
import { periodRange } from '../../../shared/domain/period.js';

/** Three EU27 (EUU) series, 2019-01..2024-06, +5 % a year: X halves from 2023-03, Y stays put, Z spikes in 2022-06. */
function csv(): string {
  const rows = ['reporter,partner,flow,period,value,currency,unit'];
  periodRange('2019-01', '2024-06').forEach((period, i) => {
    const level = 100e6 * 1.05 ** (i / 12) * (1 + 0.01 * Math.sin(i * 1.7));
    rows.push(`EUU,XXX,export,${period},${Math.round(level * (period >= '2023-03' ? 0.5 : 1))},EUR,one`);
    rows.push(`EUU,YYY,export,${period},${Math.round(level * 0.9)},EUR,one`);
    rows.push(`EUU,ZZZ,export,${period},${Math.round((level * 1.1 * (period === '2022-06' ? 2 : 1)) / 1000)},EUR,thousand`);
  });
  return rows.join('\n');
}

const labels = labelFileSchema.parse({
  events: [
    { id: 'x-break', series: ['csv.EUU.XXX.export.TOTAL.EUR'], direction: 'down', window: { from: '2023-03', to: '2023-04' }, expectType: 'LS' },
    { id: 'y-surge', series: ['csv.EUU.YYY.export.TOTAL.EUR'], direction: 'up', window: { from: '2023-03', to: '2023-05' } },
    { id: 'z-echo', kind: 'base-effect', series: ['csv.*.ZZZ.*.*.*'], direction: 'any', window: { from: '2023-06', to: '2023-06' } },
  ],
});

describe('evaluate', () => {
  const inputs = seriesFromCsv(csv());
  const e = evaluate(inputs, labels, defaultDetectionConfig);

  it('reads the import CSV format, EUU as a reporter, units converted', () => {
    expect(inputs.map((i) => `${i.series.reporter}.${i.series.partner}`)).toEqual(['EUU.XXX', 'EUU.YYY', 'EUU.ZZZ']);
    expect(inputs[2]!.observations[0]).toEqual({ period: '2019-01', value: 110_000_000, state: 'published' });
    expect(() => seriesFromCsv('reporter,partner,flow,period,value,currency,unit\nEUU,RUS,export,2024-13,1,EUR,one')).toThrow(/^line 2: /);
  });

  it('gives recall, lag to the first alert and the type per labelled event', () => {
    expect(e.outcomes).toEqual([
      expect.objectContaining({ label: 'x-break', hit: true, firstAlert: '2023-03', lagMonths: 0, type: 'LS', typeAsExpected: true }),
      expect.objectContaining({ label: 'y-surge', hit: false, heldBackBy: [] }),
    ]);
    expect(e.labels).toEqual([
      { id: 'x-break', series: 1, hits: 1, recall: 1, typedAsExpected: 1, meanLagMonths: 0, maxLagMonths: 0 },
      { id: 'y-surge', series: 1, hits: 0, recall: 0 },
    ]);
  });

  it('checks that alerts in a base-effect window name the base and are never critical on it alone', () => {
    expect(e.baseEffects).toEqual([{ id: 'z-echo', alerts: 1, namingBase: 1, criticalOnBaseOnly: 0, critical: 0 }]);
  });

  it('counts alerts outside every label per series-year, an event once however long it lasts', () => {
    // Scored months: from the 16th (a year for the first y/y, three more for a centre) to 2024-06: 51 per series.
    expect(e.noise.seriesYears).toBeCloseTo((3 * 51) / 12, 10);
    expect(e.noise.seriesYearsOutside).toBeCloseTo((3 * 51 - 2 - 3 - 1) / 12, 10);
    expect(e.noise.outside).toEqual([{ seriesId: 'csv.EUU.ZZZ.export.TOTAL.EUR', eventStart: '2022-06', direction: 'up', type: 'AO', severity: expect.any(String) }]);
    expect(e.noise.perSeriesYearOutside).toBeCloseTo(1 / ((3 * 51 - 6) / 12), 10);
    // X's break lasts a year of y/y but is one event.
    expect(e.noise.events).toBe(3);
  });

  it('matches series patterns part by part', () => {
    expect(matchesSeries('csv.*.RUS.export.*.*', 'csv.DEU.RUS.export.TOTAL.EUR')).toBe(true);
    expect(matchesSeries('csv.*.RUS.export.*.*', 'csv.DEU.RUSX.export.TOTAL.EUR')).toBe(false);
    expect(matchesSeries('csv.DEU.RUS.export.TOTAL.EUR', 'csv.DEU.RUS.export.TOTAL.EUR')).toBe(true);
  });
});
