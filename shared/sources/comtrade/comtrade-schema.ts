import * as z from '../../zod.js';
import { storableAmount } from '../../domain/quantities.js';
import { storableValue } from '../../domain/series.js';

const code = () => z.number().check(z.int(), z.nonnegative());
const optionalNullable = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));

/**
 * The fields of a UN Comtrade v1 data record that tradewatch reads; a record carries about 50
 * (see ../shared/fixtures/comtrade). Unknown fields are ignored.
 */
export const comtradeRecordSchema = z.object({
  typeCode: z.literal('C'),
  freqCode: z.literal('M'),
  period: z.string().check(z.regex(/^\d{4}(0[1-9]|1[0-2])$/, 'expected a month as YYYYMM')),
  reporterCode: code(),
  reporterISO: optionalNullable(z.string()),
  flowCode: z.enum(['X', 'M']),
  partnerCode: code(),
  partnerISO: optionalNullable(z.string()),
  partner2Code: optionalNullable(z.int()),
  cmdCode: z.string(),
  customsCode: optionalNullable(z.string()),
  motCode: optionalNullable(z.int()),
  /** US$; a value the store cannot keep (negative, beyond Number.MAX_SAFE_INTEGER) is a rejected record, not a failed call. */
  primaryValue: z.nullable(storableValue),
  /**
   * The quantity in the commodity's supplementary unit (qtyUnitAbbr: `u` items, `l`, `kg`, …);
   * qtyUnitCode -1 (`N/A`) or a null qty is none. A weight or quantity the store cannot keep
   * (negative, not a number) rejects the record, as a bad value does.
   */
  qtyUnitCode: optionalNullable(z.int()),
  qtyUnitAbbr: optionalNullable(z.string()),
  qty: optionalNullable(storableAmount),
  isQtyEstimated: optionalNullable(z.boolean()),
  /** Net weight in kg; null where the reporter gives none. */
  netWgt: optionalNullable(storableAmount),
  isNetWgtEstimated: optionalNullable(z.boolean()),
  isReported: optionalNullable(z.boolean()),
  isAggregate: optionalNullable(z.boolean()),
});
export type ComtradeRecord = z.infer<typeof comtradeRecordSchema>;

/** The envelope: `{ elapsedTime, count, data: [...], error }`. Records are validated one by one. */
export const comtradeResponseSchema = z.object({
  count: code(),
  data: z.array(z.unknown()),
  error: optionalNullable(z.string()),
});
export type ComtradeResponse = z.infer<typeof comtradeResponseSchema>;

/** A data-availability row (getDa): when a reporter's month was last released. */
export const availabilityRowSchema = z.object({
  reporterCode: code(),
  period: z.string().check(z.regex(/^\d{4}(0[1-9]|1[0-2])$/)),
  lastReleased: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}/, 'expected a date YYYY-MM-DD')),
});

/** Comtrade's qtyUnitCode for "no quantity" (qtyUnitAbbr `N/A`). */
export const COMTRADE_NO_QUANTITY_UNIT = -1;

export const COMTRADE_FLOW_CODES = { export: 'X', import: 'M' } as const;
