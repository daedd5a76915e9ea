import type { MirrorExplanation } from '../mirror.js';
import type { SeriesKey } from '../series.js';
import type { Severity } from '../severity.js';
import type { PatternWindows } from './little-before-much-after.js';
import type { VolumePriceSplit } from './volume-price.js';

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
/** A move a few months long whose months are each only moderately unusual, but together are not chance. */
export const RULE_SUSTAINED = 'sustained-shift';

/** A move many reporters' series to the same partner made in the same month; the series' own part of it is only beyond the continuation bound. */
export const RULE_PARTNER_WIDE = 'partner-wide';

/** Where the spread a bucket was scored against came from. */
export type SpreadSource = 'own' | 'pooled' | 'prior';

/**
 * The month compared with was itself anomalous (a trough a year earlier makes any recovery look
 * like a jump): the same month two years earlier, as a second comparison.
 */
export interface BaseEffect {
  /** e.g. `Apr 2020`: the year-earlier bucket, itself beyond bounds. */
  readonly basePeriod: string;
  /** z of the base's own y/y move by today's centre and spread (opposite in sign to this one's). */
  readonly baseZ: number;
  /** e.g. `Apr 2019`. */
  readonly twoYearLabel: string;
  readonly twoYearValue: number;
  /** Fraction, against two years earlier. */
  readonly twoYearChange: number;
  /** Robust z of the two-year move against twice the series' typical y/y growth. */
  readonly twoYearZ: number;
  /** Against two years earlier the move is within bounds: the base alone makes it look unusual. */
  readonly onlyBase: boolean;
}

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
  /**
   * The spread scored against: the series' own (at least minHistoryMonths of y/y history), pooled
   * from peers of the same reporter and flow, or the default prior (`priorSpread`) when neither exists.
   */
  readonly spreadSource: SpreadSource;
  readonly spread: number;
  /** How far the y/y growth is from the typical one, as a fraction: what is scored, not the raw change. */
  readonly surprise: number;
  /** Set when the comparison month was itself anomalous; severity then never rests on the base alone. */
  readonly baseEffect?: BaseEffect;
  /** The rule that fired (the dedup key's rule). */
  readonly rule: string;
  /** Every rule that supports the anomaly, the headline rule first. */
  readonly rules: readonly string[];
  readonly type: AnomalyType;
  /**
   * Set on an event opened by a partner-wide move: of the other reporters' series to the same
   * partner scored in that month, how many moved the same way (beyond their own bounds).
   */
  readonly partnerMove?: { readonly moving: number; readonly scored: number };
  /** Set on a finding of the little-before-much-after rule: both windows' totals, what it was judged on. */
  readonly littleBeforeMuchAfter?: PatternWindows;
  /** Share of the reporter's total in this flow, where known. */
  readonly shareOfTotal?: number;
  /** Year-to-date cumulative comparison, the way customs press releases report. */
  readonly yearToDate?: YearToDate;
  /** The change split into volume and unit value, where weights (or quantities) behind both buckets are stored. */
  readonly volumePrice?: VolumePriceSplit;
  /**
   * The split as the alert first explained it, where a later revision (of a weight alone, say)
   * changed it since: the stored alert shows the current split and says what it was; nothing is re-sent for it.
   */
  readonly volumePriceAsSent?: VolumePriceSplit | null;
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
  /**
   * Series x event start x rule: every bucket of one event (a level shift over ten months, say)
   * carries the same key, so the alert store keeps ONE record per event and revises it month by
   * month (re-notifying when severity or direction changes) instead of alerting every month.
   * For a one-bucket event this is series x bucket x rule.
   */
  readonly dedupKey: string;
  /** The event's identity (equal to dedupKey). */
  readonly eventKey: string;
  /** First bucket of the event, e.g. `2022-03`. */
  readonly eventStart: string;
  /** Buckets of the event so far, this one included (the `ended` bucket included). */
  readonly eventBuckets: number;
  /**
   * Where the event stands at this bucket: `new` (its first bucket), `deepening` (|z| clearly past
   * its earlier peak), `continuing`, `easing` (|z| well below the peak or under the threshold but
   * still beyond the continuation bound), `ended` (y/y back within the usual range for two buckets;
   * sent only for events of two buckets or more, with severity info).
   */
  readonly phase: EventPhase;
  /**
   * Set on an anomaly of a mirror series (`...~mirror`): its values are the ratio of the partner's
   * figure to the reporter's, and this holds both sides' figures for the text.
   */
  readonly mirror?: MirrorExplanation;
}

export type EventPhase = 'new' | 'deepening' | 'continuing' | 'easing' | 'ended';

export type Gate = 'history' | 'base' | 'share' | 'change' | 'floor' | 'direction';

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
