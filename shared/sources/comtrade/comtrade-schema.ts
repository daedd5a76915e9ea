import * as z from 'zod';

/**
 * The fields of a UN Comtrade v1 data record that tradewatch reads; a record carries about 50
 * (see ../shared/fixtures/comtrade). Unknown fields are ignored.
 */
export const comtradeRecordSchema = z.object({
  typeCode: z.literal('C'),
  freqCode: z.literal('M'),
  period: z.string().regex(/^\d{4}(0[1-9]|1[0-2])$/, 'expected a month as YYYYMM'),
  reporterCode: z.number().int().nonnegative(),
  reporterISO: z.string().nullable().optional(),
  flowCode: z.enum(['X', 'M']),
  partnerCode: z.number().int().nonnegative(),
  partnerISO: z.string().nullable().optional(),
  partner2Code: z.number().int().nullable().optional(),
  cmdCode: z.string(),
  customsCode: z.string().nullable().optional(),
  motCode: z.number().int().nullable().optional(),
  primaryValue: z.number().nonnegative().nullable(),
  isReported: z.boolean().nullable().optional(),
  isAggregate: z.boolean().nullable().optional(),
});
export type ComtradeRecord = z.infer<typeof comtradeRecordSchema>;

/** The envelope: `{ elapsedTime, count, data: [...], error }`. Records are validated one by one. */
export const comtradeResponseSchema = z.object({
  count: z.number().int().nonnegative(),
  data: z.array(z.unknown()),
  error: z.string().nullable().optional(),
});
export type ComtradeResponse = z.infer<typeof comtradeResponseSchema>;

/** A data-availability row (getDa): when a reporter's month was last released. */
export const availabilityRowSchema = z.object({
  reporterCode: z.number().int().nonnegative(),
  period: z.string().regex(/^\d{4}(0[1-9]|1[0-2])$/),
  lastReleased: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected a date YYYY-MM-DD'),
});
export type AvailabilityRow = z.infer<typeof availabilityRowSchema>;

export const COMTRADE_FLOW_CODES = { export: 'X', import: 'M' } as const;
