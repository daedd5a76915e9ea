import * as z from '../../zod.js';
import { littleBeforeMuchAfterSchema } from './little-before-much-after.js';
import { cifFobMarginSchema, DEFAULT_CIF_FOB_MARGIN } from '../mirror.js';

const severityShape = {
  strongZ: z.number().check(z.positive()),
  largeChangePerMonth: z.number().check(z.nonnegative()),
  hugeChangePerMonth: z.number().check(z.nonnegative()),
  largeShareOfTotal: z.number().check(z.minimum(0), z.maximum(1)),
  largeGrowth: z.number().check(z.positive()),
  warningScore: z.number().check(z.int(), z.positive()),
  criticalScore: z.number().check(z.int(), z.positive()),
};

const shape = {
  /** |robust z| at or above which a y/y growth is unusual for the series. */
  zThreshold: z.number().check(z.positive()),
  /**
   * The surprise below which nothing is flagged, however unusual: the y/y growth against the growth
   * the series' history predicts (0.25 = 25 % above it, or 20 % below: symmetric in log terms).
   * Never a floor on the raw change: a series growing +23 %/yr that turns to -5 % has moved 23 %.
   */
  growthFloor: z.number().check(z.nonnegative()),
  /**
   * Gate: minimum comparison value per month in the bucket, where a percentage on a smaller base
   * misleads; waived when the money moved per month is itself at least this much.
   */
  minBasePerMonth: z.number().check(z.nonnegative()),
  /** Gate: minimum share of the reporter's total (partner World, same flow), where that total is known. */
  minShareOfTotal: z.number().check(z.minimum(0), z.maximum(1)),
  /** Gate: minimum |absolute change| per month in the bucket. */
  minAbsoluteChangePerMonth: z.number().check(z.nonnegative()),
  /**
   * Months of y/y history for a series' spread to be wholly its own; with less, its own spread is
   * blended with the spread pooled from peers (or, without peers, the prior), weighted by months.
   */
  minHistoryMonths: z.number().check(z.int(), z.minimum(3)),
  /** Months of y/y history below which a bucket is not scored at all (the centre needs some history). */
  minOwnHistoryMonths: z.number().check(z.int(), z.minimum(3)),
  /**
   * The spread of log y/y growth assumed where neither the series nor its peers have history enough,
   * for a series of priorSpreadLevel a month; smaller flows are lumpier, so it scales with
   * (level / priorSpreadLevel) ^ -priorSpreadExponent (the level: the comparison value per month).
   */
  priorSpread: z.number().check(z.positive()),
  priorSpreadLevel: z.number().check(z.positive()),
  priorSpreadExponent: z.number().check(z.nonnegative(), z.maximum(1)),
  /** How many earlier comparisons (buckets) form the history: the most recent ones. */
  historyWindow: z.number().check(z.int(), z.minimum(3), z.maximum(120)),
  /** Lower bound of the spread (1.4826 x MAD of log growth), so a very regular series cannot turn a wobble into a huge z. */
  minSpread: z.number().check(z.nonnegative()),
  /** Consecutive buckets beyond bounds, in one direction, that make a level shift (LS). */
  levelShiftRun: z.number().check(z.int(), z.minimum(2)),
  /**
   * A sustained shift: over the last 2..sustainedWindow buckets, the sum of z (each capped at
   * zThreshold) / sqrt(buckets) at or above sustainedZ, the latest bucket at least 1 in the same
   * direction. Catches breaks on noisy series whose single months are not beyond bounds.
   */
  sustainedWindow: z.number().check(z.int(), z.minimum(2), z.maximum(12)),
  sustainedZ: z.number().check(z.positive()),
  /** An open event continues while |z| (or its sustained score) stays at or above this, in its direction. */
  continueZ: z.number().check(z.positive()),
  /**
   * A partner-wide move: where the detector is given a partner signal (built over many reporters:
   * a backtest, `tradewatch evaluate`, a live run with the other reporters' series to its
   * partners), a series whose own move is only beyond continueZ (against a
   * year and against two years earlier) is called when, over the last partnerMonths months, at
   * least partnerShare of the other reporters' series to the same partner made such a move the same
   * way, with at least partnerMinSeries of them scored a month (among fewer, a third moving together
   * is chance too often). A month is judged once every peer that reported the month before has
   * reported it, so a live run calls the same whatever order the reporters arrive in.
   */
  partnerShare: z.number().check(z.positive(), z.maximum(1)),
  partnerMonths: z.number().check(z.int(), z.minimum(1), z.maximum(12)),
  partnerMinSeries: z.number().check(z.int(), z.minimum(1)),
  /** Two-sided CUSUM on z: slack k and decision threshold h; |CUSUM| >= h over 2+ buckets beyond bounds is a level shift too. */
  cusumSlack: z.number().check(z.nonnegative()),
  cusumThreshold: z.number().check(z.positive()),
  /**
   * |z| falling to below this fraction of the previous bucket's, and back under zThreshold, marks a
   * temporary change (TC) that decays; a bucket still beyond zThreshold the same way is sustained.
   */
  decayRatio: z.number().check(z.positive(), z.maximum(1)),
  /** A comparison value under this many minimum bases earns a "small base" caveat. */
  smallBaseCaveatFactor: z.number().check(z.minimum(1)),
  /** Reporters that publish January and February as one release: compared as one bucket. */
  janFebCombinedReporters: z.array(z.string()),
  /** Off unless set: flag a partner that took little before a date and much after (see little-before-much-after.ts). */
  littleBeforeMuchAfter: z.optional(littleBeforeMuchAfterSchema),
  /**
   * Mirror series: the CIF/FOB margin a partner's figure is brought to the reporter's valuation by
   * (imports CIF / (1 + margin) against exports FOB); see DEFAULT_CIF_FOB_MARGIN in domain/mirror.ts.
   */
  cifFobMargin: cifFobMarginSchema,
};

const fullSchema = z.object({ ...shape, severity: z.object(severityShape) });
/** Detection settings, every one of them. Amounts are in the series' currency. */
export type DetectionConfig = z.infer<typeof fullSchema>;

/** Defaults suited to monthly customs data. */
export const defaultDetectionConfig: DetectionConfig = fullSchema.parse({
  zThreshold: 3.5,
  growthFloor: 0.25,
  minBasePerMonth: 500_000,
  minShareOfTotal: 0.0005,
  minAbsoluteChangePerMonth: 250_000,
  minHistoryMonths: 24,
  minOwnHistoryMonths: 3,
  priorSpread: 0.5,
  priorSpreadLevel: 5_000_000,
  priorSpreadExponent: 0.25,
  historyWindow: 36,
  minSpread: 0.02,
  levelShiftRun: 2,
  sustainedWindow: 6,
  sustainedZ: 3.2,
  continueZ: 1.5,
  partnerShare: 1 / 3,
  partnerMonths: 2,
  partnerMinSeries: 8,
  cusumSlack: 0.5,
  cusumThreshold: 8,
  decayRatio: 0.7,
  smallBaseCaveatFactor: 3,
  janFebCombinedReporters: ['CHN'],
  cifFobMargin: DEFAULT_CIF_FOB_MARGIN,
  severity: {
    strongZ: 5,
    largeChangePerMonth: 50_000_000,
    hugeChangePerMonth: 500_000_000,
    largeShareOfTotal: 0.01,
    largeGrowth: 0.75,
    warningScore: 2,
    criticalScore: 4,
  },
});

/** Some settings, to lay over others (a watchlist entry's, the environment's, a deploy's). */
export const detectionOverridesSchema = z.strictObject({
  ...z.partial(z.object(shape)).shape,
  severity: z.optional(z.partial(z.object(severityShape))),
});
export type DetectionOverrides = z.infer<typeof detectionOverridesSchema>;

/** The prior spread for a series whose comparison value is `levelPerMonth` a month. */
export function priorSpreadAt(levelPerMonth: number, config: DetectionConfig): number {
  if (!(levelPerMonth > 0)) return config.priorSpread;
  return config.priorSpread * (levelPerMonth / config.priorSpreadLevel) ** -config.priorSpreadExponent;
}

/** Detection settings per reporter (a watchlist entry may override the global ones for its reporter). */
export type DetectionFor = (reporter: string) => DetectionConfig;

export function withOverrides(base: DetectionConfig, overrides: DetectionOverrides = {}): DetectionConfig {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...base, ...defined, severity: { ...base.severity, ...overrides.severity } };
}

/** Overrides validated and laid over the defaults. */
export const detectionConfigSchema = z.pipe(
  detectionOverridesSchema,
  z.transform((overrides) => withOverrides(defaultDetectionConfig, overrides)),
);
