import { describe, expect, it } from 'vitest';
import { MAX_STORABLE_VALUE, storableValue, storableValueProblem } from '../../../shared/domain/series.js';
import { comtradeMonthlyRecord } from '../../../shared/local/comtrade-records-builder.js';
import { convertRecords } from '../../../shared/sources/comtrade/comtrade-records.js';
import { convertRows } from '../../../shared/sources/eurostat/comext-source.js';

describe('a storable trade value', () => {
  it('is finite, not negative, at most Number.MAX_SAFE_INTEGER, and not nearer zero than DynamoDB keeps', () => {
    for (const ok of [0, 1, 0.5, 195_000_000, 1e-130, MAX_STORABLE_VALUE]) expect(storableValueProblem(ok), String(ok)).toBeUndefined();
    expect(storableValueProblem(1e20)).toMatch(/too large to store exactly \(at most 9007199254740991/);
    expect(storableValueProblem(MAX_STORABLE_VALUE + 2)).toMatch(/too large/);
    expect(storableValueProblem(-1)).toMatch(/cannot be negative/);
    expect(storableValueProblem(1e-200)).toMatch(/too small/);
    expect(storableValueProblem(Infinity)).toMatch(/not a finite number/);
    expect(storableValueProblem(NaN)).toMatch(/not a finite number/);
  });

  it('is one zod schema, whose message says what is wrong', () => {
    expect(storableValue.safeParse(12).success).toBe(true);
    const result = storableValue.safeParse(1e20);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(/^too large to store exactly/);
  });
});

describe('sources refuse values the store cannot keep, as rejected records', () => {
  it('Comtrade: a primaryValue of 1e20 is a rejected record with field and value; the others go on', () => {
    const good = comtradeMonthlyRecord({ reporter: 'CHN', partner: 'AZE', flow: 'export', period: '2024-01', value: 100 });
    const huge = { ...comtradeMonthlyRecord({ reporter: 'CHN', partner: 'AZE', flow: 'export', period: '2024-02', value: 100 }), primaryValue: 1e20 };
    const { batches, rejected } = convertRecords([good, huge], 'GET c');
    expect(rejected).toEqual([{ where: 'GET c record 1', field: 'primaryValue', value: 1e20, reason: expect.stringMatching(/too large to store exactly/), period: '2024-02' }]);
    expect(batches[0]!.observations).toEqual([{ period: '2024-01', value: 100, state: 'published' }]);
  });

  it('Comext: an OBS_VALUE of 1e200 is a rejected row with field and value', () => {
    const row = (OBS_VALUE: string, line: number) => ({
      line,
      record: { freq: 'M', reporter: 'DE', partner: 'CN', product: 'TOTAL', flow: '2', indicators: 'VALUE_IN_EUROS', TIME_PERIOD: '2024-01', OBS_VALUE },
    });
    const { batches, rejected } = convertRows([row('1e200', 2), row('-5', 3), row('1500', 4)], 'GET e');
    expect(rejected).toEqual([
      { where: 'GET e line 2', field: 'OBS_VALUE', value: '1e200', reason: expect.stringMatching(/too large to store exactly/) },
      { where: 'GET e line 3', field: 'OBS_VALUE', value: '-5', reason: expect.stringMatching(/cannot be negative/) },
    ]);
    expect(batches[0]!.observations).toEqual([{ period: '2024-01', value: 1500, state: 'published' }]);
  });
});
