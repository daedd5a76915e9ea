import { describe, expect, it } from 'vitest';
import { allCountries, areaInputSchema, countryName, countryShortCode, resolveArea } from '../../../shared/domain/countries.js';
import { seriesTitle } from '../../../shared/domain/alerts/alert-text.js';

describe('countries and areas as people type them', () => {
  it('reads ISO alpha-3 and alpha-2 codes, M49 numbers and the world in any case', () => {
    expect(['KAZ', 'kz', ' 398 ', 'Kaz'].map((typed) => resolveArea(typed)?.code)).toEqual(['KAZ', 'KAZ', 'KAZ', 'KAZ']);
    expect(['world', 'W00', 'WLD', '0', '000'].map((typed) => resolveArea(typed)?.code)).toEqual(['W00', 'W00', 'W00', 'W00', 'W00']);
    expect(resolveArea('EUU')).toEqual({ code: 'EUU', name: 'European Union (27)' });
    // The same name wherever the EU is shown, though Comtrade also lists it as reporter group 97.
    expect(countryName('EUU')).toBe('European Union (27)');
    expect(resolveArea('97')?.code).toBe('EUU');
  });

  it('stands TWN for Comtrade\'s 490 "Other Asia, nes", and says so', () => {
    expect(resolveArea('TWN')).toEqual({ code: '490', name: 'Other Asia, nes', note: 'TWN: UN Comtrade reports trade with Taiwan under 490 "Other Asia, nes"' });
    expect(areaInputSchema.parse('twn')).toBe('490');
  });

  it("knows Comtrade's partner-only territories and its areas not elsewhere specified, stored under their M49 number", () => {
    expect(resolveArea('ESH')).toEqual({ code: 'ESH', name: 'Western Sahara' });
    expect(resolveArea('899')).toEqual({ code: '899', name: 'Areas, nes' });
    expect(resolveArea('839')?.name).toBe('Special Categories');
    expect(countryName('490')).toBe('Other Asia, nes');
    expect(countryShortCode('490')).toBe('490');
    // `*` stays Comtrade's reporter list: areas n.e.s. and territories are named on purpose.
    expect(allCountries().some((c) => c.iso3 === '490' || c.iso3 === 'ESH' || c.iso3 === 'W00')).toBe(false);
  });

  it('refuses a code that names nothing, saying what it expects', () => {
    for (const typed of ['XXX', '12a', '999', 'K', '']) expect(resolveArea(typed)).toBeUndefined();
    const parsed = areaInputSchema.safeParse('XXX');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/"XXX" names no country or area in UN Comtrade's reference lists \(use an ISO code such as KAZ or KZ, an M49 number, world, EUU or TWN\)/);
  });

  it('titles an area n.e.s. by its name', () => {
    const key = { source: 'comtrade', reporter: 'CHN', partner: '490', flow: 'export', commodity: 'TOTAL', currency: 'USD' } as const;
    expect(seriesTitle(key)).toBe('China exports to Other Asia, nes');
  });
});

describe('resolveArea by name (the console\'s search fields)', () => {
  it('reads a country named as the reference list writes it, in any case, and nothing it does not know', () => {
    expect(resolveArea('Kazakhstan')?.code).toBe('KAZ');
    expect(resolveArea('china')?.code).toBe('CHN');
    expect(resolveArea('TÜRKIYE')?.code).toBe('TUR');
    expect(resolveArea('Atlantis')).toBeUndefined();
  });
});
