import { describe, expect, it } from 'vitest';
import { defaultDetectionConfig, type DetectionConfig } from '../../../shared/domain/detection/index.js';
import { pairMonths, parseMirrorId } from '../../../shared/domain/mirror.js';
import { mirrorView, type MirrorChangeOnYear, type MirrorYear } from '../../../shared/domain/mirror-views.js';
import { periodRange } from '../../../shared/domain/period.js';
import type { MirrorMonth } from '../../../shared/domain/mirror.js';
import type { Observation } from '../../../shared/domain/series.js';

const published = (period: string, value: number): Observation => ({ period, value, state: 'published' });
const series = parseMirrorId('comtrade.CHN.KGZ.export.TOTAL.USD~mirror');
const separateMonths: DetectionConfig = { ...defaultDetectionConfig, janFebCombinedReporters: [] };
const janFebCombined: DetectionConfig = { ...defaultDetectionConfig, janFebCombinedReporters: ['CHN'] };

/** China's exports of 100 a month (110 from 2024), Kyrgyzstan's imports of 53 CIF (50 at FOB: 0.5x) through `partnerThrough`. */
function sides(partnerThrough = '2024-03') {
  const months = periodRange('2023-01', '2024-03');
  const reporter = months.map((p) => published(p, p >= '2024' ? 110 : 100));
  const partner = months.filter((p) => p <= partnerThrough).map((p) => published(p, 53));
  return { reporter, partner };
}

describe('a mirror read in the views of a stored series', () => {
  it('year to date: each side cumulated on its own, then compared at the reporter basis', () => {
    const { reporter, partner } = sides();
    const view = mirrorView(reporter, partner, 'ytd', { series, margin: 0.06, detection: separateMonths, from: '2023-11', to: '2024-02' });
    const items = view.items as MirrorMonth[];
    expect(items.map((m) => [m.period, m.reporterValue, m.partnerValue, m.state])).toEqual([
      ['2023-11', 1100, 583, 'compared'],
      ['2023-12', 1200, 636, 'compared'],
      ['2024-01', 110, 53, 'compared'],
      ['2024-02', 220, 106, 'compared'],
    ]);
    expect(items[1]!.partnerAtReporterBasis).toBeCloseTo(600, 9);
    expect(items[1]!.gap).toBeCloseTo(600, 9);
    expect(items[1]!.ratio).toBeCloseTo(0.5, 9);
  });

  it('year to date: a January one side holds inside February compares nothing, February compares both sides whole', () => {
    const { reporter, partner } = sides();
    const combined = reporter.map((o) => (o.period === '2024-01' ? { period: o.period, value: null, state: 'combined' as const } : o.period === '2024-02' ? { ...o, value: 220 } : o));
    const items = mirrorView(combined, partner, 'ytd', { series, margin: 0.06, detection: separateMonths, from: '2024-01', to: '2024-02' }).items as MirrorMonth[];
    expect(items.map((m) => [m.period, m.state, m.reporterValue, m.partnerValue])).toEqual([
      ['2024-01', 'combined', null, 53],
      ['2024-02', 'compared', 220, 106],
    ]);
  });

  it('annual: complete years of both sides; a year only one side completed is marked, never summed short', () => {
    const { reporter, partner } = sides('2023-11');
    const items = mirrorView(reporter, partner, 'annual', { series, margin: 0.06, detection: separateMonths }).items as MirrorYear[];
    expect(items).toEqual([
      { year: 2023, state: 'partner-missing', reporterValue: 1200, reporterState: 'published', partnerValue: null, partnerState: 'not-stored', partnerAtReporterBasis: null, gap: null, ratio: null },
    ]);
    const whole = mirrorView(reporter, sides().partner, 'annual', { series, margin: 0.06, detection: separateMonths }).items as MirrorYear[];
    expect(whole.map((y) => [y.year, y.state, y.reporterValue, y.partnerValue])).toEqual([[2023, 'compared', 1200, 636]]);
    expect(whole[0]!.ratio).toBeCloseTo(0.5, 9);
  });

  it("y/y: each side's change over the reporter's buckets, Jan-Feb as one where the reporter combines them, and the ratio now and a year earlier", () => {
    const { reporter, partner } = sides();
    const items = mirrorView(reporter, partner, 'yoy', { series, margin: 0.06, detection: janFebCombined }).items as MirrorChangeOnYear[];
    expect(items.map((c) => c.bucket)).toEqual(['2024-01..02', '2024-03']);
    const [janFeb] = items;
    expect(janFeb).toMatchObject({ period: '2024-02', label: 'Jan-Feb 2024', reporter: { value: 220, previous: 200 } });
    expect(janFeb!.reporter!.change).toBeCloseTo(0.1, 9);
    expect(janFeb!.partnerAtReporterBasis!.value).toBeCloseTo(100, 9);
    expect(janFeb!.partnerAtReporterBasis!.change).toBeCloseTo(0, 9);
    expect(janFeb!.ratio).toBeCloseTo(100 / 220, 9);
    expect(janFeb!.previousRatio).toBeCloseTo(0.5, 9);
    const monthly = mirrorView(reporter, partner, 'yoy', { series, margin: 0.06, detection: separateMonths }).items as MirrorChangeOnYear[];
    expect(monthly.map((c) => c.bucket)).toEqual(['2024-01', '2024-02', '2024-03']);
  });

  it("y/y: a bucket only one side can compare keeps that side's change, and no ratio", () => {
    const { reporter, partner } = sides('2024-02');
    const items = mirrorView(reporter, partner, 'yoy', { series, margin: 0.06, detection: separateMonths, from: '2024-03' }).items as MirrorChangeOnYear[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ bucket: '2024-03', partnerAtReporterBasis: null, ratio: null, previousRatio: null });
    expect(items[0]!.reporter!.change).toBeCloseTo(0.1, 9);
  });

  it('monthly: as before, the months either side holds', () => {
    const { reporter, partner } = sides('2024-01');
    const view = mirrorView(reporter, partner, 'monthly', { series, margin: 0.06, detection: separateMonths, from: '2024-01' });
    expect((view.items as MirrorMonth[]).map((m) => [m.period, m.state])).toEqual([
      ['2024-01', 'compared'],
      ['2024-02', 'partner-missing'],
      ['2024-03', 'partner-missing'],
    ]);
  });

  it('pairs months without merging: a missing side is named, a combined month compares nothing', () => {
    const rows = pairMonths([published('2024-01', 10), published('2024-02', 20)], [{ period: '2024-01', value: null, state: 'combined' }], { reporterFlow: 'export', margin: 0 });
    expect(rows.map((m) => [m.period, m.state])).toEqual([
      ['2024-01', 'combined'],
      ['2024-02', 'partner-missing'],
    ]);
  });
});
