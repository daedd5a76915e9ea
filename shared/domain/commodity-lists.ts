import chpl from './reference/chpl-2024-02-23.json' with { type: 'json' };

/**
 * Named lists of HS codes a watchlist entry or `--commodity` may give by name. The Common High
 * Priority List ships with its source and date (reference/chpl-2024-02-23.json, a copy of the
 * published CSV beside it): `CHPL` is all 50 codes, `CHPL-1` … `CHPL-4B` one tier each.
 */
export interface CommodityList {
  readonly name: string;
  readonly title: string;
  readonly version: string;
  readonly provenance: string;
  readonly codes: readonly string[];
}

const tiers = Object.entries(chpl.tiers as Record<string, string[]>);

export const COMMODITY_LISTS: ReadonlyMap<string, CommodityList> = new Map([
  ['CHPL', { name: 'CHPL', title: `${chpl.title}, all tiers`, version: chpl.version, provenance: chpl.provenance, codes: tiers.flatMap(([, codes]) => codes) }],
  ...tiers.map(([tier, codes]): [string, CommodityList] => {
    const name = `CHPL-${tier.replace('.', '')}`;
    return [name, { name, title: `${chpl.title}, tier ${tier}`, version: chpl.version, provenance: chpl.provenance, codes }];
  }),
]);

/** The codes a list name stands for (any case), or undefined when it names no list. */
export function listCodes(name: string): readonly string[] | undefined {
  return COMMODITY_LISTS.get(name.trim().toUpperCase())?.codes;
}

/** `HS 854231 (CHPL tier 1)`: an HS code as alerts name it, with its tier where the CHPL lists it. */
export function commodityLabel(code: string): string {
  const tier = tiers.find(([, codes]) => codes.includes(code))?.[0];
  return tier === undefined ? `HS ${code}` : `HS ${code} (CHPL tier ${tier})`;
}
