import { describe, expect, it } from 'vitest';
import { loadDemoCommodityFigures, loadDemoDataSet, loadDemoFigures } from '../../../shared/demo/demo-figures.js';
import { DEMO_HS6_RULE } from '../../../shared/demo/hs6-series.js';
import { patternHolds, patternWindows } from '../../../shared/domain/detection/index.js';
import { listCodes } from '../../../shared/domain/commodity-lists.js';
import { generateDemoDataSet } from '../../../shared/demo/generate-demo-data.js';
import { PUBLISHED_GROWTH, PUBLISHED_TOTALS } from '../../../shared/demo/published-figures.js';

const figures = loadDemoFigures();

function total(partners: readonly string[], flows: readonly string[], from: string, to: string): number {
  return figures
    .filter((f) => partners.includes(f.partner) && flows.includes(f.flow) && f.period >= from && f.period <= to)
    .reduce((sum, f) => sum + f.value, 0);
}

const janFeb = (partners: readonly string[], flows: readonly string[], year: number) =>
  total(partners, flows, `${year}-01`, `${year}-02`);

const CENTRAL_ASIA = ['KAZ', 'KGZ', 'UZB', 'TJK', 'TKM'];
const NINE = [...CENTRAL_ASIA, 'AZE', 'GEO', 'ARM', 'TUR'];
const BOTH = ['export', 'import'];

describe('the bundled demo data set', () => {
  it('says it is illustrative, and covers China with nine partners, both flows, 2021-01 to 2024-02', () => {
    const dataSet = loadDemoDataSet();
    expect(dataSet.illustrative).toBe(true);
    expect(dataSet.description).toMatch(/ILLUSTRATIVE/);
    expect(dataSet.series).toHaveLength(18);
    expect(figures).toHaveLength(18 * 38);
    expect(new Set(figures.map((f) => f.partner))).toEqual(new Set(NINE));
  });

  it('has an illustrative net weight for every month, Azerbaijan Jan-Feb 2024 unit values +15 % (exports) and +45 % (imports)', () => {
    const dataSet = loadDemoDataSet();
    expect(dataSet.description).toMatch(/Net weights \(netWeightsKg\) are illustrative/);
    for (const f of figures) expect(f.netWeightKg).toBeGreaterThan(0);
    const unitValue = (flow: string, year: number) =>
      janFeb(['AZE'], [flow], year) / figures.filter((f) => f.partner === 'AZE' && f.flow === flow && (f.period === `${year}-01` || f.period === `${year}-02`)).reduce((sum, f) => sum + f.netWeightKg!, 0);
    expect(unitValue('export', 2024) / unitValue('export', 2023)).toBeCloseTo(1.15, 4);
    expect(unitValue('import', 2024) / unitValue('import', 2023)).toBeCloseTo(1.45, 4);
  });

  it('is exactly what the generator script produces (deterministic, nothing edited by hand)', () => {
    expect(generateDemoDataSet()).toEqual(loadDemoDataSet());
  });

  it.each(PUBLISHED_TOTALS)('matches the published total within 1 percent: $description', (published) => {
    const demo = total(published.partners, published.flows, published.from, published.to) / 1e9;
    expect(Math.abs(demo / published.billions - 1)).toBeLessThan(0.01);
  });

  it('has China-Azerbaijan trade +83 % in Jan-Feb 2024 on Jan-Feb 2023', () => {
    expect(janFeb(['AZE'], BOTH, 2024) / janFeb(['AZE'], BOTH, 2023) - 1).toBeCloseTo(PUBLISHED_GROWTH.azerbaijanJanFeb2024, 3);
  });

  it('has China-Central Asia trade +22 % in Jan-Feb 2023, and exports to the nine partners +31 % in Jan-Feb 2024', () => {
    expect(janFeb(CENTRAL_ASIA, BOTH, 2023) / janFeb(CENTRAL_ASIA, BOTH, 2022) - 1).toBeCloseTo(PUBLISHED_GROWTH.centralAsiaJanFeb2023, 3);
    expect(janFeb(NINE, ['export'], 2024) / janFeb(NINE, ['export'], 2023) - 1).toBeCloseTo(PUBLISHED_GROWTH.arcExportsJanFeb2024, 3);
  });

  it('moves every other series within ordinary ranges: each monthly log y/y growth within 0.15 of its median', () => {
    for (const partner of NINE.filter((p) => p !== 'AZE')) {
      for (const flow of BOTH) {
        const values = figures.filter((f) => f.partner === partner && f.flow === flow).map((f) => f.value);
        const growth = values.slice(12).map((v, i) => Math.log(v / values[i]!));
        const sorted = [...growth].sort((a, b) => a - b);
        const median = sorted[sorted.length >> 1]!;
        for (const g of growth) expect(Math.abs(g - median), `${partner} ${flow}`).toBeLessThan(0.15);
      }
    }
  });

  describe('its HS6 series (illustrative integrated circuits, CHPL tier 1)', () => {
    const hs6 = loadDemoCommodityFigures();
    const observations = (partner: string, code: string) =>
      hs6.filter((f) => f.partner === partner && f.cmdCode === code).map((f) => ({ period: f.period, value: f.value, state: 'published' as const }));

    it('are marked illustrative, and are China\'s exports of tier-1 CHPL codes to Kyrgyzstan and Kazakhstan, every month', () => {
      expect(loadDemoDataSet().description).toMatch(/HS6 series .* are illustrative as well/);
      expect(new Set(hs6.map((f) => `${f.reporter} ${f.flow} ${f.partner} ${f.cmdCode}`))).toEqual(new Set(['CHN export KGZ 854231', 'CHN export KGZ 854232', 'CHN export KAZ 854231']));
      for (const f of hs6) expect(listCodes('CHPL-1')).toContain(f.cmdCode);
      expect(hs6).toHaveLength(3 * 38);
      for (const f of hs6) expect(f.value).toBeGreaterThan(0);
    });

    it("hold the little-before-much-after pattern for Kyrgyzstan's two codes and not for Kazakhstan's steady trade", () => {
      const judged = (partner: string, code: string) => {
        const windows = patternWindows(observations(partner, code), DEMO_HS6_RULE, '2021-01');
        expect(windows, `${partner} ${code}`).toBeDefined();
        return { holds: patternHolds(windows!, DEMO_HS6_RULE), ratio: windows!.ratio! };
      };
      expect(judged('KGZ', '854231')).toEqual({ holds: true, ratio: expect.closeTo(66, 0) });
      expect(judged('KGZ', '854232')).toEqual({ holds: true, ratio: expect.closeTo(121, 0) });
      expect(judged('KAZ', '854231').holds).toBe(false);
      expect(judged('KAZ', '854231').ratio).toBeLessThan(2);
    });

    it('grow smoothly after the step: each log y/y growth from July 2023 on (a year after the step) within 0.1 of its median', () => {
      for (const [partner, code] of [['KGZ', '854231'], ['KGZ', '854232'], ['KAZ', '854231']] as const) {
        const values = observations(partner, code).map((o) => o.value);
        const growth = values.slice(30).map((v, i) => Math.log(v / values[i + 18]!));
        const sorted = [...growth].sort((a, b) => a - b);
        const median = sorted[sorted.length >> 1]!;
        for (const g of growth) expect(Math.abs(g - median), `${partner} ${code}`).toBeLessThan(0.1);
      }
    });
  });
});
