import * as z from '../zod.js';
import { listCodes } from './commodity-lists.js';

/**
 * What a watchlist entry or a request asks for, in UN Comtrade's `cmdCode` terms: TOTAL, one HS
 * code (2 to 6 digits), a whole level (AG2 every chapter, AG4 every heading, AG6 every
 * subheading), or a comma list of HS codes. Each HS code answered is its own series.
 */
export const COMMODITY_SELECTION = /^(TOTAL|AG[246]|\d{2,6}(,\d{2,6})*)$/;

/** Codes an HS level can answer with at most (HS 2022: 97 chapters, 1,228 headings, 5,609 subheadings): planning's upper bound. */
const CODES_PER_LEVEL = { AG2: 97, AG4: 1_228, AG6: 5_609 } as const;

/** A selection as written in configuration or on the command line: a string, a list of HS codes (spaces and dots ignored: 8542.31), or a named list such as CHPL. */
export const commoditySelectionSchema = z.pipe(
  z.union([z.string(), z.array(z.string()).check(z.minLength(1))]),
  z.pipe(
    z.transform((input: string | string[]) => {
      const written = Array.isArray(input) ? input.join(',') : input;
      return (listCodes(written)?.join(',') ?? written).replace(/[\s.]/g, '').toUpperCase();
    }),
    z.string().check(z.regex(COMMODITY_SELECTION, 'expected TOTAL, an HS code of 2 to 6 digits, AG2, AG4, AG6, a list of HS codes or a named list (CHPL, CHPL-1 … CHPL-4B)')),
  ),
);

/** The most rows one partner, flow and month can answer with for this selection. */
export function rowsPerSeriesMonth(selection: string): number {
  if (selection in CODES_PER_LEVEL) return CODES_PER_LEVEL[selection as keyof typeof CODES_PER_LEVEL];
  return selection.split(',').length;
}

/** A short, stable name for the selection in run keys: a long list of codes by its count and a digest. */
export function selectionLabel(selection: string): string {
  const codes = selection.split(',');
  if (codes.length <= 3) return codes.join('+');
  let hash = 0;
  for (const char of selection) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return `${codes.length}codes-${hash.toString(36)}`;
}

/** Whether an HS code answered (a series' commodity) belongs to a selection: TOTAL and single codes exactly, a level by its length, a list by membership. */
export function selectionCovers(selection: string, code: string): boolean {
  if (selection in CODES_PER_LEVEL) return code.length === Number(selection.slice(2)) && /^\d+$/.test(code);
  return selection.split(',').includes(code);
}
