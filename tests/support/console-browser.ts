import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** Debian's chromium: .ci/run installs it; on a machine without it the browser tests say so and skip. */
export function findChromium(): string | undefined {
  for (const candidate of ['chromium', 'chromium-browser']) {
    const found = spawnSync('which', [candidate], { encoding: 'utf8' }).stdout.trim();
    if (found) return found;
  }
  return undefined;
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return puppeteer.launch({ executablePath, args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
}

/** Screenshots of every page the tests visit, at each width (gitignored; one is copied to docs by hand for the README). */
export const SCREENSHOT_DIR = join('tests', 'output', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) as `${string}.png`, fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly string[];
}

/**
 * axe-core run in the page (its source evaluated through DevTools, which the page's CSP does not
 * govern, as a browser extension's would be): the serious and critical violations, WCAG 2.1 AA.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
    .then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Errors the page raised or logged (a blocked script or style would say so here), less the API's deliberate 4xx/5xx answers. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of (4|5)\d\d/.test(message.text())) errors.push(message.text());
  });
  return errors;
}
