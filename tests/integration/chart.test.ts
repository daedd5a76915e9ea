import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartSeries } from '../../shared/cli/commands/query.js';
import { isDemoData } from '../../shared/demo/illustrative.js';
import { defaultDetectionConfig } from '../../shared/domain/detection/index.js';
import { DEFAULT_GROUPS } from '../../shared/domain/groups.js';
import { periodRange } from '../../shared/domain/period.js';
import { seriesChart } from '../../shared/query/series-chart.js';

/** Debian's chromium: .ci/run installs it; on a machine without it these tests say so and skip. */
function findChromium(): string | undefined {
  for (const candidate of ['chromium', 'chromium-browser']) {
    const found = spawnSync('which', [candidate], { encoding: 'utf8' }).stdout.trim();
    if (found) return found;
  }
  return undefined;
}
const chromium = findChromium();
if (!chromium && process.env.CI) throw new Error('chromium is missing in CI: .ci/run should have installed it');
if (!chromium) console.warn('SKIPPED: the chart tests need Chromium (Debian package `chromium`), which is not installed here');

const dir = mkdtempSync(join(tmpdir(), 'tradewatch-chart-'));
let browser: Browser | undefined;

interface Box {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

interface Rendered {
  readonly width: number;
  readonly height: number;
  readonly viewBox: { readonly width: number; readonly height: number };
  readonly lineLength: number;
  /** Each text's box in the SVG's own units (getBBox) and on screen, relative to the SVG (getBoundingClientRect). */
  readonly texts: readonly { readonly own: Box; readonly screen: Box }[];
  readonly dots: readonly (Box & { readonly label: string; readonly cx: string; readonly cy: string })[];
  readonly buckets: readonly { readonly cx: string; readonly cy: string; readonly title: string }[];
}

/** What the browser laid out, measured from inside the page (a script: this project compiles without the DOM's types). */
const MEASURE = `(() => {
  const svg = document.querySelector('svg');
  const frame = svg.getBoundingClientRect();
  const onScreen = (element, text) => {
    const r = element.getBoundingClientRect();
    return { text, x: r.x - frame.x, y: r.y - frame.y, width: r.width, height: r.height };
  };
  const attributes = (c) => ({ cx: c.getAttribute('cx'), cy: c.getAttribute('cy'), title: c.querySelector('title').textContent });
  return {
    width: frame.width,
    height: frame.height,
    viewBox: { width: svg.viewBox.baseVal.width, height: svg.viewBox.baseVal.height },
    lineLength: svg.querySelector('path.series').getTotalLength(),
    texts: [...svg.querySelectorAll('text')].map((t) => {
      const b = t.getBBox();
      return { own: { text: t.textContent, x: b.x, y: b.y, width: b.width, height: b.height }, screen: onScreen(t, t.textContent) };
    }),
    dots: [...svg.querySelectorAll('circle.anomaly')].map((c) => ({ ...onScreen(c, ''), ...attributes(c), label: attributes(c).title })),
    buckets: [...svg.querySelectorAll('circle.bucket')].map(attributes),
  };
})()`;

function measure(page: Page): Promise<Rendered> {
  return page.evaluate(MEASURE) as Promise<Rendered>;
}

const intersect = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Every text inside the image and none over another. */
function expectLegible(rendered: Rendered): void {
  expect(rendered.texts.length).toBeGreaterThan(5);
  for (const { own, screen } of rendered.texts) {
    expect(own.width, own.text).toBeGreaterThan(0);
    expect(own.x, own.text).toBeGreaterThanOrEqual(0);
    expect(own.y, own.text).toBeGreaterThanOrEqual(0);
    expect(own.x + own.width, own.text).toBeLessThanOrEqual(rendered.viewBox.width);
    expect(own.y + own.height, own.text).toBeLessThanOrEqual(rendered.viewBox.height);
    expect(screen.x + screen.width, screen.text).toBeLessThanOrEqual(rendered.width);
  }
  const overlaps = rendered.texts.flatMap(({ screen: a }, i) => rendered.texts.slice(i + 1).flatMap(({ screen: b }) => (intersect(a, b) ? [`"${a.text}" overlaps "${b.text}"`] : [])));
  expect(overlaps).toEqual([]);
}

async function open(url: string): Promise<Page> {
  const page = await browser!.newPage();
  await page.setViewport({ width: 1000, height: 520 });
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

/** Twenty years of a Jan+Feb reporter's exports with a burst of moves in the last year: labels crowd the right edge. */
function denseSeries() {
  const shocks: Record<string, number> = { '2023-01': 2, '2023-02': 2, '2023-03': 1.9, '2023-05': 0.45, '2023-07': 2.2, '2023-09': 0.4, '2023-11': 2.4, '2023-12': 0.35 };
  let seed = 7;
  const noise = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647 - 0.5;
  };
  return periodRange('2004-01', '2023-12').map((period, i) => ({
    period,
    value: Math.round(4e8 * 1.06 ** (i / 12) * (1 + 0.1 * Math.sin(i * 0.52)) * (1 + 0.04 * noise()) * (shocks[period] ?? 1)),
    state: 'published' as const,
    firstSeenAt: '2024-01-20T00:00:00.000Z',
    lastChangedAt: '2024-01-20T00:00:00.000Z',
    revisions: [],
  }));
}

describe.skipIf(!chromium)('the series chart in headless Chromium', () => {
  beforeAll(async () => {
    browser = await puppeteer.launch({ executablePath: chromium!, args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders the line and marks the Azerbaijan anomaly on the Jan-Feb bucket, labelled, legible and marked illustrative', async () => {
    const file = join(dir, 'aze.html');
    const lines: string[] = [];
    await chartSeries('comtrade.CHN.AZE.trade.TOTAL.USD', { out: file, demo: true }, (line) => lines.push(line));
    expect(lines).toEqual([`Wrote ${file} (HTML with an embedded SVG, 1 anomaly marked).`]);

    const page = await open(`file://${file}`);
    const rendered = await measure(page);
    expect(rendered.width).toBe(960);
    expect(rendered.height).toBe(420);
    expect(rendered.lineLength).toBeGreaterThan(800);
    expect(rendered.dots).toHaveLength(1);
    const [dot] = rendered.dots;
    expect(dot!.label).toBe('Jan-Feb 2024 +83% (AO, critical)');
    expect(dot!.width).toBeCloseTo(14, 0);
    expect(dot!.x).toBeGreaterThan(900); // the last bucket, at the right edge
    // On the Jan-Feb point (the sum, US$520m), not on February alone.
    const bucket = rendered.buckets[rendered.buckets.length - 1]!;
    expect(bucket.title).toBe('Jan-Feb 2024: US$520m (published as one)');
    expect([dot!.cx, dot!.cy]).toEqual([bucket.cx, bucket.cy]);
    expect(rendered.texts.map((t) => t.own.text)).toEqual(expect.arrayContaining(['US$0', 'US$200m', 'US$400m', 'US$600m', 'Jan-Feb 2024 +83% (AO, critical)']));
    const note = rendered.texts.find((t) => t.own.text.startsWith('Illustrative data'));
    expect(note?.own.width).toBeGreaterThan(200);
    expectLegible(rendered);

    const png = join(dir, 'aze.png');
    await page.screenshot({ path: png });
    const image = readFileSync(png);
    expect(image.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([image.readUInt32BE(16), image.readUInt32BE(20)]).toEqual([1000, 520]);
    expect(image.length).toBeGreaterThan(10_000);
    await page.close();
  }, 90_000);

  it('keeps every label of a dense twenty-year series inside the image and apart, with anomalies crowding the right edge', async () => {
    const observations = denseSeries();
    const svg = await seriesChart(
      {
        id: 'comtrade.CHN.KAZ.export.TOTAL.USD',
        load: async (id) => (id === 'comtrade.CHN.KAZ.export.TOTAL.USD' ? observations : []),
        groups: DEFAULT_GROUPS,
        detectionFor: () => defaultDetectionConfig,
        isIllustrative: isDemoData(DEFAULT_GROUPS),
      },
      'svg',
    );
    const file = join(dir, 'dense.svg');
    writeFileSync(file, svg);
    const page = await open(`file://${file}`);
    const rendered = await measure(page);
    expect(rendered.dots.length).toBeGreaterThanOrEqual(6);
    expect(rendered.dots.every((d) => d.x > 850)).toBe(true);
    expect(rendered.texts.filter((t) => / \((AO|LS|TC), (critical|warning|info)\)$/.test(t.own.text)).length).toBeGreaterThanOrEqual(3);
    expect(rendered.texts.some((t) => t.own.text.startsWith('Illustrative'))).toBe(false);
    expectLegible(rendered);
    await page.close();
  }, 90_000);

  it('refuses an output file it cannot write as a chart', async () => {
    await expect(chartSeries('comtrade.CHN.AZE.trade.TOTAL.USD', { out: join(dir, 'chart.pdf'), demo: true }, () => undefined)).rejects.toThrow(
      /--out ".*chart\.pdf": name an \.html or an \.svg file/,
    );
  });
});
