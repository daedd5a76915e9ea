import { describe, expect, it } from 'vitest';
import { renderAlert } from '../../../shared/domain/alerts/alert-text.js';
import { defaultDetectionConfig, detectAnomalies } from '../../../shared/domain/detection/index.js';
import {
  DEFAULT_CIF_FOB_MARGIN,
  atReporterBasis,
  mirrorFiguresAt,
  mirrorMonths,
  parseMirrorId,
  partnerSideKey,
  ratioObservations,
} from '../../../shared/domain/mirror.js';
import { formatMoney } from '../../../shared/domain/format.js';
import { addMonths, periodRange } from '../../../shared/domain/period.js';
import type { Observation } from '../../../shared/domain/series.js';
import { mirrorDetectionConfig } from '../../../shared/domain/mirror-detection.js';

const published = (period: string, value: number): Observation => ({ period, value, state: 'published' });

describe('mirror series', () => {
  it('names the partner side: the partner as reporter, the reporter as partner, the opposite flow', () => {
    const key = parseMirrorId('comtrade.CHN.KGZ.export.TOTAL.USD~mirror');
    expect(partnerSideKey(key)).toEqual({ source: 'comtrade', reporter: 'KGZ', partner: 'CHN', flow: 'import', commodity: 'TOTAL', currency: 'USD' });
  });

  it('refuses ids that have no mirror, saying why', () => {
    expect(() => parseMirrorId('comtrade.CHN.KGZ.trade.TOTAL.USD~mirror')).toThrow(/turnover has no mirror/);
    expect(() => parseMirrorId('comtrade.CHN.CENTRALASIA.export.TOTAL.USD~mirror')).toThrow(/group of partners/);
    expect(() => parseMirrorId('comtrade.CHN.W00.export.TOTAL.USD~mirror')).toThrow(/aggregate area/);
    expect(() => parseMirrorId('comtrade.CHN.KGZ.export.TOTAL.USD')).toThrow(/not a mirror series id/);
  });

  it('brings the partner imports (CIF) to the reporter exports basis (FOB) by the margin: 106 CIF at 6 % is 100 FOB', () => {
    expect(DEFAULT_CIF_FOB_MARGIN).toBe(0.06);
    const [month] = mirrorMonths([published('2024-03', 200)], [published('2024-03', 106)], { reporterFlow: 'export', margin: 0.06 });
    expect(month).toMatchObject({ state: 'compared', reporterValue: 200, partnerValue: 106, gap: 100, ratio: 0.5 });
    expect(month!.partnerAtReporterBasis).toBeCloseTo(100, 9);
  });

  it('brings the partner exports (FOB) up to the reporter imports basis (CIF) on the import side', () => {
    expect(atReporterBasis(100, 'import', 0.1)).toBeCloseTo(110, 9);
    const [month] = mirrorMonths([published('2024-03', 220)], [published('2024-03', 100)], { reporterFlow: 'import', margin: 0.1 });
    expect(month!.partnerAtReporterBasis).toBeCloseTo(110, 9);
    expect(month!.gap).toBeCloseTo(110, 9);
    expect(month!.ratio).toBeCloseTo(0.5, 9);
  });

  it('marks a month where either side is missing, suppressed or not stored, and never reads it as zero', () => {
    const months = mirrorMonths(
      [published('2024-01', 100), { period: '2024-02', value: null, state: 'suppressed' }, published('2024-03', 100)],
      [{ period: '2024-01', value: null, state: 'not-released' }, published('2024-02', 50)],
      { reporterFlow: 'export', margin: 0 },
    );
    expect(months.map((m) => [m.period, m.state, m.reporterState, m.partnerState, m.gap, m.ratio])).toEqual([
      ['2024-01', 'partner-missing', 'published', 'not-released', null, null],
      ['2024-02', 'reporter-missing', 'suppressed', 'published', null, null],
      ['2024-03', 'partner-missing', 'published', 'not-stored', null, null],
    ]);
  });

  it('keeps a true zero: a partner reporting nothing is a full gap, but no ratio to score', () => {
    const [month] = mirrorMonths([published('2024-03', 100)], [{ period: '2024-03', value: 0, state: 'zero' }], { reporterFlow: 'export', margin: 0 });
    expect(month).toMatchObject({ state: 'compared', gap: 100, ratio: 0 });
    expect(ratioObservations([month!], 0)).toEqual([{ period: '2024-03', value: null, state: 'not-released' }]);
  });

  it("compares a January one side published inside February's release as one Jan-Feb row of both sides", () => {
    const months = mirrorMonths(
      [{ period: '2024-01', value: null, state: 'combined' }, published('2024-02', 300), published('2024-03', 100)],
      [published('2024-01', 100), published('2024-02', 50), published('2024-03', 50)],
      { reporterFlow: 'export', margin: 0 },
    );
    expect(months.map((m) => [m.covers, m.state, m.reporterValue, m.partnerValue, m.ratio])).toEqual([
      ['2024-01', 'combined', null, 100, null],
      ['2024-01..02', 'compared', 300, 150, 0.5],
      ['2024-03', 'compared', 100, 50, 0.5],
    ]);
    expect(ratioObservations(months, 0).map((o) => o.state)).toEqual(['combined', 'published', 'published']);
  });

  it('scores a ratio only where both sides reach the floor', () => {
    const months = mirrorMonths([published('2024-03', 1_000_000), published('2024-04', 10_000)], [published('2024-03', 400_000), published('2024-04', 5_000)], {
      reporterFlow: 'export',
      margin: 0,
    });
    expect(ratioObservations(months, 100_000)).toEqual([
      { period: '2024-03', value: 0.4, state: 'published' },
      { period: '2024-04', value: null, state: 'not-released' },
    ]);
  });
});

describe('mirror gap detection', () => {
  const key = parseMirrorId('comtrade.KAZ.KGZ.export.TOTAL.USD~mirror');
  // Three years of Kazakhstan's exports to Kyrgyzstan near US$100m a month, Kyrgyzstan's imports at
  // 0.45x of them, wobbling; then the gap opens: Kyrgyzstan's figure falls to 0.30x.
  const months = periodRange('2021-01', '2024-03');
  const wobble = (i: number) => 1 + 0.03 * Math.sin(i * 1.7);
  const reporter = months.map((period, i) => published(period, Math.round(100e6 * wobble(i))));
  const partner = months.map((period, i) => published(period, Math.round(100e6 * wobble(i) * (period >= '2024-03' ? 0.3 : 0.45) * wobble(i + 3) * 1.06)));
  const mirror = mirrorMonths(reporter, partner, { reporterFlow: 'export', margin: 0.06 });
  const config = mirrorDetectionConfig(defaultDetectionConfig, 'KAZ', false);

  it('alerts the month the gap opens, on the ratio', () => {
    const found = detectAnomalies({ series: key, observations: ratioObservations(mirror, config.minBasePerMonth), evaluateFrom: '2024-01' }, config);
    expect(found.anomalies.map((a) => [a.period, a.direction])).toEqual([['2024-03', 'down']]);
    expect(found.anomalies[0]!.explanation.value).toBeCloseTo(0.3 * wobble(38 + 3), 6);
  });

  it('stays quiet while the two sides move together, however much trade moves', () => {
    const doubled = reporter.map((o) => (o.period >= '2024-03' ? { ...o, value: o.value! * 2 } : o));
    const steadyPartner = months.map((period, i) => published(period, Math.round(100e6 * wobble(i) * (period >= '2024-03' ? 2 : 1) * 0.45 * wobble(i + 3) * 1.06)));
    const together = mirrorMonths(doubled, steadyPartner, { reporterFlow: 'export', margin: 0.06 });
    const found = detectAnomalies({ series: key, observations: ratioObservations(together, config.minBasePerMonth), evaluateFrom: '2024-01' }, config);
    expect(found.anomalies).toEqual([]);
  });

  it("explains an alert with both sides' numbers, now and a year earlier", () => {
    const found = detectAnomalies({ series: key, observations: ratioObservations(mirror, config.minBasePerMonth), evaluateFrom: '2024-01' }, config);
    const anomaly = found.anomalies[0]!;
    const current = mirrorFiguresAt(mirror, '2024-03', 'Mar 2024')!;
    const previous = mirrorFiguresAt(mirror, addMonths('2024-03', -12), 'Mar 2023')!;
    const text = renderAlert({
      ...anomaly,
      seriesId: 'comtrade.KAZ.KGZ.export.TOTAL.USD~mirror',
      mirror: { reporterSeriesId: 'comtrade.KAZ.KGZ.export.TOTAL.USD', partnerSeriesId: 'comtrade.KGZ.KAZ.import.TOTAL.USD', margin: 0.06, reporterValuation: 'FOB', current, previous },
    });
    expect(text.subject).toMatch(/^\[tradewatch warning\] Mirror gap opens, Kazakhstan exports to Kyrgyzstan, Mar 2024: 0\.4\dx to 0\.3\dx$/);
    expect(text.email).toContain(`Kazakhstan reports exports to Kyrgyzstan of ${formatMoney(current.reporterValue, 'USD')} in Mar 2024`);
    expect(text.email).toMatch(/Kyrgyzstan reports imports from Kazakhstan of US\$3\d\.\dm \(US\$\d\d\.\dm FOB at a 6 % CIF\/FOB margin\)/);
    expect(text.email).toMatch(/Kyrgyzstan's figure fell from 0\.4\dx to 0\.3\dx Kazakhstan's/);
    expect(text.email).toContain('A year earlier: Kazakhstan reports exports to Kyrgyzstan of');
    expect(text.email).toContain('npx tradewatch series show comtrade.KAZ.KGZ.export.TOTAL.USD~mirror');
  });
});
