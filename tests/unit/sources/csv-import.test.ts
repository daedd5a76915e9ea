import { describe, expect, it } from 'vitest';
import { parseTradeCsv } from '../../../shared/sources/csv/csv-import.js';

const HEADER = 'reporter,partner,flow,period,value,currency,unit';

describe('CSV import parsing', () => {
  it('reads rows into series in whole currency units, keeping the currency', async () => {
    const parsed = await parseTradeCsv(
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

  it('reports every bad row with its line number and reason', async () => {
    const parsed = await parseTradeCsv(
      [
        HEADER,
        'CHN,AZE,export,2024-01,195000,USD,thousand',
        'CHN,AZE,export,2024-13,1,USD,thousand',
        'CHN,A2,import,2024-01,2,USD,thousand',
        'CHN,AZE,export,2024-02,-4,USD,thousand',
        'CHN,AZE,export,2024-03,4,USD,dozens',
        'CHN,AZE,export,2024-01,5,USD,thousand',
        'CHN,AZE,export,2024-04,5,USD,thousand,extra,fields',
      ].join('\n'),
    );
    expect(parsed.rows).toBe(7);
    expect(parsed.errors).toEqual([
      { line: 3, reason: 'period: expected a month as YYYY-MM (or YYYY-01..02 for a combined Jan+Feb release)' },
      { line: 4, reason: 'column "partner": "A2": not a known country or area: expected an ISO 3166 country code such as AZE or AZ, an M49 number, W00 (also WLD or world) for the world, EUU for the EU27, or TWN (stored as 490, as UN Comtrade files Taiwan)' },
      { line: 5, reason: 'column "value": "-4": a trade value cannot be negative' },
      { line: 6, reason: expect.stringMatching(/^unit: .*"one"\|"thousand"\|"million"/) },
      { line: 7, reason: 'a second row for csv.CHN.AZE.export.TOTAL.USD 2024-01' },
      { line: 8, reason: 'the row has 9 fields, the header 7' },
    ]);
  });

  it('names missing columns, and unreadable CSV by line', async () => {
    expect((await parseTradeCsv('reporter,partner,flow,period,value\nCHN,AZE,export,2024-01,1')).errors).toEqual([
      { line: 1, reason: 'missing column(s): currency, unit (expected reporter,partner,flow,period,value,currency,unit)' },
    ]);
    expect((await parseTradeCsv(`${HEADER}\nCHN,AZE,export,2024-01,"1,USD,thousand`)).errors[0]!.reason).toMatch(/^not readable as CSV/);
  });

  it("counts fields from the header: the README's example, with optional columns left out of a row, is read", async () => {
    const parsed = await parseTradeCsv([`${HEADER},commodity,state`, 'CHN,AZE,export,2024-01,195000,USD,thousand', 'CHN,AZE,export,2024-02,,USD,thousand,TOTAL,suppressed'].join('\n'));
    expect(parsed.errors).toEqual([]);
    expect(parsed.batches[0]!.observations).toEqual([
      { period: '2024-01', value: 195_000_000, state: 'published' },
      { period: '2024-02', value: null, state: 'suppressed' },
    ]);
    // Only trailing optional columns may be left out, and no row may have more fields than the header.
    expect((await parseTradeCsv([`${HEADER},commodity,state`, 'CHN,AZE,export,2024-01,195000,USD', 'CHN,AZE,export,2024-02,1,USD,one,TOTAL,published,x'].join('\n'))).errors).toEqual([
      { line: 2, reason: 'the row has 6 fields, the header 9; only trailing optional columns (commodity, state) may be left out' },
      { line: 3, reason: 'the row has 10 fields, the header 9' },
    ]);
  });

  it('takes values only as plain decimal numbers, saying what is wrong with the text as written', async () => {
    const rows = ['0x1F4', '1e5', 'Infinity', '+5', '1e200', 'lots', '', '"1,234,567"', '1 234', '-4'];
    const parsed = await parseTradeCsv([HEADER, ...rows.map((v, i) => `CHN,AZE,export,2020-${String(i + 1).padStart(2, '0')},${v},USD,one`)].join('\n'));
    const notDecimal = 'not a plain decimal number: expected digits with an optional decimal point, e.g. 195000 or 1.5';
    expect(parsed.errors).toEqual([
      { line: 2, reason: `column "value": "0x1F4": ${notDecimal}` },
      { line: 3, reason: `column "value": "1e5": ${notDecimal}` },
      { line: 4, reason: `column "value": "Infinity": ${notDecimal}` },
      { line: 5, reason: `column "value": "+5": ${notDecimal}` },
      { line: 6, reason: `column "value": "1e200": ${notDecimal}` },
      { line: 7, reason: `column "value": "lots": ${notDecimal}` },
      { line: 8, reason: 'column "value": "": a published month needs a value (leave it empty only for a suppressed or not-released month)' },
      { line: 9, reason: 'column "value": "1,234,567": thousands separators are not accepted: write the number with digits only (e.g. 1234567)' },
      { line: 10, reason: 'column "value": "1 234": thousands separators are not accepted: write the number with digits only (e.g. 1234)' },
      { line: 11, reason: 'column "value": "-4": a trade value cannot be negative' },
    ]);
    expect(parsed.batches).toEqual([]);
  });

  it('scales by the unit exactly, and refuses what the store could not keep once scaled', async () => {
    const parsed = await parseTradeCsv(
      [HEADER, 'CHN,AZE,export,2024-01,1.1,USD,thousand', 'CHN,AZE,export,2024-02,0.000001,USD,million', 'CHN,AZE,export,2024-03,9007199254741,USD,thousand', 'CHN,AZE,export,2024-04,9007199254740991,USD,one'].join('\n'),
    );
    expect(parsed.errors).toEqual([
      { line: 4, reason: 'column "value": "9007199254741": too large to store exactly (at most 9007199254740991, Number.MAX_SAFE_INTEGER), once multiplied by the unit (thousand)' },
    ]);
    expect(parsed.batches[0]!.observations.map((o) => o.value)).toEqual([1100, 1, 9007199254740991]);
  });

  it('takes reporters and partners only as known countries, areas or the world and EU aggregates, by any of their codes', async () => {
    const parsed = await parseTradeCsv(
      [HEADER, 'CHN,XXX,export,2024-01,1,USD,one', 'CHN,W00,export,2024-01,1,USD,one', 'CHN,WLD,export,2024-02,2,USD,one', 'EUU,CHN,import,2024-01,3,EUR,one', 'QQQ,CHN,import,2024-01,3,EUR,one', 'CN,TWN,export,2024-01,4,USD,one', '156,490,export,2024-02,5,USD,one'].join('\n'),
    );
    const unknown = 'not a known country or area: expected an ISO 3166 country code such as AZE or AZ, an M49 number, W00 (also WLD or world) for the world, EUU for the EU27, or TWN (stored as 490, as UN Comtrade files Taiwan)';
    expect(parsed.errors).toEqual([
      { line: 2, reason: `column "partner": "XXX": ${unknown}` },
      { line: 6, reason: `column "reporter": "QQQ": ${unknown}` },
    ]);
    // WLD is another name for the world: both rows are the one series of W00.
    expect(parsed.batches.map((b) => [b.series.reporter, b.series.partner, b.observations.length])).toEqual([
      ['CHN', 'W00', 2],
      ['EUU', 'CHN', 1],
      ['CHN', '490', 2],
    ]);
  });

  it('reports a row by the line it starts on, after empty lines and quoted line breaks', async () => {
    const parsed = await parseTradeCsv([HEADER, '', 'CHN,"AZ', 'E",export,2024-01,1,USD,one', '', 'CHN,AZE,export,2024-02,0x10,USD,one'].join('\n'));
    expect(parsed.errors.map((e) => e.line)).toEqual([3, 6]);
  });

  it('reads an optional net_weight_kg column in kilograms (not scaled by unit), a combined Jan-Feb weight on February, and refuses a bad one', async () => {
    const parsed = await parseTradeCsv(
      [
        `${HEADER},commodity,state,net_weight_kg`,
        'CHN,AZE,export,2024-01..02,300,USD,million,TOTAL,,125000.5',
        'CHN,AZE,export,2024-03,200,USD,million',
        'CHN,AZE,import,2024-03,200,USD,million,TOTAL,published,-5',
        'CHN,AZE,import,2024-04,200,USD,million,TOTAL,published,12t',
        'CHN,AZE,import,2024-05,,USD,million,TOTAL,suppressed,10',
      ].join('\n'),
    );
    expect(parsed.errors).toEqual([
      { line: 4, reason: 'column "net_weight_kg": "-5": a net weight cannot be negative' },
      { line: 5, reason: 'column "net_weight_kg": "12t": not a plain decimal number of kilograms, e.g. 125000 or 12.5' },
      { line: 6, reason: 'column "net_weight_kg": "10": must be empty for a suppressed month' },
    ]);
    expect(parsed.batches[0]!.observations).toEqual([
      { period: '2024-01', value: null, state: 'combined' },
      { period: '2024-02', value: 300_000_000, state: 'published', quantities: { netWeight: { kg: 125000.5, estimated: false } } },
      { period: '2024-03', value: 200_000_000, state: 'published' },
    ]);
  });
});
