import type { LittleBeforeMuchAfter } from '../domain/detection/index.js';
import { parsePeriod, periodRange } from '../domain/period.js';

/**
 * The demo's HS6 series (ILLUSTRATIVE, not China-customs figures): China's exports of two tier-1
 * CHPL codes, integrated circuits (854231 processors and controllers, 854232 memories), to
 * Kyrgyzstan and Kazakhstan. Two take little in the year before March 2022 and much after (the
 * pattern the authorities flag for diversion); the third, Kazakhstan's processors, is a steady
 * trade the rule leaves alone. After the step each grows smoothly, so detection's own y/y scoring
 * finds nothing ordinary to alert in them: `npm start` reports the two as one digest.
 */
export const DEMO_HS6 = {
  reporter: 'CHN',
  flow: 'export',
  partners: ['KGZ', 'KAZ'],
  commodities: ['854231', '854232'],
} as const;

/** The rule as the demo switches it on for China, with its defaults: base Mar 2021-Feb 2022, after at least 5x. */
export const DEMO_HS6_RULE: LittleBeforeMuchAfter = { date: '2022-03', baseMonths: 12, ratio: 5, minAfterMonths: 3, minPerMonth: 100_000 };

interface Hs6Plan {
  readonly partner: (typeof DEMO_HS6.partners)[number];
  readonly commodity: (typeof DEMO_HS6.commodities)[number];
  /** US$ a month before March 2022. */
  readonly before: number;
  /** US$ a month once the step is complete (by June 2022), growing `growth` a year after. */
  readonly after: number;
}

const PLANS: readonly Hs6Plan[] = [
  { partner: 'KGZ', commodity: '854231', before: 22_000, after: 1_300_000 },
  { partner: 'KGZ', commodity: '854232', before: 6_000, after: 650_000 },
  { partner: 'KAZ', commodity: '854231', before: 1_900_000, after: 2_300_000 },
];
const STEP_FROM = '2022-03';
const STEP_MONTHS = 4;
const GROWTH_PER_YEAR = 1.08;
/** China's monthly pattern, as the totals': the Lunar New Year trough in Jan-Feb, a year-end peak. */
const SEASONAL = [0.85, 0.65, 0.95, 1.0, 1.02, 1.05, 1.05, 1.05, 1.08, 0.98, 1.08, 1.15] as const;

export interface Hs6Series {
  readonly partner: string;
  readonly flow: 'export';
  readonly commodity: string;
  readonly values: number[];
}

/** The three series, whole US dollars, one value a month from `from` to `to`. */
export function demoHs6Series(from: string, to: string): Hs6Series[] {
  const periods = periodRange(from, to);
  const stepIndex = periods.indexOf(STEP_FROM);
  return PLANS.map((plan, p) => ({
    partner: plan.partner,
    flow: DEMO_HS6.flow,
    commodity: plan.commodity,
    values: periods.map((period, i) => {
      const months = i - stepIndex;
      const share = months < 0 ? 0 : Math.min(1, (months + 1) / STEP_MONTHS);
      const level = (plan.before + share * (plan.after - plan.before)) * GROWTH_PER_YEAR ** (Math.max(0, months) / 12);
      // Deterministic noise of about 3 %: shipments of chips come in lots.
      const noise = 1 + 0.03 * Math.sin(i * 1.9 + p * 2.1);
      return Math.round(level * SEASONAL[parsePeriod(period).month - 1]! * noise);
    }),
  }));
}

