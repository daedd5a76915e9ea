import * as z from '../zod.js';
import { areaInputSchema } from './countries.js';

/** Named groups of partners, summed on read: `comtrade.CHN.CENTRALASIA.trade.TOTAL.USD`. */
export const groupsSchema = z.record(
  z.string().check(z.regex(/^[A-Z][A-Z0-9]{3,19}$/, 'a group name is 4 to 20 capital letters or digits, e.g. CENTRALASIA')),
  z.object({
    name: z.string().check(z.minLength(1)),
    members: z.array(areaInputSchema).check(z.minLength(1)),
  }),
);
export type Groups = z.infer<typeof groupsSchema>;

export const DEFAULT_GROUPS: Groups = {
  CENTRALASIA: { name: 'Central Asia', members: ['KAZ', 'KGZ', 'UZB', 'TJK', 'TKM'] },
  CAUCASUS: { name: 'South Caucasus', members: ['AZE', 'GEO', 'ARM'] },
};
