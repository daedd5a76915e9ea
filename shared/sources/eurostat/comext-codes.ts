import { countryByIso2, countryByIso3 } from '../../domain/countries.js';
import { InvalidRequestError } from '../comtrade/request-plan.js';

/**
 * Comext's reporter and partner codes (DS-045409's GEONOM positions) and the codes tradewatch
 * stores. Member states and partner countries are ISO alpha-2 codes (Comext writes Greece GR, as
 * ISO does; EL, Eurostat's code for Greece elsewhere, is read too); the aggregates have their own.
 */
const AGGREGATES: ReadonlyArray<readonly [stored: string, comext: string]> = [
  ['EUU', 'EU27_2020'],
  ['W00', 'WORLD'],
  ['EUX', 'EU27_2020_EXTRA'],
  ['EUI', 'EU27_2020_INTRA'],
];
const TO_COMEXT = new Map(AGGREGATES);
const FROM_COMEXT = new Map<string, string>([...AGGREGATES.map(([stored, comext]) => [comext, stored] as const), ['EL', 'GRC']]);

/** A stored reporter or partner code as Comext writes it in a query key. */
export function comextCode(stored: string, role: 'reporter' | 'partner'): string {
  const aggregate = TO_COMEXT.get(stored);
  if (aggregate) return aggregate;
  const iso2 = countryByIso3(stored)?.iso2;
  // Areas n.e.s. (490…) have no alpha-2 code, and the world's W0 is Comtrade's, not Comext's.
  if (!iso2 || stored === 'W00') throw new InvalidRequestError(`${role} "${stored}" has no Eurostat Comext code (Comext takes countries by ISO alpha-2 code, EU27_2020, WORLD, EU27_2020_EXTRA and EU27_2020_INTRA)`);
  return iso2;
}

/**
 * The stored code for a code in a Comext answer; undefined for one tradewatch does not store (XI
 * Northern Ireland and XU the United Kingdom without it, Comext's partners since 2021, among them).
 */
export function storedCode(comext: string): string | undefined {
  const aggregate = FROM_COMEXT.get(comext);
  if (aggregate) return aggregate;
  if (!/^[A-Z]{2}$/.test(comext)) return undefined;
  const country = countryByIso2(comext);
  return country && country.kind !== 'world' ? country.iso3 : undefined;
}
