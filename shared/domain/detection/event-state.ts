import type { AnomalyType, EventPhase } from './anomaly.js';
import type { DetectionConfig } from './config.js';
import type { PartnerMove } from './partner-signal.js';

/** An event open on a series: the buckets since it was first alerted, followed as one. */
export interface OpenEvent {
  readonly sign: 1 | -1;
  /** The dedup key every bucket of the event carries. */
  readonly key: string;
  /** Bucket key of its first bucket. */
  readonly start: string;
  /** The rule that opened it. */
  readonly rule: string;
  buckets: number;
  peakAbsZ: number;
  type: AnomalyType;
  /** Consecutive buckets back within the continuation bound. */
  quiet: number;
  /** It opened on a base effect: its later buckets name the base too. */
  readonly onBase: boolean;
  /** It opened on a partner-wide move: the other reporters' series that moved with it. */
  readonly partnerMove?: PartnerMove;
}

/** Buckets back within bounds that end an event (one is forgiven: noisy series dip). */
export const QUIET_BUCKETS_TO_END = 2;

/**
 * A bucket that decays from the one before: |z| under decayRatio of the previous bucket's AND back
 * under the alert bar (zThreshold). A bucket still beyond the bar in the same direction has not
 * decayed, however far it eased (-73 % then -48 % y/y, z 6.9 then 3.5, is a sustained break): the
 * move is still one the series would alert on by itself.
 */
export function decays(zb: number, zPrevious: number, config: DetectionConfig): boolean {
  return Math.abs(zb) < config.zThreshold && Math.abs(zb) < config.decayRatio * Math.abs(zPrevious);
}

/**
 * An event's type at a later bucket. A level shift stays one while the event lasts (its z easing
 * from 13.6 to 9.4 in month three does not make it temporary); a bucket that decays from the one
 * before (see `decays`) makes an AO a temporary change; anything else that persists levelShiftRun
 * buckets is a level shift. Call it once the bucket is counted in `event.buckets`.
 */
export function typeInEvent(event: OpenEvent, zb: number, zPrevious: number, config: DetectionConfig): AnomalyType {
  if (event.type === 'LS') return 'LS';
  if (decays(zb, zPrevious, config)) return 'TC';
  return event.buckets >= config.levelShiftRun ? 'LS' : event.type;
}

/** The type of a new event's first bucket. */
export function openingType(sustained: boolean, zb: number, zPrevious: number, config: DetectionConfig): AnomalyType {
  if (sustained) return 'LS';
  // Already beyond the continuation bound the bucket before: the break began then, at a lower pitch.
  if (Math.sign(zPrevious) === Math.sign(zb) && Math.abs(zPrevious) >= config.continueZ) {
    return decays(zb, zPrevious, config) ? 'TC' : 'LS';
  }
  return 'AO';
}

/** Where an open event stands at a bucket that continues it; updates its peak. */
export function phaseOf(event: OpenEvent, zb: number, config: DetectionConfig): EventPhase {
  const a = Math.abs(zb);
  if (a >= event.peakAbsZ + 1) {
    event.peakAbsZ = a;
    return 'deepening';
  }
  event.peakAbsZ = Math.max(event.peakAbsZ, a);
  if (event.sign * zb < config.zThreshold || a < config.decayRatio * event.peakAbsZ) return 'easing';
  return 'continuing';
}

/** 1 / sqrt(k) for every run length sustainedWindow allows (at most 12). */
const INVERSE_ROOT = Float64Array.from({ length: 13 }, (_, k) => (k > 0 ? 1 / Math.sqrt(k) : 0));

export interface Sustained {
  /** Sum of capped z over the buckets, / sqrt(buckets). */
  score: number;
  buckets: number;
}

/**
 * The strongest run of evidence ending at `b` in direction `sign`: over the last 2..sustainedWindow
 * buckets, sum of z (each capped at zThreshold, so one spike cannot carry it) / sqrt(buckets).
 * Only buckets after `after` count: those of an earlier event are not evidence of a new one.
 * Written into `out` (the hot path allocates nothing); returns its score.
 */
export function sustainedScore(z: Float64Array, b: number, sign: number, config: DetectionConfig, after = -1, out: Sustained = { score: 0, buckets: 0 }): number {
  let sum = 0;
  let best = -Infinity;
  let buckets = 0;
  const lowest = Math.max(after + 1, b - config.sustainedWindow + 1);
  for (let i = b; i >= lowest; i--) {
    const zi = z[i]!;
    if (Number.isNaN(zi)) break;
    sum += Math.min(sign * zi, config.zThreshold);
    const k = b - i + 1;
    if (k >= 2) {
      const score = sum * INVERSE_ROOT[k]!;
      if (score > best) {
        best = score;
        buckets = k;
      }
    }
  }
  out.score = best;
  out.buckets = buckets;
  return best;
}
