import type { Country } from '../domain/countries.js';

/** A record's reporter and partner as ISO alpha-3 codes, or which of the two its source code does not name. */
export function countryPair<C>(lookup: (code: C) => Pick<Country, 'iso3'> | undefined, reporterCode: C, partnerCode: C): { reporter: string; partner: string } | { unknown: 'reporter' | 'partner' } {
  const reporter = lookup(reporterCode);
  if (!reporter) return { unknown: 'reporter' };
  const partner = lookup(partnerCode);
  return partner ? { reporter: reporter.iso3, partner: partner.iso3 } : { unknown: 'partner' };
}

export const UNKNOWN_COUNTRY = 'not a code in the reference list of countries';
