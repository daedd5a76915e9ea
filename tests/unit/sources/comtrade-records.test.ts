import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertRecords } from '../../../shared/sources/comtrade/comtrade-records.js';
import { comtradeMonthlyRecord } from '../../../shared/local/comtrade-records-builder.js';

/** The real recorded response (UN Comtrade v1, annual, China with Argentina and Germany, 2010). */
const recorded = JSON.parse(
  readFileSync(new URL('../../fixtures/comtrade/get-C-A-HS-reporter156-2010.json', import.meta.url), 'utf8'),
) as { data: Record<string, unknown>[] };

/** The recorded records turned monthly the way the API documents it: freqCode M, period YYYYMM. */
const asMonthly = (record: Record<string, unknown>, month: number): Record<string, unknown> => ({
  ...record,
  freqCode: 'M',
  period: `2010${String(month).padStart(2, '0')}`,
  refMonth: month,
  refPeriodId: Number(`2010${String(month).padStart(2, '0')}01`),
});

describe('Comtrade records', () => {
  it('reads the real record shape: flows, partners by M49 code, primaryValue in US$', () => {
    const { batches, rejected } = convertRecords(recorded.data.map((r) => asMonthly(r, 3)), 'GET test');
    expect(rejected).toEqual([]);
    const byId = Object.fromEntries(batches.map((b) => [`${b.series.partner}.${b.series.flow}`, b.observations]));
    expect(byId['ARG.import']).toEqual([{ period: '2010-03', value: 6804128143, state: 'published' }]);
    expect(byId['ARG.export']).toEqual([{ period: '2010-03', value: 6115764185, state: 'published' }]);
    expect(Object.keys(byId).sort()).toEqual(['ARG.export', 'ARG.import', 'DEU.export', 'DEU.import']);
    expect(batches[0]!.series).toMatchObject({ source: 'comtrade', reporter: 'CHN', commodity: 'TOTAL', currency: 'USD' });
  });

  it('rejects annual records fed to the monthly path, naming the field', () => {
    const { batches, rejected } = convertRecords(recorded.data, 'GET annual');
    expect(batches).toEqual([]);
    expect(rejected).toHaveLength(4);
    expect(rejected[0]).toMatchObject({ where: 'GET annual record 0', field: 'freqCode', value: 'A' });
  });

  it('reports a wrong-typed field with its value and keeps the good records', () => {
    const records = [1, 2, 3].map((m) => asMonthly(recorded.data[0]!, m));
    records[1] = { ...records[1]!, primaryValue: '6804128143' };
    const { batches, rejected } = convertRecords(records, 'GET x');
    expect(rejected).toEqual([
      { where: 'GET x record 1', field: 'primaryValue', value: '6804128143', reason: expect.stringMatching(/number/), period: '2010-02' },
    ]);
    expect(batches[0]!.observations.map((o) => o.period)).toEqual(['2010-01', '2010-03']);
  });

  it('keeps suppressed values as suppressed and zeros as zero', () => {
    const records = [
      comtradeMonthlyRecord({ reporter: 'CHN', partner: 'AZE', flow: 'export', period: '2024-01', value: null }),
      comtradeMonthlyRecord({ reporter: 'CHN', partner: 'AZE', flow: 'export', period: '2024-02', value: 0 }),
    ];
    expect(convertRecords(records, 'GET y').batches[0]!.observations).toEqual([
      { period: '2024-01', value: null, state: 'suppressed' },
      { period: '2024-02', value: 0, state: 'zero' },
    ]);
  });

  it('refuses a second, different row for the same month rather than picking one', () => {
    const first = comtradeMonthlyRecord({ reporter: 'CHN', partner: 'AZE', flow: 'export', period: '2024-01', value: 100 });
    const second = { ...first, primaryValue: 200 };
    const { batches, rejected } = convertRecords([first, second], 'GET z');
    expect(batches[0]!.observations).toEqual([{ period: '2024-01', value: 100, state: 'published' }]);
    expect(rejected[0]).toMatchObject({ field: 'primaryValue', value: 200, reason: expect.stringMatching(/second, different row/) });
  });

  it('rejects breakdown rows (by mode of transport) that were not asked for', () => {
    const row = { ...comtradeMonthlyRecord({ reporter: 'CHN', partner: 'AZE', flow: 'export', period: '2024-01', value: 5 }), motCode: 2100 };
    expect(convertRecords([row], 'GET m').rejected[0]).toMatchObject({ field: 'motCode', value: 2100 });
  });

  it('reads no quantities from the real records: netWgt null and qtyUnitCode -1 (N/A) are none', () => {
    const { batches } = convertRecords(recorded.data.map((r) => asMonthly(r, 3)), 'GET test');
    expect(recorded.data[0]).toMatchObject({ netWgt: null, qtyUnitCode: -1, qtyUnitAbbr: 'N/A', qty: null });
    for (const batch of batches) expect(batch.observations[0]).not.toHaveProperty('quantities');
  });

  it('keeps net weight and quantity with their unit and estimated flags', () => {
    const record = {
      ...comtradeMonthlyRecord({ reporter: 'CHN', partner: 'AZE', flow: 'export', period: '2024-01', value: 5000, netWeightKg: 1250.5, netWeightEstimated: true }),
      qtyUnitCode: 5,
      qtyUnitAbbr: 'u',
      qty: 40,
      isQtyEstimated: false,
    };
    expect(convertRecords([record], 'GET q').batches[0]!.observations).toEqual([
      { period: '2024-01', value: 5000, state: 'published', quantities: { netWeight: { kg: 1250.5, estimated: true }, quantity: { amount: 40, unitCode: 5, unit: 'u', estimated: false } } },
    ]);
    // A quantity in no unit (-1, N/A) is none, whatever qty says.
    expect(convertRecords([{ ...record, qtyUnitCode: -1, qtyUnitAbbr: 'N/A' }], 'GET q').batches[0]!.observations[0]!.quantities).toEqual({ netWeight: { kg: 1250.5, estimated: true } });
  });

  it('rejects a record whose weight or quantity cannot be stored, naming the field, and keeps the others', () => {
    const good = comtradeMonthlyRecord({ reporter: 'CHN', partner: 'AZE', flow: 'export', period: '2024-01', value: 5000, netWeightKg: 100 });
    const records = [good, { ...good, period: '202402', netWgt: -3 }, { ...good, period: '202403', netWgt: '1200' }, { ...good, period: '202404', qtyUnitCode: 5, qtyUnitAbbr: 'u', qty: -1 }];
    const { batches, rejected } = convertRecords(records, 'GET w');
    expect(rejected).toEqual([
      { where: 'GET w record 1', field: 'netWgt', value: -3, reason: 'cannot be negative', period: '2024-02' },
      { where: 'GET w record 2', field: 'netWgt', value: '1200', reason: expect.stringMatching(/number/), period: '2024-03' },
      { where: 'GET w record 3', field: 'qty', value: -1, reason: 'cannot be negative', period: '2024-04' },
    ]);
    expect(batches[0]!.observations.map((o) => o.period)).toEqual(['2024-01']);
  });

  it('refuses a second row for a month that differs only in its weight', () => {
    const first = comtradeMonthlyRecord({ reporter: 'CHN', partner: 'AZE', flow: 'export', period: '2024-01', value: 100, netWeightKg: 10 });
    const { rejected } = convertRecords([first, { ...first, netWgt: 20 }], 'GET d');
    expect(rejected[0]).toMatchObject({ where: 'GET d record 1', reason: expect.stringMatching(/second, different row/) });
  });
});
