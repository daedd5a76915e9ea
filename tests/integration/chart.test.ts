import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chartSeries } from '../../shared/cli/commands/query.js';

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

const HEADLESS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const dir = mkdtempSync(join(tmpdir(), 'tradewatch-chart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runChromium(args: string[]): string {
  return execFileSync(chromium!, [...HEADLESS, `--user-data-dir=${mkdtempSync(join(dir, 'profile-'))}`, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

describe.skipIf(!chromium)('the series chart in headless Chromium', () => {
  it('renders the line and marks the Azerbaijan anomaly where it belongs', async () => {
    const page = join(dir, 'aze.html');
    const lines: string[] = [];
    await chartSeries('comtrade.CHN.AZE.trade.TOTAL.USD', { out: page, demo: true }, (line) => lines.push(line));
    expect(lines).toEqual([`Wrote ${page} (HTML with an embedded SVG, 1 anomaly marked).`]);

    // Measure what the browser laid out, from inside the page, and read it back from the DOM.
    const probe = join(dir, 'probe.html');
    const measure = `<script>
      const svg = document.querySelector('svg').getBoundingClientRect();
      const line = document.querySelector('path.series');
      const dot = document.querySelector('circle.anomaly').getBoundingClientRect();
      document.body.dataset.rendered = JSON.stringify({ width: svg.width, height: svg.height, lineLength: line.getTotalLength(),
        dot: { x: dot.x - svg.x, y: dot.y - svg.y, w: dot.width }, label: document.querySelector('circle.anomaly title').textContent });
    </script></body>`;
    writeFileSync(probe, readFileSync(page, 'utf8').replace('</body>', measure));
    const dom = runChromium(['--dump-dom', `file://${probe}`]);
    const rendered = JSON.parse(/data-rendered="([^"]*)"/.exec(dom)![1]!.replace(/&quot;/g, '"'));
    expect(rendered.width).toBe(960);
    expect(rendered.height).toBe(420);
    expect(rendered.lineLength).toBeGreaterThan(900);
    expect(rendered.label).toBe('Jan-Feb 2024 +83% (AO, critical)');
    expect(rendered.dot.w).toBeCloseTo(14, 0);
    expect(rendered.dot.x).toBeGreaterThan(900); // the last month, at the right edge

    const png = join(dir, 'aze.png');
    runChromium(['--window-size=1000,520', `--screenshot=${png}`, `file://${page}`]);
    const image = readFileSync(png);
    expect(image.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([image.readUInt32BE(16), image.readUInt32BE(20)]).toEqual([1000, 520]);
    expect(image.length).toBeGreaterThan(10_000);
  }, 90_000);

  it('refuses an output file it cannot write as a chart', async () => {
    await expect(chartSeries('comtrade.CHN.AZE.trade.TOTAL.USD', { out: join(dir, 'chart.pdf'), demo: true }, () => undefined)).rejects.toThrow(
      /--out ".*chart\.pdf": name an \.html or an \.svg file/,
    );
  });
});
