import * as z from 'zod';

/** Detection settings, with defaults suited to monthly customs data. Amounts are in the series' currency. */
export const detectionConfigSchema = z.object({
  /** |robust z| at or above which a y/y growth is unusual for the series. */
  zThreshold: z.number().positive().default(3.5),
  /** |y/y growth| below which nothing is flagged, however unusual (0.25 = 25 %). */
  growthFloor: z.number().nonnegative().default(0.25),
  /** Gate: minimum comparison value per month in the bucket. */
  minBasePerMonth: z.number().nonnegative().default(5_000_000),
  /** Gate: minimum share of the reporter's total (partner World, same flow), where that total is known. */
  minShareOfTotal: z.number().min(0).max(1).default(0.0005),
  /** Gate: minimum |absolute change| per month in the bucket. */
  minAbsoluteChangePerMonth: z.number().nonnegative().default(2_000_000),
  /** Months of y/y history needed for a series' own spread; with less, the spread is pooled from peers. */
  minHistoryMonths: z.number().int().min(3).default(24),
  /** Months of y/y history below which a bucket is not scored at all (the centre needs some history). */
  minOwnHistoryMonths: z.number().int().min(1).default(12),
  /** How many earlier comparisons (buckets) form the history: the most recent ones. */
  historyWindow: z.number().int().min(3).max(120).default(36),
  /** Lower bound of the spread (1.4826 x MAD of log growth), so a very regular series cannot turn a wobble into a huge z. */
  minSpread: z.number().nonnegative().default(0.02),
  /** Consecutive buckets beyond bounds, in one direction, that make a level shift (LS). */
  levelShiftRun: z.number().int().min(2).default(3),
  /** Two-sided CUSUM on z: slack k and decision threshold h; |CUSUM| >= h over 2+ buckets beyond bounds is a level shift too. */
  cusumSlack: z.number().nonnegative().default(0.5),
  cusumThreshold: z.number().positive().default(8),
  /** |z| falling to below this fraction of the previous bucket's marks a temporary change (TC) that decays. */
  decayRatio: z.number().positive().max(1).default(0.7),
  /** A comparison value under this many minimum bases earns a "small base" caveat. */
  smallBaseCaveatFactor: z.number().min(1).default(3),
  severity: z
    .object({
      strongZ: z.number().positive().default(5),
      largeChangePerMonth: z.number().nonnegative().default(50_000_000),
      hugeChangePerMonth: z.number().nonnegative().default(500_000_000),
      largeShareOfTotal: z.number().min(0).max(1).default(0.01),
      largeGrowth: z.number().positive().default(0.75),
      warningScore: z.number().int().positive().default(2),
      criticalScore: z.number().int().positive().default(4),
    })
    .default({
      strongZ: 5,
      largeChangePerMonth: 50_000_000,
      hugeChangePerMonth: 500_000_000,
      largeShareOfTotal: 0.01,
      largeGrowth: 0.75,
      warningScore: 2,
      criticalScore: 4,
    }),
  /** Reporters that publish January and February as one release: compared as one bucket. */
  janFebCombinedReporters: z.array(z.string()).default(['CHN']),
});
export type DetectionConfig = z.infer<typeof detectionConfigSchema>;
export const defaultDetectionConfig: DetectionConfig = detectionConfigSchema.parse({});
