/**
 * China customs (GACC) figures as published, in US$ billions, used to calibrate the illustrative
 * demo data set and checked by its tests. Source: ../shared/reference/published-figures.md of the
 * project's reference material.
 */
export interface PublishedTotal {
  readonly description: string;
  readonly partners: readonly string[];
  readonly flows: readonly ('export' | 'import')[];
  readonly from: string;
  readonly to: string;
  readonly billions: number;
}

const CENTRAL_ASIA = ['KAZ', 'KGZ', 'UZB', 'TJK', 'TKM'] as const;
const BOTH = ['export', 'import'] as const;

function trade(partner: string, year: number, billions: number): PublishedTotal {
  return { description: `China-${partner} trade ${year}`, partners: [partner], flows: BOTH, from: `${year}-01`, to: `${year}-12`, billions };
}

function half(partner: string, flow: 'export' | 'import', billions: number): PublishedTotal {
  return { description: `China ${flow}s ${flow === 'export' ? 'to' : 'from'} ${partner}, H1 2023`, partners: [partner], flows: [flow], from: '2023-01', to: '2023-06', billions };
}

function annualFlow(partner: string, flow: 'export' | 'import', billions: number): PublishedTotal {
  return { description: `China ${flow}s ${flow === 'export' ? 'to' : 'from'} ${partner}, 2023`, partners: [partner], flows: [flow], from: '2023-01', to: '2023-12', billions };
}

export const PUBLISHED_TOTALS: readonly PublishedTotal[] = [
  { description: 'China-Central Asia trade 2022', partners: CENTRAL_ASIA, flows: BOTH, from: '2022-01', to: '2022-12', billions: 70.2 },
  { description: 'China-Central Asia trade 2023', partners: CENTRAL_ASIA, flows: BOTH, from: '2023-01', to: '2023-12', billions: 89.4 },
  { description: 'China exports to Central Asia 2023', partners: CENTRAL_ASIA, flows: ['export'], from: '2023-01', to: '2023-12', billions: 61.4 },
  { description: 'China imports from Central Asia 2023', partners: CENTRAL_ASIA, flows: ['import'], from: '2023-01', to: '2023-12', billions: 28.0 },
  { description: 'China exports to Central Asia H1 2023', partners: CENTRAL_ASIA, flows: ['export'], from: '2023-01', to: '2023-06', billions: 26.4 },
  { description: 'China imports from Central Asia H1 2023', partners: CENTRAL_ASIA, flows: ['import'], from: '2023-01', to: '2023-06', billions: 13.5 },
  trade('KAZ', 2022, 31.2),
  trade('KAZ', 2023, 41.0),
  annualFlow('KAZ', 'export', 24.7),
  annualFlow('KAZ', 'import', 16.3),
  trade('KGZ', 2023, 19.8),
  annualFlow('KGZ', 'import', 0.08),
  trade('UZB', 2023, 14.0),
  annualFlow('UZB', 'import', 1.6),
  trade('TJK', 2023, 3.9),
  annualFlow('TJK', 'import', 0.25),
  trade('TKM', 2023, 10.6),
  annualFlow('TKM', 'import', 9.6),
  annualFlow('TKM', 'export', 1.0),
  half('KAZ', 'export', 10.63),
  half('KAZ', 'import', 7.62),
  half('KGZ', 'export', 7.89),
  half('KGZ', 'import', 0.026),
  half('UZB', 'export', 5.46),
  half('UZB', 'import', 0.629),
  half('TJK', 'export', 1.96),
  half('TJK', 'import', 0.152),
  half('TKM', 'export', 0.476),
  half('TKM', 'import', 5.076),
  trade('AZE', 2023, 3.1),
  trade('ARM', 2022, 1.43),
  trade('TUR', 2023, 43.4),
];

/** Published growth rates the demo reproduces (fractions). */
export const PUBLISHED_GROWTH = {
  /** China-Azerbaijan trade, Jan-Feb 2024 on Jan-Feb 2023. */
  azerbaijanJanFeb2024: 0.83,
  /** China-Central Asia trade, Jan-Feb 2023 on Jan-Feb 2022. */
  centralAsiaJanFeb2023: 0.22,
  /** China's exports to the nine partners from Türkiye to Kazakhstan, Jan-Feb 2024. */
  arcExportsJanFeb2024: 0.31,
} as const;
