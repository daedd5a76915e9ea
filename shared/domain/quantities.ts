import * as z from '../zod.js';

/**
 * How much was traded beside what it was worth: the net weight (kg) and, where the source counts
 * goods in a unit of their own (items, litres, pairs), that quantity with its unit. Each says
 * whether the source estimated it. Both are optional: many records carry neither.
 */

/** Why an amount (a weight or a quantity) cannot be stored, or undefined when it can: as for values. */
export function storableAmountProblem(amount: number): string | undefined {
  if (!Number.isFinite(amount)) return 'not a finite number';
  if (amount < 0) return 'cannot be negative';
  if (amount > Number.MAX_SAFE_INTEGER) return `too large to store exactly (at most ${Number.MAX_SAFE_INTEGER})`;
  if (amount > 0 && amount < 1e-130) return 'too small to store (DynamoDB keeps no positive number below 1e-130)';
  return undefined;
}

export const storableAmount = z.number().check(
  z.superRefine((amount, ctx) => {
    const problem = storableAmountProblem(amount);
    if (problem) ctx.addIssue({ code: 'custom', input: amount, message: problem });
  }),
);

export const netWeightSchema = z.object({
  kg: storableAmount,
  estimated: z.boolean(),
});
export type NetWeight = z.infer<typeof netWeightSchema>;

export const quantitySchema = z.object({
  amount: storableAmount,
  /** The source's code for the unit (Comtrade's qtyUnitCode, e.g. 5 for items). */
  unitCode: z.int(),
  /** Its abbreviation, e.g. `u` (items), `l`, `kg`. */
  unit: z.string().check(z.minLength(1), z.maxLength(40)),
  estimated: z.boolean(),
});
export type Quantity = z.infer<typeof quantitySchema>;

export const quantitiesSchema = z.object({
  netWeight: z.optional(netWeightSchema),
  quantity: z.optional(quantitySchema),
});
export type Quantities = z.infer<typeof quantitiesSchema>;

/** Whatever carries quantities (an observation, a revision). */
export interface WithQuantities {
  readonly quantities?: Quantities | undefined;
}

/** The quantities, or undefined when there are none (an empty object is none). */
export function presentQuantities(quantities: Quantities | undefined): Quantities | undefined {
  if (!quantities) return undefined;
  const { netWeight, quantity } = quantities;
  if (!netWeight && !quantity) return undefined;
  return { ...(netWeight ? { netWeight: { kg: netWeight.kg, estimated: netWeight.estimated } } : {}), ...(quantity ? { quantity: { ...quantity } } : {}) };
}

/** A canonical text of the quantities ('' for none): equal texts, equal quantities; and a total order for ties. */
export function quantitiesKey(quantities: Quantities | undefined): string {
  const present = presentQuantities(quantities);
  if (!present) return '';
  const w = present.netWeight;
  const q = present.quantity;
  return [w ? `${w.kg}${w.estimated ? '~' : ''}` : '-', q ? `${q.amount}${q.estimated ? '~' : ''} ${q.unitCode}:${q.unit}` : '-'].join('|');
}

export function sameQuantities(a: Quantities | undefined, b: Quantities | undefined): boolean {
  return quantitiesKey(a) === quantitiesKey(b);
}

/** `{ quantities }` when there are some, `{}` otherwise: spread into an observation so that none leaves no key. */
export function quantitiesField(quantities: Quantities | undefined): { quantities?: Quantities } {
  const present = presentQuantities(quantities);
  return present ? { quantities: present } : {};
}

/**
 * The quantities of a sum of parts (the partners of a group, exports + imports): a net weight when
 * every part has one (a part worth zero counts as 0 kg), a quantity when every part has one in the
 * same unit; estimated when any part was. Undefined when neither adds up.
 */
export function sumQuantities(parts: readonly { readonly value: number; readonly quantities?: Quantities | undefined }[]): Quantities | undefined {
  if (parts.length === 0) return undefined;
  let kg = 0;
  let weightEstimated = false;
  let weighed = parts.some((p) => p.quantities?.netWeight);
  let amount = 0;
  let quantityEstimated = false;
  const first = parts.find((p) => p.quantities?.quantity)?.quantities?.quantity;
  let counted = first !== undefined;
  for (const part of parts) {
    const weight = part.quantities?.netWeight;
    if (weight) {
      kg += weight.kg;
      weightEstimated ||= weight.estimated;
    } else if (part.value !== 0) weighed = false;
    const quantity = part.quantities?.quantity;
    if (quantity && first && quantity.unitCode === first.unitCode) {
      amount += quantity.amount;
      quantityEstimated ||= quantity.estimated;
    } else if (quantity || part.value !== 0) counted = false;
  }
  return presentQuantities({
    ...(weighed ? { netWeight: { kg, estimated: weightEstimated } } : {}),
    ...(counted && first ? { quantity: { amount, unitCode: first.unitCode, unit: first.unit, estimated: quantityEstimated } } : {}),
  });
}
