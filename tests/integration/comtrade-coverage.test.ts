import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../shared/cli/commands/ingest.js';
import { startLocalComtradeServer, type LocalComtradeServer } from '../../shared/local/comtrade-server.js';
import type { ServedFigure } from '../../shared/local/comtrade-records-builder.js';
import { freshTable } from '../support/local-table.js';

/** China's exports to Taiwan (Comtrade's 490 "Other Asia, nes") and to the world, by HS chapter, with the totals beside them. */
const figures: ServedFigure[] = ['2024-01', '2024-02'].flatMap((period, month) => [
  { reporter: 'CHN', partner: '490', flow: 'export', period, value: 4_100_000_000 + month, cmdCode: '85' },
  { reporter: 'CHN', partner: '490', flow: 'export', period, value: 900_000_000 + month, cmdCode: '27' },
  { reporter: 'CHN', partner: '490', flow: 'export', period, value: 7_000_000_000 + month, cmdCode: 'TOTAL' },
  { reporter: 'CHN', partner: '490', flow: 'export', period, value: 80_000_000 + month, cmdCode: '8542' },
  { reporter: 'CHN', partner: 'W00', flow: 'export', period, value: 70_000_000_000 + month, cmdCode: '85' },
  { reporter: 'CHN', partner: 'W00', flow: 'export', period, value: 280_000_000_000 + month, cmdCode: 'TOTAL' },
]);

let server: LocalComtradeServer | undefined;
const saved = { ...process.env };
afterEach(async () => {
  await server?.stop();
  server = undefined;
  process.env = { ...saved };
});

describe('Comtrade partners and HS levels a user names', () => {
  it('plans and runs `--partners TWN,world --commodity AG2`: one series per chapter, the totals left out, within the keyless records cap', async () => {
    server = await startLocalComtradeServer({ figures });
    const table = await freshTable();
    process.env.DYNAMODB_ENDPOINT = table.connection.endpoint;
    process.env.TABLE_NAME = table.tableName;
    delete process.env.COMTRADE_API_KEY;
    const options = { reporter: 'chn', partners: 'TWN,world', commodity: 'AG2', from: '2024-01', to: '2024-02', baseUrl: server.baseUrl, alert: false };

    const planned: string[] = [];
    await ingest({ ...options, dryRun: true }, (line) => planned.push(line), false);
    expect(planned[0]).toMatch(/TWN: UN Comtrade reports trade with Taiwan under 490 "Other Asia, nes"/);
    // 97 chapters × 2 partners × 2 flows × 2 months could pass the preview's 500 rows: split into calls that cannot.
    const calls = planned.filter((line) => line.startsWith('  GET '));
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) {
      const query = new URL(call.slice('  GET '.length)).searchParams;
      expect(query.get('cmdCode')).toBe('AG2');
      const rows = query.get('partnerCode')!.split(',').length * query.get('flowCode')!.split(',').length * query.get('period')!.split(',').length * 97;
      expect(rows).toBeLessThanOrEqual(500);
    }
    expect(new Set(calls.flatMap((call) => new URL(call.slice(6)).searchParams.get('partnerCode')!.split(',')))).toEqual(new Set(['490', '0']));

    const lines: string[] = [];
    await ingest(options, (line) => lines.push(line), false);
    expect(lines.join('\n')).toMatch(/6 observations: 6 new/);
    const stored = (await table.series.listSeries({ reporter: 'CHN' })).map((s) => s.seriesId).sort();
    expect(stored).toEqual(['comtrade.CHN.490.export.27.USD', 'comtrade.CHN.490.export.85.USD', 'comtrade.CHN.W00.export.85.USD']);
    const taiwan = await table.series.getObservations('comtrade.CHN.490.export.85.USD');
    expect(taiwan.map((o) => o.value)).toEqual([4_100_000_000, 4_100_000_001]);
  });

  it('takes a list of HS codes and a partner by its M49 number, and refuses a code that names nothing with the flag and the value', async () => {
    server = await startLocalComtradeServer({ figures });
    const table = await freshTable();
    process.env.DYNAMODB_ENDPOINT = table.connection.endpoint;
    process.env.TABLE_NAME = table.tableName;
    const options = { reporter: 'CHN', partners: '490', commodity: '8542, 85', from: '2024-01', to: '2024-02', baseUrl: server.baseUrl, alert: false };
    await ingest(options, () => {}, false);
    const stored = (await table.series.listSeries({ reporter: 'CHN' })).map((s) => s.seriesId).sort();
    expect(stored).toEqual(['comtrade.CHN.490.export.85.USD', 'comtrade.CHN.490.export.8542.USD']);

    await expect(ingest({ ...options, partners: 'KAZ,XXX' }, () => {}, false)).rejects.toThrow(/--partners "KAZ,XXX": "XXX" names no country or area/);
    await expect(ingest({ ...options, commodity: 'AG3' }, () => {}, false)).rejects.toThrow(/--commodity "AG3": expected TOTAL, an HS code of 2 to 6 digits, AG2, AG4, AG6, a list of HS codes or a named list/);
  });
});
