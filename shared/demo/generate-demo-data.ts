/**
 * Generates the illustrative demo data set deterministically (fixed seeds, no clock):
 *   npx tsx shared/demo/generate-demo-data.ts > shared/demo/china-neighbours.json
 *
 * Model: each series' year (or half-year, where a first-half figure is published) has a total that
 * follows published figures (or, where none are published, plausible ones), spread over its months by a seasonal profile
 * (low Jan-Feb around the Lunar New Year, high December) times small log-normal noise. Growth is
 * the same in 2022 and 2023 for each series, so its y/y history is ordinary, and Jan-Feb 2024 moves
 * by the series' usual growth (exports with a small common lift to the published +31 %), except
 * Azerbaijan (+83 %, the seed).
 *
 * Net weights are illustrative too (no published monthly weights are used): each series has a
 * plausible unit value (US$/kg: manufactured exports dearer than the oil, gas and ores China
 * imports) drifting slowly with small noise, and the weight is the value divided by it. In Jan-Feb
 * 2024 Azerbaijan's jump is given a volume and a price part: exports mostly more goods, imports
 * mostly dearer oil, so the alert's volume and unit-value split has something to say.
 */
import { PUBLISHED_GROWTH } from './published-figures.js';
import { demoHs6Series } from './hs6-series.js';
import { DEMO_MIRROR, kyrgyzImportsFromChina } from './mirror-side.js';
import type { DemoDataSet } from './demo-data.js';

interface SeriesPlan {
  readonly partner: string;
  readonly flow: 'export' | 'import';
  /** 2023 total, US$ bn. */
  readonly total2023: number;
  /** 2023 first-half total, US$ bn, where published. */
  readonly firstHalf2023?: number;
  /** y/y growth factor of 2022 on 2021 and of 2023 on 2022. */
  readonly growth: number;
}

const CENTRAL_ASIA = new Set(['KAZ', 'KGZ', 'UZB', 'TJK', 'TKM']);
const KAZ_TRADE_2022_BN = 31.2;
const CENTRAL_ASIA_TRADE_2022_BN = 70.2;
const KAZ_GROWTH = 41.0 / KAZ_TRADE_2022_BN;

const PUBLISHED_PLANS: readonly SeriesPlan[] = [
  { partner: 'KAZ', flow: 'export', total2023: 24.7, firstHalf2023: 10.63, growth: KAZ_GROWTH },
  { partner: 'KAZ', flow: 'import', total2023: 16.3, firstHalf2023: 7.62, growth: KAZ_GROWTH },
  { partner: 'KGZ', flow: 'export', total2023: 19.72, firstHalf2023: 7.89, growth: 1.288 },
  { partner: 'KGZ', flow: 'import', total2023: 0.08, firstHalf2023: 0.026, growth: 1.288 },
  { partner: 'UZB', flow: 'export', total2023: 12.4, firstHalf2023: 5.46, growth: 1.45 },
  { partner: 'UZB', flow: 'import', total2023: 1.6, firstHalf2023: 0.629, growth: 1.45 },
  { partner: 'TJK', flow: 'export', total2023: 3.65, firstHalf2023: 1.96, growth: 1.54 },
  { partner: 'TJK', flow: 'import', total2023: 0.25, firstHalf2023: 0.152, growth: 1.54 },
  { partner: 'TKM', flow: 'export', total2023: 1.0, firstHalf2023: 0.476, growth: 0.948 },
  { partner: 'TKM', flow: 'import', total2023: 9.6, firstHalf2023: 5.076, growth: 0.948 },
  { partner: 'AZE', flow: 'export', total2023: 1.922, growth: 1.435 },
  { partner: 'AZE', flow: 'import', total2023: 1.178, growth: 1.435 },
  { partner: 'GEO', flow: 'export', total2023: 1.62, growth: 1.08 },
  { partner: 'GEO', flow: 'import', total2023: 0.28, growth: 1.08 },
  { partner: 'ARM', flow: 'export', total2023: 0.78, growth: 1.05 },
  { partner: 'ARM', flow: 'import', total2023: 0.72, growth: 1.05 },
  { partner: 'TUR', flow: 'export', total2023: 37.3, growth: 1.1 },
  { partner: 'TUR', flow: 'import', total2023: 6.1, growth: 1.1 },
];

/** China's monthly pattern: the Lunar New Year trough in Jan-Feb, a year-end peak. */
const SEASONAL = [0.85, 0.65, 0.95, 1.0, 1.02, 1.05, 1.05, 1.05, 1.08, 0.98, 1.08, 1.15] as const;
const NOISE_SIGMA = 0.03;
const AZE_IMPORT_GROWTH_JAN_FEB_2024 = 1.6;
/** China-Azerbaijan trade in Jan-Feb 2024, US$ bn, as the alert the project was founded on quotes it. */
const AZE_TRADE_JAN_FEB_2024_BN = 0.52;
const YEARS = [2021, 2022, 2023] as const;
/** Illustrative unit values, US$ per kg, in 2021: what China sells is dearer by weight than the raw materials it buys. */
const UNIT_VALUE_2021: Record<SeriesPlan['flow'], Record<string, number>> = {
  export: { default: 3.2, TUR: 4.1 },
  import: { default: 0.55, KAZ: 0.5, TKM: 0.3, AZE: 0.6, KGZ: 1.8, GEO: 1.2, ARM: 2.4, TUR: 1.5 },
};
const UNIT_VALUE_DRIFT_PER_YEAR = 1.02;
const UNIT_VALUE_NOISE_SIGMA = 0.02;
/** Azerbaijan's Jan-Feb 2024 unit values against Jan-Feb 2023's: exports +15 % (the rest is volume), imports +45 % (oil prices). */
const AZE_UNIT_VALUE_JAN_FEB_2024: Record<SeriesPlan['flow'], number> = { export: 1.15, import: 1.45 };

/** mulberry32: small, fast and deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Monthly weights (seasonal x noise) for 2021-01 .. 2024-02: 38 values. */
function monthlyWeights(plan: SeriesPlan): number[] {
  const random = prng(seedOf(`${plan.partner}/${plan.flow}`));
  // Clipped at two sigma: the demo's ordinary months stay ordinary.
  const noise = () => Math.max(-2, Math.min(2, gaussian(random)));
  return Array.from({ length: 38 }, (_, i) => SEASONAL[i % 12]! * Math.exp(NOISE_SIGMA * noise()));
}

/**
 * Months of 2021-2023 in US$ bn; `janFeb2023Factor` tilts Jan-Feb 2023 within the span its total is
 * calibrated over: the half-year where a first-half figure is published, else the whole year.
 */
function monthsOf(plan: SeriesPlan, weights: readonly number[], janFeb2023Factor: number): number[] {
  const spans =
    plan.firstHalf2023 === undefined
      ? [{ start: 0, total: plan.total2023 }]
      : [
          { start: 0, total: plan.firstHalf2023 },
          { start: 6, total: plan.total2023 - plan.firstHalf2023 },
        ];
  const length = 12 / spans.length;
  const values: number[] = [];
  for (const year of YEARS) {
    const scale = plan.growth ** (year - 2023);
    for (const span of spans) {
      const offset = (year - 2021) * 12 + span.start;
      const w = weights
        .slice(offset, offset + length)
        .map((x, m) => (year === 2023 && span.start === 0 && m < 2 ? x * janFeb2023Factor : x));
      const sum = w.reduce((a, b) => a + b, 0);
      values.push(...w.map((x) => (span.total * scale * x) / sum));
    }
  }
  return values;
}

const janFeb = (values: readonly number[], year: number) => values[(year - 2021) * 12]! + values[(year - 2021) * 12 + 1]!;

/** Bisection for an increasing function: the x in [lo, hi] where f(x) = target. */
function solveIncreasing(f: (x: number) => number, target: number, lo = 0.2, hi = 2): number {
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Jan-Feb of `year` summed over `plans`, with Jan-Feb 2023 tilted by `factor`. */
function janFebTotal(plans: readonly SeriesPlan[], weights: ReadonlyMap<SeriesPlan, number[]>, factor: number, year: number): number {
  return plans.reduce((sum, plan) => sum + janFeb(monthsOf(plan, weights.get(plan)!, factor), year), 0);
}

/**
 * The published partner growth rates and the published Central Asia 2022 total disagree by
 * rounding (2023 / growth sums to US$69.9bn, not 70.2): the four partners other than Kazakhstan
 * (whose 2022 is published) share the difference, so 2023 on 2022 comes out at the published +27 %.
 */
function calibratedPlans(): SeriesPlan[] {
  const others = PUBLISHED_PLANS.filter((p) => CENTRAL_ASIA.has(p.partner) && p.partner !== 'KAZ');
  const derived2022 = others.reduce((sum, p) => sum + p.total2023 / p.growth, 0);
  const lift = (CENTRAL_ASIA_TRADE_2022_BN - KAZ_TRADE_2022_BN) / derived2022;
  return PUBLISHED_PLANS.map((p) => (others.includes(p) ? { ...p, growth: p.growth / lift } : p));
}

/**
 * Illustrative net weights, kg, month by month: the values divided by a unit value that drifts
 * slowly with small noise; for Azerbaijan in Jan-Feb 2024, one set against Jan-Feb 2023's.
 */
function illustrativeNetWeights(plan: SeriesPlan, values: readonly number[]): number[] {
  const random = prng(seedOf(`${plan.partner}/${plan.flow}/unit-value`));
  const noise = () => Math.max(-2, Math.min(2, gaussian(random)));
  const table = UNIT_VALUE_2021[plan.flow];
  const base = table[plan.partner] ?? table.default!;
  const unitValues = values.map((_, i) => base * UNIT_VALUE_DRIFT_PER_YEAR ** (i / 12) * Math.exp(UNIT_VALUE_NOISE_SIGMA * noise()));
  if (plan.partner === 'AZE') {
    const [jan23, feb23] = [values[24]! / unitValues[24]!, values[25]! / unitValues[25]!];
    const unitValue23 = (values[24]! + values[25]!) / (jan23 + feb23);
    unitValues[36] = unitValues[37] = unitValue23 * AZE_UNIT_VALUE_JAN_FEB_2024[plan.flow];
  }
  return values.map((value, i) => Math.round(value / unitValues[i]!));
}

export function generateDemoDataSet(): DemoDataSet {
  const plans = calibratedPlans();
  const weights = new Map(plans.map((plan) => [plan, monthlyWeights(plan)]));
  const find = (partner: string, flow: 'export' | 'import') => plans.find((p) => p.partner === partner && p.flow === flow)!;
  const centralAsia = plans.filter((p) => CENTRAL_ASIA.has(p.partner));
  const azerbaijan = [find('AZE', 'export'), find('AZE', 'import')];
  // Jan-Feb 2023 is tilted within its half-year for two published facts: Central Asia's +22 % on
  // Jan-Feb 2022, and Azerbaijan's Jan-Feb 2024 of US$0.52bn being +83 % on it.
  const centralAsiaFactor = solveIncreasing(
    (f) => janFebTotal(centralAsia, weights, f, 2023) / janFebTotal(centralAsia, weights, f, 2022) - 1,
    PUBLISHED_GROWTH.centralAsiaJanFeb2023,
  );
  const azerbaijanFactor = solveIncreasing(
    (f) => janFebTotal(azerbaijan, weights, f, 2023),
    AZE_TRADE_JAN_FEB_2024_BN / (1 + PUBLISHED_GROWTH.azerbaijanJanFeb2024),
  );
  const tilt = (plan: SeriesPlan) =>
    CENTRAL_ASIA.has(plan.partner) ? centralAsiaFactor : plan.partner === 'AZE' ? azerbaijanFactor : 1;
  const history = new Map(plans.map((plan) => [plan, monthsOf(plan, weights.get(plan)!, tilt(plan))]));
  const jf23 = (plan: SeriesPlan) => janFeb(history.get(plan)!, 2023);

  // Jan-Feb 2024 growth factors: the series' usual growth, with two calibrated exceptions.
  const growth2024 = new Map(plans.map((plan) => [plan, plan.growth]));
  const azeExport = find('AZE', 'export');
  const azeImport = find('AZE', 'import');
  growth2024.set(azeImport, AZE_IMPORT_GROWTH_JAN_FEB_2024);
  growth2024.set(
    azeExport,
    ((1 + PUBLISHED_GROWTH.azerbaijanJanFeb2024) * (jf23(azeExport) + jf23(azeImport)) -
      AZE_IMPORT_GROWTH_JAN_FEB_2024 * jf23(azeImport)) /
      jf23(azeExport),
  );
  // The other export series share one small common lift that brings exports to the nine partners
  // to their published +31 %: each still moves close to its own usual growth.
  const exportPlans = plans.filter((p) => p.flow === 'export');
  const lifted = exportPlans.filter((p) => p.partner !== 'AZE');
  const exportsJf23 = exportPlans.reduce((sum, p) => sum + jf23(p), 0);
  const liftedJf24 = lifted.reduce((sum, p) => sum + jf23(p) * p.growth, 0);
  const fixedJf24 = jf23(azeExport) * growth2024.get(azeExport)!;
  const lift = ((1 + PUBLISHED_GROWTH.arcExportsJanFeb2024) * exportsJf23 - fixedJf24) / liftedJf24;
  for (const plan of lifted) growth2024.set(plan, plan.growth * lift);

  const series = plans.map((plan) => {
    const months = history.get(plan)!;
    const w = weights.get(plan)!;
    const total = jf23(plan) * growth2024.get(plan)!;
    const jan = (total * w[36]!) / (w[36]! + w[37]!);
    const values = [...months, jan, total - jan].map((bn) => Math.round(bn * 1e9));
    return { partner: plan.partner, flow: plan.flow, values, netWeightsKg: illustrativeNetWeights(plan, values) };
  });
  return {
    illustrative: true,
    description:
      'ILLUSTRATIVE monthly data, not real figures: China (reporter) trade with nine partners, generated by ' +
      'shared/demo/generate-demo-data.ts and calibrated to published China-customs annual and half-year totals, ' +
      'with China-Azerbaijan trade +83 % y/y in Jan-Feb 2024. Net weights (netWeightsKg) are illustrative too: ' +
      'plausible unit values, not published weights. The HS6 series (commoditySeries: integrated circuits, CHPL tier 1) ' +
      'are illustrative as well, not China-customs figures.',
    reporter: 'CHN',
    currency: 'USD',
    from: '2021-01',
    to: '2024-02',
    series,
    partnerReports: [
      {
        reporter: DEMO_MIRROR.reporter,
        partner: DEMO_MIRROR.partner,
        flow: DEMO_MIRROR.flow,
        values: kyrgyzImportsFromChina(series.find((s) => s.partner === DEMO_MIRROR.reporter && s.flow === DEMO_MIRROR.chinaFlow)!.values, '2021-01', '2024-02'),
      },
    ],
    commoditySeries: demoHs6Series('2021-01', '2024-02'),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dataSet = generateDemoDataSet();
  const lines = JSON.stringify(dataSet, null, 1).replace(/\n\s+(\d+),?/g, (m) => m.replace(/\n\s+/, ' '));
  process.stdout.write(`${lines}\n`);
}
