import * as z from 'zod';
import { robustScale, robustZ } from './robust.js';
import { seriesId, type SeriesKey } from './series.js';
import { growthFromLog, yearOnYear, type YearOnYear } from './year-on-year.js';
import type { Observation } from './series.js';

export const detectionConfigSchema = z.object({
  /** |robust z| at or above which a y/y growth is unusual for the series. */
  zThreshold: z.number().positive().default(3.5),
  /** |y/y growth| below which nothing is flagged, however unusual (0.25 = 25 %). */
  growthFloor: z.number().nonnegative().default(0.25),
  /** Minimum comparison value per month in the bucket, in the series' currency. */
  minBasePerMonth: z.number().nonnegative().default(5_000_000),
  /** Fewest earlier y/y comparisons needed to score one. */
  minHistory: z.number().int().min(3).default(12),
  /** How many earlier y/y comparisons form the history (the most recent ones). */
  historyWindow: z.number().int().min(3).default(36),
  /**
   * Lower bound of the spread (1.4826 * MAD of log growth). Keeps a series with unusually
   * regular growth from turning a modest wobble into a huge z.
   */
  minSpread: z.number().nonnegative().default(0.02),
  /** |z| at or above which an anomaly is critical. */
  criticalZ: z.number().positive().default(5),
  /** |y/y growth| at or above which an anomaly is critical. */
  criticalGrowth: z.number().positive().default(0.75),
  /** Reporters that publish January and February as one release (compared as one bucket). */
  janFebCombinedReporters: z.array(z.string()).default(['CHN']),
});
export type DetectionConfig = z.infer<typeof detectionConfigSchema>;
export const defaultDetectionConfig: DetectionConfig = detectionConfigSchema.parse({});

export type Severity = 'info' | 'warning' | 'critical';
export const RULE_YOY_ROBUST_Z = 'yoy-robust-z';

/** Everything a person needs to trust (or dismiss) an anomaly, in numbers. */
export interface Explanation {
  readonly value: number;
  readonly comparisonValue: number;
  readonly comparisonLabel: string;
  /** Fraction: 0.83 for +83 %. */
  readonly change: number;
  readonly absoluteChange: number;
  /** Where the value was expected to fall, in levels, given the series' own history. */
  readonly expectedRange: readonly [number, number];
  readonly z: number;
  readonly historyLength: number;
  /** Typical y/y growth of the series (median of the history), as a fraction. */
  readonly typicalChange: number;
  readonly rule: string;
  readonly caveats: readonly string[];
}

export interface Anomaly {
  readonly series: SeriesKey;
  readonly seriesId: string;
  /** e.g. `2024-01..02` */
  readonly bucketKey: string;
  /** e.g. `Jan-Feb 2024` */
  readonly bucketLabel: string;
  /** The last month of the bucket: the release that revealed it. */
  readonly period: string;
  readonly direction: 'up' | 'down';
  readonly severity: Severity;
  readonly explanation: Explanation;
  /** Series x bucket x rule: an event is alerted once under this key. */
  readonly dedupKey: string;
}

export interface DetectionInput {
  readonly series: SeriesKey;
  readonly observations: readonly Observation[];
  /** Only buckets ending at or after this month are scored (older ones still form the history). */
  readonly evaluateFrom?: string;
}

export interface DetectionResult {
  readonly anomalies: Anomaly[];
  /** Buckets scored (had enough history and a base). */
  readonly evaluated: number;
}

export function mergesJanFeb(series: SeriesKey, config: DetectionConfig): boolean {
  return config.janFebCombinedReporters.includes(series.reporter);
}

export function detectAnomalies(input: DetectionInput, config: DetectionConfig = defaultDetectionConfig): DetectionResult {
  const mergeJanFeb = mergesJanFeb(input.series, config);
  const comparisons = yearOnYear(input.observations, mergeJanFeb);
  const anomalies: Anomaly[] = [];
  let evaluated = 0;
  comparisons.forEach((current, index) => {
    const period = current.bucket.months.at(-1)!;
    if (input.evaluateFrom !== undefined && period < input.evaluateFrom) return;
    const history = comparisons.slice(Math.max(0, index - config.historyWindow), index);
    if (history.length < config.minHistory) return;
    if (current.previousValue < config.minBasePerMonth * current.bucket.months.length) return;
    evaluated++;
    const anomaly = scoreAgainstHistory(input.series, current, history, mergeJanFeb, config);
    if (anomaly) anomalies.push(anomaly);
  });
  return { anomalies, evaluated };
}

function scoreAgainstHistory(
  series: SeriesKey,
  current: YearOnYear,
  history: readonly YearOnYear[],
  mergeJanFeb: boolean,
  config: DetectionConfig,
): Anomaly | undefined {
  const scale = robustScale(
    history.map((h) => h.logGrowth),
    config.minSpread,
  );
  const z = robustZ(current.logGrowth, scale);
  const change = growthFromLog(current.logGrowth);
  if (Math.abs(z) < config.zThreshold || Math.abs(change) < config.growthFloor) return undefined;

  const band = config.zThreshold * scale.spread;
  const expectedRange: [number, number] = [
    current.previousValue * Math.exp(scale.centre - band),
    current.previousValue * Math.exp(scale.centre + band),
  ];
  const caveats: string[] = [];
  if (mergeJanFeb && current.bucket.months.length === 2) {
    caveats.push('January and February are compared together (combined release, Lunar New Year)');
  }
  const severity: Severity =
    Math.abs(z) >= config.criticalZ || Math.abs(change) >= config.criticalGrowth ? 'critical' : 'warning';
  const id = seriesId(series);
  const previousYear = current.bucket.year - 1;
  return {
    series,
    seriesId: id,
    bucketKey: current.bucket.key,
    bucketLabel: current.bucket.label,
    period: current.bucket.months.at(-1)!,
    direction: change >= 0 ? 'up' : 'down',
    severity,
    dedupKey: `${id}#${current.bucket.key}#${RULE_YOY_ROBUST_Z}`,
    explanation: {
      value: current.value,
      comparisonValue: current.previousValue,
      comparisonLabel: current.bucket.label.replace(String(current.bucket.year), String(previousYear)),
      change,
      absoluteChange: current.value - current.previousValue,
      expectedRange,
      z,
      historyLength: history.length,
      typicalChange: growthFromLog(scale.centre),
      rule: RULE_YOY_ROBUST_Z,
      caveats,
    },
  };
}
