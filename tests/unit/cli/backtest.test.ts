import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../shared/cli/commands/backtest.js';

async function run(options: Parameters<typeof runBacktest>[0]): Promise<string[]> {
  const lines: string[] = [];
  await runBacktest(options, (line) => lines.push(line));
  return lines;
}

describe('tradewatch backtest', () => {
  it('prints what would have fired, the noise budget and the counts, on the demo data set', async () => {
    const output = (await run({ all: true, demo: true })).join('\n');
    // 567 buckets since issue 13 (27 before): short histories are scored too, with a blended spread.
    expect(output).toMatch(/Replayed 27 series \(\d+\.\d series-years\), 567 buckets scored\./);
    expect(output).toMatch(/Jan-Feb 2024 +comtrade\.CHN\.AZE\.trade\.TOTAL\.USD +AO +critical +\+83% +US\$520m/);
    expect(output).toMatch(/Noise budget: 0\.\d{3} alerts per series-year \(2 alerts\)/);
    expect(output).toContain('By type:      AO 2');
    expect(output).toMatch(/Held back: +history \d+/);
  });

  it('writes CSV with a header and one row per alert, and JSON with the whole summary', async () => {
    const csv = await run({ id: 'comtrade.CHN.AZE.export.TOTAL.USD', demo: true, format: 'csv' });
    expect(csv[0]).toBe('period,bucket,series,type,severity,change,value,comparison_value,z,rules');
    expect(csv.slice(1)).toEqual([expect.stringMatching(/^2024-02,Jan-Feb 2024,comtrade\.CHN\.AZE\.export\.TOTAL\.USD,AO,critical,0\.9\d+,/)]);
    const json = JSON.parse((await run({ all: true, demo: true, format: 'json', from: '2024-01' })).join('\n'));
    expect(json.fired).toHaveLength(2);
    expect(json.byRule).toEqual({ 'yoy-robust-z': 2 });
  });

  it('says what is wrong with bad flags', async () => {
    await expect(run({ demo: true })).rejects.toThrow(/name one series ID, or --all/);
    await expect(run({ all: true, demo: true, format: 'xml' as 'csv' })).rejects.toThrow(/--format: .*"table"\|"csv"\|"json"/);
    await expect(run({ all: true, demo: true, from: '2024-13' })).rejects.toThrow(/--from: expected a month as YYYY-MM/);
    await expect(run({ all: true, demo: true, from: '2024-05', to: '2024-01' })).rejects.toThrow(/--from is after --to/);
    await expect(run({ id: 'comtrade.CHN.XXX.export.TOTAL.USD', demo: true })).rejects.toThrow(/no series comtrade\.CHN\.XXX/);
    await expect(run({ id: 'not-an-id', demo: true })).rejects.toThrow(/is not a series id/);
  });
});
