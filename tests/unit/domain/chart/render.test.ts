import { describe, expect, it } from 'vitest';
import { ILLUSTRATIVE_NOTE, renderChartHtml, renderChartSvg, type ChartInput, type ChartPoint } from '../../../../shared/domain/chart/render.js';
import type { Anomaly } from '../../../../shared/domain/detection/index.js';
import { periodRange } from '../../../../shared/domain/period.js';

function months(from: string, to: string, value: (i: number) => number): ChartPoint[] {
  return periodRange(from, to).map((period, i) => ({ key: period, label: period, months: [period], value: value(i) }));
}

function anomaly(bucketKey: string, period: string, bucketLabel: string, severity: Anomaly['severity'] = 'critical'): Anomaly {
  return { bucketKey, period, bucketLabel, severity, type: 'AO', explanation: { change: 0.83 } } as unknown as Anomaly;
}

const janFeb: ChartPoint = { key: '2024-01..02', label: 'Jan-Feb 2024', months: ['2024-01', '2024-02'], value: 520e6 };
const base: ChartInput = {
  title: 'China trade with Azerbaijan',
  currency: 'USD',
  points: [...months('2023-03', '2023-12', () => 250e6), janFeb],
  anomalies: [anomaly('2024-01..02', '2024-02', 'Jan-Feb 2024')],
  illustrative: false,
};

const attribute = (svg: string, selector: RegExp, name: string) => Number(new RegExp(`${selector.source}[^>]*?${name}="([^"]+)"`).exec(svg)?.[1]);

describe('the chart SVG', () => {
  it('draws Jan-Feb as one point between January and February, at the sum, and marks the anomaly there', () => {
    const svg = renderChartSvg(base);
    expect(svg).toContain('<title>Jan-Feb 2024: US$520m (published as one)</title>');
    const bucketX = attribute(svg, /<circle class="bucket"/, 'cx');
    const bucketY = attribute(svg, /<circle class="bucket"/, 'cy');
    expect(attribute(svg, /<circle class="anomaly"/, 'cx')).toBe(bucketX);
    expect(attribute(svg, /<circle class="anomaly"/, 'cy')).toBe(bucketY);
    const path = /class="series" d="([^"]+)"/.exec(svg)![1]!.split(' ');
    expect(path).toHaveLength(11);
    expect(path[10]).toBe(`L${bucketX.toFixed(1)},${bucketY.toFixed(1)}`);
    // Twelve months span the width; the bucket sits half way between its two months.
    expect(bucketX).toBeCloseTo(96 + (10.5 / 11) * 840, 1);
    expect(svg).toContain('Jan-Feb: one point, the sum of the two months');
  });

  it('labels the axis in round steps', () => {
    const svg = renderChartSvg(base);
    const labels = [...svg.matchAll(/text-anchor="end">([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(['US$0', 'US$200m', 'US$400m', 'US$600m']);
  });

  it('says in the image, its description and the page when the data are illustrative, and only then', () => {
    const demo = renderChartSvg({ ...base, illustrative: true });
    expect(demo).toMatch(new RegExp(`<text [^>]*class="illustrative"[^>]*>${ILLUSTRATIVE_NOTE}</text>`));
    expect(/<desc id="chart-desc">([^<]+)<\/desc>/.exec(demo)![1]).toContain(ILLUSTRATIVE_NOTE);
    expect(renderChartHtml({ ...base, illustrative: true })).toContain(`<p>1 anomaly marked. Values in USD; gaps are months not known. ${ILLUSTRATIVE_NOTE}.</p>`);
    expect(renderChartSvg(base)).not.toMatch(/illustrative/i);
    expect(renderChartHtml(base)).not.toMatch(/illustrative/i);
  });

  it('is an accessible image: a title and a description of what it shows', () => {
    const svg = renderChartSvg(base);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="chart-title chart-desc">\n<title id="chart-title">China trade with Azerbaijan<\/title>/);
    expect(/<desc id="chart-desc">([^<]+)<\/desc>/.exec(svg)![1]).toBe(
      'USD values from 2023-03 to Jan-Feb 2024. January and February drawn as one Jan-Feb point, as the reporter publishes them and detection compares them. 1 anomaly marked: Jan-Feb 2024 +83% (AO, critical)',
    );
  });

  it('squeezes a title too long for the width into it rather than let it run off the edge', () => {
    const long = `China trade with ${'a very long group of partners, '.repeat(3)}(comtrade, TOTAL, USD)`;
    expect(renderChartSvg({ ...base, title: long })).toContain(`font-weight="bold" textLength="928" lengthAdjust="spacingAndGlyphs">${long}</text>`);
    expect(renderChartSvg(base)).not.toContain('textLength');
  });

  it('draws a reporter that publishes months apart month by month, with no bucket note', () => {
    const svg = renderChartSvg({ ...base, points: months('2023-01', '2024-02', () => 250e6), anomalies: [anomaly('2024-02', '2024-02', 'Feb 2024')] });
    expect(svg).not.toContain('class="bucket"');
    expect(svg).not.toContain('Jan-Feb');
    expect(attribute(svg, /<circle class="anomaly"/, 'cx')).toBe(936);
  });

  it('labels what fits and says how many more are marked, leaving gaps for months not known', () => {
    const points = months('2004-01', '2023-12', (i) => (i === 5 ? Number.NaN : 1e9 + i * 1e7)).map((p) => (Number.isNaN(p.value) ? { ...p, value: undefined } : p));
    const anomalies = periodRange('2023-01', '2023-12').map((period) => anomaly(period, period, period, 'warning'));
    const svg = renderChartSvg({ ...base, points, anomalies });
    expect((svg.match(/class="anomaly"/g) ?? []).length).toBe(12);
    const labelled = (svg.match(/class="anomaly-label"/g) ?? []).length;
    expect(labelled).toBeGreaterThanOrEqual(3);
    expect(svg).toContain(`${12 - labelled} more marked without a label: hover a dot`);
    expect(/class="series" d="([^"]+)"/.exec(svg)![1]!.match(/M/g)).toHaveLength(2);
    // Twenty years: a year label every second year, so they never touch.
    expect([...svg.matchAll(/text-anchor="middle">(\d{4})</g)].map((m) => Number(m[1]))).toEqual([2004, 2006, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022]);
  });

  it("draws a mirror's further lines (the partner's side, the gap) with a legend, scaled together, the anomaly on the main line and named as the ratio's", () => {
    const points = months('2023-01', '2023-12', () => 200e6);
    const mirror: ChartInput = {
      ...base,
      title: 'China exports to Kyrgyzstan beside Kyrgyzstan imports from China (mirror)',
      points,
      lineLabel: "CHN's figure (FOB)",
      lines: [
        { label: "KGZ's figure at FOB", values: points.map((_, i) => (i === 5 ? undefined : 90e6)) },
        // A negative gap: the axis reaches below zero for it.
        { label: 'Gap', values: points.map(() => -50e6) },
      ],
      anomalies: [{ ...anomaly('2023-12', '2023-12', 'Dec 2023', 'warning'), mirror: {} } as unknown as Anomaly],
    };
    const svg = renderChartSvg(mirror);
    const paths = [...svg.matchAll(/<path class="line" d="([^"]+)"/g)].map((m) => m[1]!.split(' '));
    expect(paths).toHaveLength(2);
    // June is not known on the partner's side: the line breaks there and starts again in July.
    expect(paths[0]!.filter((step) => step.startsWith('M'))).toHaveLength(2);
    expect(paths[0]).toHaveLength(11);
    expect([...svg.matchAll(/<g class="legend">.*?<text[^>]*>([^<]+)<\/text><\/g>/g)].map((m) => m[1])).toEqual(["CHN's figure (FOB)", "KGZ's figure at FOB", 'Gap']);
    expect(svg).toMatch(/>-US\$\d+m</);
    const gapY = Number(paths[1]![0]!.split(',')[1]);
    const zeroY = attribute(svg, /<line x1="96" x2="936"(?=[^>]*stroke="#9e9e9e")/, 'y1');
    expect(gapY).toBeGreaterThan(zeroY);
    // The anomaly sits on the main line's December point.
    const main = /class="series" d="([^"]+)"/.exec(svg)![1]!.split(' ');
    expect(`L${attribute(svg, /<circle class="anomaly"/, 'cx').toFixed(1)},${attribute(svg, /<circle class="anomaly"/, 'cy').toFixed(1)}`).toBe(main[11]);
    expect(svg).toContain('Dec 2023 ratio +83% (AO, warning)');
    expect(svg).toContain("Lines: CHN's figure (FOB), KGZ's figure at FOB, Gap");
  });

  it('draws no legend for a single line', () => {
    expect(renderChartSvg(base)).not.toContain('class="legend"');
  });
});
