import { brotliCompressSync, gzipSync } from 'node:zlib';
import { loadDemo } from '../../../shared/cli/commands/demo.js';
import { buildConsole } from '../../../shared/console/build.js';
import { startLocalConsole } from '../../../shared/console/local-console.js';
import { findChromium, launchChromium } from '../../support/console-browser.js';
import type { BenchContext, BenchResult } from '../bench-context.js';

const SIZE_GOAL_KB = 150;
const DRAWN_GOAL_MS = 1000;
const RUNS = 5;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * The console's first page: what the browser transfers for it (compressed, as served), and the
 * time from navigation to the alerts list drawn, in headless Chromium against the demo's store on
 * DynamoDB Local (the median of five fresh page loads, no cache).
 */
export async function consolePage({ dynamo }: BenchContext): Promise<BenchResult> {
  const files = await buildConsole();
  const firstPage = [...files.values()];
  const brotli = firstPage.reduce((sum, file) => sum + brotliCompressSync(file).length, 0);
  const gzip = firstPage.reduce((sum, file) => sum + gzipSync(file).length, 0);
  const figures = [`first page's files (index.html, script, stylesheet): ${kb(brotli)} brotli, ${kb(gzip)} gzip, ${kb(firstPage.reduce((sum, f) => sum + f.length, 0))} raw`];
  const chromium = findChromium();
  if (!chromium) return { name: 'console first page', figures: [...figures, 'Chromium not installed: transfer and drawing time not measured'] };

  const demo = await loadDemo({ dynamoDbEndpoint: dynamo.endpoint, tableName: `bench-console-${Date.now()}`, out: () => undefined });
  const server = await startLocalConsole(demo.config, { illustrative: true });
  const browser = await launchChromium(chromium);
  try {
    const transferred: number[] = [];
    const drawn: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage();
      const cdp = await page.createCDPSession();
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      let bytes = 0;
      cdp.on('Network.loadingFinished', (event) => {
        bytes += event.encodedDataLength;
      });
      await page.goto(`${server.url}#/alerts`, { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('ol.alerts li a');
      drawn.push((await page.evaluate('performance.now()')) as number);
      await page.waitForNetworkIdle({ idleTime: 200 });
      transferred.push(bytes);
      await page.close();
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const size = median(transferred);
    const ms = median(drawn);
    figures.push(
      `transferred for the first page (Alerts, with its API calls, brotli as served): ${kb(size)} (goal <= ${SIZE_GOAL_KB} KB: ${size / 1024 <= SIZE_GOAL_KB ? 'met' : 'NOT met'})`,
      `alerts list drawn ${ms.toFixed(0)} ms after navigation, median of ${RUNS} uncached loads (goal <= ${DRAWN_GOAL_MS} ms: ${ms <= DRAWN_GOAL_MS ? 'met' : 'NOT met'})`,
    );
    return { name: 'console first page (headless Chromium, demo store on DynamoDB Local)', figures };
  } finally {
    await browser.close();
    await server.stop();
    await demo.stop();
  }
}
