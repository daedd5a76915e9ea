import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chartSeries, listAlerts, listSeries, showSeries } from '../../shared/cli/commands/query.js';
import { addSilence, listSilences, parseUntil, removeSilence } from '../../shared/cli/commands/silence.js';
import { detectAnomalies } from '../../shared/domain/detection/index.js';
import { demoSeries } from '../support/demo-series.js';
import { freshTable } from '../support/local-table.js';

/** The CLI reads DYNAMODB_ENDPOINT and TABLE_NAME like a user's shell would set them. */
describe('CLI commands against the store', () => {
  let table: Awaited<ReturnType<typeof freshTable>>;
  const saved = { ...process.env };
  beforeAll(async () => {
    table = await freshTable();
    await table.series.saveObservations(
      { source: 'comtrade', reporter: 'CHN', partner: 'AZE', flow: 'export', commodity: 'TOTAL', currency: 'USD' },
      [
        { period: '2024-01', value: 195_000_000, state: 'published' },
        { period: '2024-02', value: null, state: 'suppressed' },
      ],
      '2024-03-20T00:00:00.000Z',
    );
  });
  const run = async (command: (out: (line: string) => void) => Promise<void>) => {
    process.env.DYNAMODB_ENDPOINT = table.connection.endpoint;
    process.env.TABLE_NAME = table.tableName;
    const lines: string[] = [];
    await command((line) => lines.push(line));
    return lines;
  };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('lists and shows series', async () => {
    expect(await run((out) => listSeries({}, out))).toEqual([
      'SERIES                             FROM     TO       MONTHS',
      'comtrade.CHN.AZE.export.TOTAL.USD  2024-01  2024-02  2',
    ]);
    expect(await run((out) => showSeries('comtrade.CHN.AZE.export.TOTAL.USD', {}, out))).toEqual([
      'MONTH    VALUE    STATE       REVISIONS',
      '2024-01  US$195m  published   0',
      '2024-02  -        suppressed  0',
    ]);
    await expect(run((out) => showSeries('comtrade.CHN.AZE.export.TOTAL.USD', { from: '2024-1' }, out))).rejects.toThrow(/--from "2024-1"/);
  });

  it('adds, lists and removes silences, refusing bad input by flag', async () => {
    const now = new Date();
    const added = await run((out) => addSilence({ series: 'comtrade.CHN.AZE.*.TOTAL.USD', until: '2099-12-31', reason: 'known re-routing' }, out, now));
    const id = /Silence (\w+) added/.exec(added[0]!)![1]!;
    expect(added[0]).toContain('until 2099-12-31T23:59:59.999Z');
    const listed = await run((out) => listSilences(out));
    expect(listed[1]).toMatch(new RegExp(`^${id}\\s+comtrade\\.CHN\\.AZE\\.\\*\\.TOTAL\\.USD\\s+2099-12-31T23:59:59\\.999Z\\s+active\\s+known re-routing$`));
    expect(await run((out) => removeSilence(id, out))).toEqual([`Silence ${id} removed.`]);
    await expect(run((out) => removeSilence(id, out))).rejects.toThrow(/no silence with id/);
    await expect(run((out) => addSilence({ series: 'CHN.AZE', until: '2099-01-01', reason: 'x' }, out))).rejects.toThrow(/--series "CHN\.AZE": expected a series id/);
    await expect(run((out) => addSilence({ series: 'comtrade.CHN.AZE.*.TOTAL.USD', until: '2020-01-01', reason: 'x' }, out))).rejects.toThrow(/already past/);
    expect(() => parseUntil('next tuesday', now)).toThrow(/--until "next tuesday": expected a date/);
    // A date that is not in the calendar is refused, not rolled over to March.
    expect(() => parseUntil('2027-02-30', now)).toThrow(/--until "2027-02-30": 2027-02-30 is not a date in the calendar/);
    expect(parseUntil('90d', now)).toBe(new Date(now.getTime() + 90 * 86_400_000).toISOString());
    expect(() => parseUntil('0d', now)).toThrow(/--until "0d": at least 1d/);
  });

  it('lists alerts, and refuses an unknown severity', async () => {
    expect(await run((out) => listAlerts({}, out))).toEqual(['No alerts stored.']);
    await expect(run((out) => listAlerts({ severity: 'loud' }, out))).rejects.toThrow(/--severity "loud": expected info, warning or critical/);
  });

  it('filters alerts by a severity floor and a start time, says when filters hide stored alerts, and refuses a time it cannot read', async () => {
    const { key, observations } = demoSeries('AZE', 'trade');
    const critical = detectAnomalies({ series: key, observations }).anomalies.find((a) => a.severity === 'critical')!;
    await table.alerts.claim(critical, ['feed'], new Date('2024-03-20T08:00:00Z'));
    const rows = async (options: { since?: string; severity?: string }) => (await run((out) => listAlerts(options, out))).slice(1);
    // "warning" means warning and above, as a subscriber's floor does.
    expect(await rows({ severity: 'warning' })).toHaveLength(1);
    expect(await rows({ severity: 'critical', since: '2024-03-20' })).toHaveLength(1);
    expect(await run((out) => listAlerts({ since: '2024-03-21' }, out))).toEqual(['No alerts match --since 2024-03-21 (1 stored in all).']);
    await expect(run((out) => listAlerts({ since: 'garbage' }, out))).rejects.toThrow(/--since "garbage": expected a date/);
    await expect(run((out) => listAlerts({ since: '2024-02-30' }, out))).rejects.toThrow(/2024-02-30 is not a date in the calendar/);
  });

  it('charts a stored series, marked illustrative only where its months are the demo data set\'s (as `npm start` stores them)', async () => {
    const { key, observations } = demoSeries('GEO', 'export');
    await table.series.saveObservations(key, observations, '2024-03-20T00:00:00.000Z');
    const dir = mkdtempSync(join(tmpdir(), 'tradewatch-cli-chart-'));
    try {
      const chart = async (id: string) => {
        const file = join(dir, `${id}.svg`);
        await run((out) => chartSeries(id, { out: file }, out));
        return readFileSync(file, 'utf8');
      };
      expect(await chart('comtrade.CHN.GEO.export.TOTAL.USD')).toContain('class="illustrative"');
      expect(await chart('comtrade.CHN.AZE.export.TOTAL.USD')).not.toMatch(/illustrative/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
