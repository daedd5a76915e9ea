import reporters from './reference/comtrade-reporters.json' with { type: 'json' };

/** A country or area as UN Comtrade's reference list names it (M49 numeric code, ISO codes). */
export interface Country {
  readonly m49: number;
  readonly iso2: string;
  readonly iso3: string;
  readonly name: string;
}

interface ReporterEntry {
  reporterCode: number;
  reporterCodeIsoAlpha2: string;
  reporterCodeIsoAlpha3: string;
  text: string;
  isGroup: boolean;
  entryExpiredDate?: string;
}

const WORLD: Country = { m49: 0, iso2: 'W0', iso3: 'W00', name: 'World' };

// Only entries still in force: the list also keeps historic codes (e.g. 280 Fed. Rep. of Germany).
const current = (reporters.results as ReporterEntry[]).filter((entry) => !entry.entryExpiredDate && !entry.isGroup);

const byIso3 = new Map<string, Country>([[WORLD.iso3, WORLD]]);
const byIso2 = new Map<string, Country>();
const byM49 = new Map<number, Country>([[WORLD.m49, WORLD]]);
for (const entry of current) {
  const country: Country = {
    m49: entry.reporterCode,
    iso2: entry.reporterCodeIsoAlpha2,
    iso3: entry.reporterCodeIsoAlpha3,
    name: entry.text,
  };
  byIso3.set(country.iso3, country);
  byIso2.set(country.iso2, country);
  byM49.set(country.m49, country);
}

export function countryByIso3(iso3: string): Country | undefined {
  return byIso3.get(iso3);
}

export function countryByIso2(iso2: string): Country | undefined {
  return byIso2.get(iso2);
}

export function countryByM49(m49: number): Country | undefined {
  return byM49.get(m49);
}

/** The country's name, or the code itself when the reference list does not know it. */
export function countryName(iso3: string): string {
  return byIso3.get(iso3)?.name ?? iso3;
}

/** Two-letter code for short texts (SMS); falls back to the three-letter one. */
export function countryShortCode(iso3: string): string {
  return byIso3.get(iso3)?.iso2 ?? iso3;
}
