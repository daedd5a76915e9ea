import { describe, expect, it } from 'vitest';
import { parseTradeCsv } from '../../../shared/sources/csv/csv-import.js';

const HEADER = 'reporter,partner,flow,period,value,currency,unit';

describe('CSV import parsing', () => {
  it('reads rows into series in whole currency units, keeping the currency', () => {
    const parsed = parseTradeCsv(
      [`${HEADER},commodity,state`, 'CHN,AZE,export,2024-01,195000,USD,thousand,TOTAL,', 'CHN,AZE,export,2024-02,,USD,thousand,TOTAL,suppressed', 'DEU,CHN,import,2024-01,1.5,EUR,million,27,'].join('\n'),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.batches).toEqual([
      {
        series: { source: 'csv', reporter: 'CHN', partner: 'AZE', flow: 'export', commodity: 'TOTAL', currency: 'USD' },
        observations: [
          { period: '2024-01', value: 195_000_000, state: 'published' },
          { period: '2024-02', value: null, state: 'suppressed' },
        ],
      },
      { series: { source: 'csv', reporter: 'DEU', partner: 'CHN', flow: 'import', commodity: '27', currency: 'EUR' }, observations: [{ period: '2024-01', value: 1_500_000, state: 'published' }] },
    ]);
  });

  it('reports every bad row with its line number and reason', () => {
    const parsed = parseTradeCsv(
      [
        HEADER,
        'CHN,AZE,export,2024-01,195000,USD,thousand',
        'CHN,AZE,export,2024-13,1,USD,thousand',
        'CHN,AZ,import,2024-01,2,USD,thousand',
        'CHN,AZE,export,2024-02,-4,USD,thousand',
        'CHN,AZE,export,2024-03,4,USD,dozens',
        'CHN,AZE,export,2024-01,5,USD,thousand',
        'CHN,AZE,export,2024-04,5,USD,thousand,extra,fields',
      ].join('\n'),
    );
    expect(parsed.rows).toBe(7);
    expect(parsed.errors).toEqual([
      { line: 3, reason: 'period: expected a month as YYYY-MM (or YYYY-01..02 for a combined Jan+Feb release)' },
      { line: 4, reason: 'partner: expected an ISO alpha-3 code, e.g. AZE' },
      { line: 5, reason: 'value: "-4" is not a non-negative number' },
      { line: 6, reason: expect.stringMatching(/^unit: .*"one"\|"thousand"\|"million"/) },
      { line: 7, reason: 'a second row for csv.CHN.AZE.export.TOTAL.USD 2024-01' },
      { line: 8, reason: "the row does not have the header's 7 fields" },
    ]);
  });

  it('names missing columns, and unreadable CSV by line', () => {
    expect(parseTradeCsv('reporter,partner,flow,period,value\nCHN,AZE,export,2024-01,1').errors).toEqual([
      { line: 1, reason: 'missing column(s): currency, unit (expected reporter,partner,flow,period,value,currency,unit)' },
    ]);
    expect(parseTradeCsv(`${HEADER}\nCHN,AZE,export,2024-01,"1,USD,thousand`).errors[0]!.reason).toMatch(/^not readable as CSV/);
  });
});
