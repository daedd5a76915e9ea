import type { SeriesKey } from '../series.js';
import type { Severity } from '../severity.js';

export type { Severity };

/** X-13ARIMA-SEATS vocabulary: additive outlier, level shift, temporary change. */
export type AnomalyType = 'AO' | 'LS' | 'TC';

export const ANOMALY_TYPE_NAMES: Record<AnomalyType, string> = {
  AO: 'one-month spike (additive outlier, AO)',
  LS: 'persistent level shift (LS)',
  TC: 'temporary change that decays (TC)',
};

export const RULE_YOY_ROBUST_Z = 'yoy-robust-z';
export const RULE_LEVEL_SHIFT_RUN = 'level-shift-run';
export const RULE_CUSUM = 'cusum';

export interface YearToDate {
  /** e.g. `Jan-Mar 2024` */
  readonly label: string;
  readonly value: number;
  readonly comparisonValue: number;
  readonly change: number;
}

/** Everything a person needs to trust (or dismiss) an anomaly, in numbers. */
export interface Explanation {
  readonly value: number;
  readonly comparisonValue: number;
  readonly comparisonLabel: string;
  /** Fraction: 0.83 for +83 %. */
  readonly change: number;
  readonly absoluteChange: number;
  /** Where the value was expected to fall, in levels, given the series' history. */
  readonly expectedRange: readonly [number, number];
  readonly z: number;
  /** Earlier y/y comparisons scored against, and the months they cover. */
  readonly historyLength: number;
  readonly historyMonths: number;
  /** Typical y/y change of the series (median of its history), as a fraction. */
  readonly typicalChange: number;
  /** Whether the spread is the series' own or pooled from peers of the same reporter and flow. */
  readonly spreadSource: 'own' | 'pooled';
  /** The rule that fired (the dedup key's rule). */
  readonly rule: string;
  /** Every rule that supports the anomaly, the headline rule first. */
  readonly rules: readonly string[];
  readonly type: AnomalyType;
  /** Share of the reporter's total in this flow, where known. */
  readonly shareOfTotal?: number;
  /** Year-to-date cumulative comparison, the way customs press releases report. */
  readonly yearToDate?: YearToDate;
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
  readonly type: AnomalyType;
  readonly severity: Severity;
  readonly explanation: Explanation;
  /** Series x bucket x rule: an event is alerted once under this key. */
  readonly dedupKey: string;
}

export type Gate = 'history' | 'base' | 'share' | 'change';

/** A bucket that looked anomalous but a gate held back, with the reason. */
export interface HeldBack {
  readonly seriesId: string;
  readonly bucketKey: string;
  readonly bucketLabel: string;
  readonly gate: Gate;
  readonly reason: string;
  readonly change: number;
  /** NaN when there was not enough history to score it. */
  readonly z: number;
}

export interface DetectionResult {
  readonly anomalies: Anomaly[];
  readonly heldBack: HeldBack[];
  /** Buckets scored. */
  readonly evaluated: number;
}
