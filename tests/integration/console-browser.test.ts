import { randomUUID } from 'node:crypto';
import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSnsClient } from '../../shared/alerts/sns-publisher.js';
import { loadDemo, type LoadedDemo } from '../../shared/cli/commands/demo.js';
import { startLocalConsole } from '../../shared/console/local-console.js';
import type { ConsoleServer } from '../../shared/console/serve.js';
import { filterPolicy } from '../../shared/domain/alerts/routing.js';
import { subscriptionRoute } from '../../shared/domain/alerts/subscription.js';
import { collectPageErrors, findChromium, launchChromium, screenshot, seriousViolations } from '../support/console-browser.js';

const chromium = findChromium();
if (!chromium && process.env.CI) throw new Error('chromium is missing in CI: .ci/run should have installed it');
if (!chromium) console.warn('SKIPPED: the console tests need Chromium (Debian package `chromium`), which is not installed here');

/** The watchlist and subscription routes come with shared/manage (another branch until merged): their tests run once it is here. */

const WIDTHS = [1280, 375] as const;

describe.skipIf(!chromium)('the web console in headless Chromium, on the demo store', () => {
  let demo: LoadedDemo;
  let server: ConsoleServer;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    demo = await loadDemo({ dynamoDbEndpoint: inject('dynamoDbEndpoint'), tableName: `console-${randomUUID()}`, out: () => undefined });
    server = await startLocalConsole(demo.config, { illustrative: true });
    browser = await launchChromium(chromium!);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await demo?.stop();
  });

  async function open(hash: string, width: number = WIDTHS[0]): Promise<Page> {
    const page = await browser.newPage();
    errors.push(...collectPageErrors(page));
    await page.setViewport({ width, height: 900 });
    await page.goto(`${server.url}${hash}`, { waitUntil: 'load' });
    return page;
  }

  const text = (page: Page, selector: string) => page.$eval(selector, (element) => element.textContent ?? '');

  /** Each page at both widths: a screenshot, and no serious or critical accessibility violation. */
  async function check(page: Page, name: string, ready: string): Promise<void> {
    for (const width of WIDTHS) {
      await page.setViewport({ width, height: 900 });
      await page.waitForSelector(ready);
      await screenshot(page, `${name}-${width}`);
      expect(await seriousViolations(page), `${name} at ${width} px`).toEqual([]);
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow, `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
    }
  }

  it('opens the Azerbaijan alert from the list, newest first, and shows its explanation, chart with the anomaly marked, and thread', async () => {
    const page = await open('#/alerts');
    await page.waitForSelector('ol.alerts li a');
    const titles = await page.$$eval('ol.alerts li a', (links) => links.map((link) => link.textContent));
    // The two Azerbaijan alerts, the demo's mirror gap (China–Kyrgyzstan) and its two HS6 series that took little before March 2022 and much after.
    expect(titles).toHaveLength(5);
    expect(titles.filter((title) => /Azerbaijan, Jan-Feb 2024/.test(title ?? ''))).toHaveLength(2);
    // Titled as their e-mail subjects are: what the rule found, and the code.
    expect(titles.filter((title) => /^×\d+ since 2022-03: China exports to Kyrgyzstan, HS 85423[12]$/.test(title ?? ''))).toHaveLength(2);
    await check(page, 'alerts', 'ol.alerts li a');

    const links = await page.$$('ol.alerts li a');
    const azerbaijan = await Promise.all(links.map((link) => link.evaluate((element) => /Azerbaijan/.test(element.textContent ?? ''))));
    const link = links[azerbaijan.indexOf(true)];
    const clicked = await link!.evaluate((element) => element.textContent);
    await link!.click();
    await page.waitForSelector('figure.chart canvas');
    expect(await text(page, 'h1')).toBe(clicked);
    expect(await text(page, 'pre.explanation')).toMatch(/Jan-Feb 2024: US\$\d+m\n\s+Jan-Feb 2023: US\$\d+m/);
    expect(await text(page, 'figcaption')).toContain('Jan-Feb 2024 (critical, up)');
    // The alert's own bucket is the chart's "This alert" series, a point uPlot draws.
    const highlighted = await page.$eval('figure.chart', (figure) => [...figure.querySelectorAll('.u-legend .u-series')].map((s) => s.textContent));
    expect(highlighted.join(' ')).toContain('This alert');
    expect(await text(page, 'ol.thread')).toMatch(/^Alerted \d{4}-\d\d-\d\d \d\d:\d\d UTC · critical · \+\d+% y\/y/);
    await check(page, 'alert', 'figure.chart canvas');
    await page.close();
  });

  it('filters alerts by direction and partner', async () => {
    // Down: only the mirror gap (Kyrgyzstan's figure falling against China's).
    const page = await open('#/alerts?direction=down');
    await page.waitForFunction('document.querySelectorAll("ol.alerts li a").length === 1');
    expect(await text(page, 'ol.alerts li a')).toMatch(/Kyrgyzstan/);
    // The mirror's alert draws both sides and the gap, the alert's bucket marked on China's line.
    await page.click('ol.alerts li a');
    await page.waitForSelector('figure.chart canvas');
    expect(await text(page, 'pre.explanation')).toMatch(/China reports exports to Kyrgyzstan of US\$[\d.]+bn in Jan-Feb 2024/);
    const caption = await text(page, 'figcaption');
    expect(caption).toContain("Lines: CHN's figure (FOB); KGZ's figure at FOB (6 % CIF/FOB margin); Gap (CHN's less KGZ's).");
    expect(caption).toContain('Jan-Feb 2024 (warning, down)');
    // The page says the store holds the demo's illustrative figures, as on every page of the demo's console.
    expect(await text(page, 'p.illustrative')).toContain('Illustrative data');
    const legend = await page.$eval('figure.chart', (figure) => [...figure.querySelectorAll('.u-legend .u-series')].map((s) => s.textContent).join(' '));
    for (const name of ["CHN's figure (FOB)", "KGZ's figure at FOB", 'Gap', 'This alert']) expect(legend).toContain(name);
    await check(page, 'mirror-alert', 'figure.chart canvas');
    // Its series page reads the mirror in the other views too: each side's change on a year earlier, and the ratio's.
    await page.click('a[href^="#/series/"]');
    await page.waitForSelector('figure.chart canvas');
    await page.select('select[name=view]', 'yoy');
    await page.click('form.filters button[type=submit]');
    await page.waitForFunction('document.querySelector("table.data caption")?.textContent.startsWith("Change on a year")');
    const rows = await page.$$eval('table.data tbody tr', (trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    expect(rows.at(-1)).toEqual(['Jan-Feb 2024', 'US$2.79bn', expect.stringMatching(/^\+\d+%$/), 'US$841m', expect.stringMatching(/^-\d+%$/), '0.30×', '0.45×']);
    await page.goto(`${server.url}#/alerts?partner=Azerbaijan&severity=critical`);
    await page.waitForFunction('document.querySelectorAll("ol.alerts li a").length === 2');
    await page.goto(`${server.url}#/alerts?partner=Turkmenistan`);
    await page.waitForFunction('document.querySelector("p.empty")?.textContent.startsWith("No alert matches")');
    await page.close();
  });

  it('finds the China–Central Asia group series by names and reads US$89.3bn for 2023 in the annual view', async () => {
    const page = await open('#/series');
    await page.waitForSelector('form.filters');
    await check(page, 'series-search', 'form.filters');
    await page.type('input[name=reporter]', 'China');
    await page.type('input[name=partner]', 'Central Asia');
    await page.keyboard.press('Enter');
    await page.waitForSelector('ul.series-list a');
    const found = await page.$$eval('ul.series-list a', (links) => links.map((link) => [link.textContent, link.getAttribute('href')]));
    const trade = found.find(([, href]) => href === `#/series/${encodeURIComponent('comtrade.CHN.CENTRALASIA.trade.TOTAL.USD')}`);
    expect(trade?.[0]).toBe('China trade with Central Asia (CENTRALASIA)');
    await page.click(`a[href="${trade![1]}"]`);
    await page.waitForSelector('figure.chart canvas');
    await page.select('select[name=view]', 'annual');
    await page.click('form.filters button[type=submit]');
    await page.waitForSelector('table.data caption');
    await page.waitForFunction('document.querySelector("table.data caption").textContent === "Annual"');
    const rows = await page.$$eval('table.data tbody tr', (trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    expect(rows).toContainEqual(['2023', 'US$89.3bn', '+27%']);
    await check(page, 'series', 'figure.chart canvas');
    await page.close();
  });

  it('shows a past vintage with an as-of date', async () => {
    const id = encodeURIComponent('comtrade.CHN.TUR.export.TOTAL.USD');
    const page = await open(`#/series/${id}?from=2023-12&to=2023-12`);
    await page.waitForSelector('table.data tbody tr');
    expect(await page.$$eval('table.data tbody tr', (trs) => trs.map((tr) => tr.textContent))).toEqual(['2023-12US$3.78bnpublished1']);
    await page.goto(`${server.url}#/series/${id}?from=2023-12&to=2023-12&asOf=2024-03-31`);
    await page.waitForFunction('document.querySelector("table.data caption")?.textContent.includes("as of 2024-03-31")');
    expect(await page.$$eval('table.data tbody tr', (trs) => trs.map((tr) => tr.textContent))).toEqual(['2023-12US$3.73bnpublished0']);
    await page.close();
  });

  it('shows where tracking stands', async () => {
    const page = await open('#/status');
    await page.waitForSelector('table');
    expect(await text(page, 'main')).toMatch(/Next daily run/);
    await check(page, 'status', 'table');
    await page.close();
  });

  it('moves between pages with the keyboard alone', async () => {
    const page = await open('#/alerts');
    await page.waitForSelector('ol.alerts li a');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Series');
    await page.keyboard.press('Enter');
    await page.waitForSelector('form[aria-label="Find series"]');
    expect(await page.evaluate('document.activeElement.id')).toBe('main');
    await page.close();
  });

  it('adds a watchlist entry after showing its planned calls and monthly cost', async () => {
    const page = await open('#/watchlist');
    await page.waitForSelector('form[aria-label="Add a watchlist entry"]');
    await page.type('input[name=reporter]', 'Kazakhstan');
    await page.type('input[name=partners]', 'CHN,RUS');
    await page.click('form[aria-label="Add a watchlist entry"] button[type=submit]');
    await page.waitForSelector('section.preview');
    const preview = await text(page, 'section.preview');
    expect(preview).toMatch(/Calls per day\d+/);
    expect(preview).toMatch(/Monthly costUS\$\d+\.\d\d/);
    await check(page, 'watchlist', 'section.preview');
    await page.click('form[aria-label="Add a watchlist entry"] button[type=button]');
    await page.waitForSelector('[role=status]');
    await page.waitForFunction('[...document.querySelectorAll("tbody th")].some((th) => th.textContent === "KAZ")');
    await page.close();
  });

  it('lists the entry added on the Watchlist page on the Status page, from the table', async () => {
    const page = await open('#/status');
    await page.waitForFunction('[...document.querySelectorAll("tbody th")].some((th) => th.textContent.startsWith("KAZ, 2 partners"))');
    expect(await text(page, 'p.watchlist-from')).toMatch(/^The watchlist in the table/);
    await page.close();
  });

  it('adds an e-mail subscriber with a severity floor: an SNS subscription with its filter policy, pending; then removes it', async () => {
    const sns = createSnsClient({ region: demo.topic.region, endpoint: demo.topic.endpoint });
    const subscriptionsOf = async () => (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: demo.topic.topicArn }))).Subscriptions ?? [];
    const page = await open('#/subscriptions');
    await page.waitForSelector('form[aria-label="Add a subscriber"]');
    await page.type('input[name=endpoint]', 'desk@example.org');
    await page.select('select[name=minSeverity]', 'critical');
    await page.click('form[aria-label="Add a subscriber"] button[type=submit]');
    await page.waitForSelector('[role=status]');
    expect(await text(page, '[role=status]')).toContain('desk@example.org');
    const subscription = (await subscriptionsOf()).find((s) => s.Endpoint === 'desk@example.org');
    expect(subscription).toBeDefined();
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscription!.SubscriptionArn }));
    expect(JSON.parse(Attributes!.FilterPolicy!)).toEqual(filterPolicy(subscriptionRoute({ protocol: 'email', minSeverity: 'critical' })));
    await check(page, 'subscriptions', 'table');
    await page.click('button[aria-label="Remove desk@example.org"]');
    await page.waitForFunction('![...document.querySelectorAll("tbody th")].some((th) => th.textContent === "desk@example.org")');
    expect((await subscriptionsOf()).find((s) => s.Endpoint === 'desk@example.org')).toBeUndefined();
    await page.close();
  });

  it('raised no script error and no Content-Security-Policy violation on any page', () => {
    expect(errors).toEqual([]);
  });
});
