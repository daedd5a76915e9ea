import { periodRange } from '../domain/period.js';

/**
 * The demo's one mirror: Kyrgyzstan's own report of its imports from China (ILLUSTRATIVE, not
 * Kyrgyz customs figures), generated from China's reported exports to Kyrgyzstan. Kyrgyzstan's
 * figure runs at about 0.45x China's (mirror gaps of 2-4x are documented for Central Asia), CIF at
 * a 6 % margin, with a little month-to-month noise; in Jan-Feb 2024 it falls to 0.30x while China's
 * exports grow as usual: a gap that opens (what re-exports through a third country, or
 * under-invoicing at the border, would look like). `npm start` alerts it once, as a warning.
 */
export const DEMO_MIRROR = { reporter: 'KGZ', partner: 'CHN', flow: 'import', chinaFlow: 'export' } as const;

const USUAL_RATIO = 0.45;
const OPENED_RATIO = 0.3;
const OPENS_FROM = '2024-01';
const CIF_FOB = 1.06;

export function kyrgyzImportsFromChina(chinaExportsToKyrgyzstan: readonly number[], from: string, to: string): number[] {
  const periods = periodRange(from, to);
  return chinaExportsToKyrgyzstan.map((value, i) => {
    const ratio = periods[i]! >= OPENS_FROM ? OPENED_RATIO : USUAL_RATIO;
    // Deterministic noise of about 2 %: the two agencies never record a month's shipments alike.
    const noise = 1 + 0.02 * Math.sin(i * 2.3 + 0.7);
    return Math.round(value * ratio * CIF_FOB * noise);
  });
}
