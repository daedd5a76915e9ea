import { groupBy } from '../group-by.js';
import { seriesId, type SeriesKey } from '../series.js';
import type { DetectionConfig, DetectionFor } from './config.js';
import type { SeriesInput } from './detect.js';
import { scoreInput } from './prepare.js';
import { RollingRobust } from './rolling-robust.js';
import { bucketStartingAt, type ScoredSeries } from './scored-series.js';
import { Slab } from './slab.js';

/**
 * What every reporter's series to one partner did, month by month: how many were scored, and how
 * many made a real move up or down (see `moveAt`). Built over many reporters at once (a backtest,
 * `tradewatch evaluate`, a live run with its partners' other reporters loaded: see
 * shared/detect/partner-peers.ts) and handed to `detectAcross`, which scores one reporter at a time: when many
 * of a series' cross-reporter peers move the same way in the same month, the series' own evidence
 * needs less to be called (`partnerShare`).
 */
export interface PartnerSignal {
  readonly groups: ReadonlyMap<string, PartnerMonths>;
  /** Each series' own move per month, so its peers' share leaves it out. */
  readonly moves: ReadonlyMap<string, SeriesMoves>;
}

interface PartnerMonths {
  readonly firstMonth: number;
  readonly scored: Uint16Array;
  readonly up: Uint16Array;
  readonly down: Uint16Array;
  /** Series whose last bucket starts at each month: the month after it is not in for them. */
  readonly ending: Uint16Array;
}

interface SeriesMoves {
  readonly firstMonth: number;
  /** +1 up, -1 down, 0 none; 2 scored but no move; by month offset (a bucket's first month). */
  readonly move: Int8Array;
}

/** The other reporters' series to the same partner over partnerMonths months (buckets scored), and how many moved the way asked. */
export interface PartnerMove {
  readonly moving: number;
  readonly scored: number;
}

/** Cross-reporter peers: the same source, partner, flow, commodity and currency, any reporter. */
export function partnerGroupKey(series: SeriesKey): string {
  return seriesId({ ...series, reporter: '*' });
}

/**
 * The two-year comparison of a bucket, scored like its y/y growth: ln(value / value two years
 * earlier) against twice the typical y/y growth, over the same spread (a level that is trend plus
 * noise has a two-year change with the y/y change's spread). NaN where the value two years earlier is unknown.
 */
export function twoYearZ(s: ScoredSeries, b: number, centre: number, spread: number): number {
  const q = bucketStartingAt(s, s.start[b]! - 24);
  const before = q < 0 ? NaN : s.value[q]!;
  const value = s.value[b]!;
  return value > 0 && before > 0 ? (Math.log(value / before) - 2 * centre) / spread : NaN;
}

/**
 * A real move at a bucket, +1 up or -1 down (else 0): its y/y growth is the way of its z and at
 * least continueZ spreads from the typical growth, and it holds against two years earlier too
 * (where that is known), so the rebound from a trough a year ago is not counted as a new move.
 */
export function moveAt(s: ScoredSeries, b: number, centre: number, spread: number, config: DetectionConfig): -1 | 0 | 1 {
  const g = s.growth[b]!;
  const z = (g - centre) / spread;
  if (!(Math.abs(z) >= config.continueZ)) return 0;
  const sign = z > 0 ? 1 : -1;
  if (sign * g <= 0) return 0;
  const z2 = twoYearZ(s, b, centre, spread);
  return Number.isNaN(z2) || sign * z2 >= config.continueZ ? sign : 0;
}

/**
 * Scores every series on its own (pass one, each with its reporter's settings) and counts, per
 * partner and month, the series scored and those that moved up or down.
 */
export function partnerSignal(inputs: readonly SeriesInput[], configFor: DetectionFor): PartnerSignal {
  const groups = new Map<string, PartnerMonths>();
  const moves = new Map<string, SeriesMoves>();
  const slab = new Slab();
  const windows = new Map<number, RollingRobust>();
  for (const members of groupBy(inputs, (i) => partnerGroupKey(i.series)).values()) {
    const own: { id: string; firstMonth: number; move: Int8Array }[] = [];
    let first = Infinity;
    let last = -Infinity;
    for (const input of members) {
      const config = configFor(input.series.reporter);
      slab.reset();
      const window = windows.get(config.historyWindow) ?? new RollingRobust(config.historyWindow);
      windows.set(config.historyWindow, window);
      const s = scoreInput(input, config, window, slab);
      if (s.count === 0) continue;
      const firstMonth = s.start[0]!;
      const move = new Int8Array(s.start[s.count - 1]! - firstMonth + 1);
      for (let b = 0; b < s.count; b++) {
        // Only a series with a history of its own votes: a few months' spread says little about a move.
        const spread = s.ownSpread[b]!;
        if (Number.isNaN(s.growth[b]!) || Number.isNaN(spread)) continue;
        const centre = s.centre[b]!;
        // Most buckets are within the continuation bound: no call (with its boxed arguments) for them.
        const m = Math.abs(s.growth[b]! - centre) < config.continueZ * spread ? 0 : moveAt(s, b, centre, spread, config);
        move[s.start[b]! - firstMonth] = m === 0 ? 2 : m;
      }
      own.push({ id: seriesId(input.series), firstMonth, move });
      first = Math.min(first, firstMonth);
      last = Math.max(last, firstMonth + move.length - 1);
    }
    if (own.length === 0) continue;
    const length = last - first + 1;
    const counts: PartnerMonths = { firstMonth: first, scored: new Uint16Array(length), up: new Uint16Array(length), down: new Uint16Array(length), ending: new Uint16Array(length) };
    for (const { id, firstMonth, move } of own) {
      moves.set(id, { firstMonth, move });
      counts.ending[firstMonth - first + move.length - 1]!++;
      for (let i = 0; i < move.length; i++) {
        const m = move[i]!;
        if (m === 0) continue;
        const at = firstMonth - first + i;
        counts.scored[at]!++;
        if (m === 1) counts.up[at]!++;
        else if (m === -1) counts.down[at]!++;
      }
    }
    groups.set(partnerGroupKey(members[0]!.series), counts);
  }
  return { groups, moves };
}

/** A series' place in a partner signal: its partner's counts, and its own moves (to leave itself out). */
export interface PartnerPeers {
  readonly group: PartnerMonths;
  readonly own: SeriesMoves | undefined;
}

/** Where a series stands in the signal; undefined when the signal knows no series to its partner. Resolve once per series. */
export function partnerPeersOf(signal: PartnerSignal, series: SeriesKey, id: string): PartnerPeers | undefined {
  const group = signal.groups.get(partnerGroupKey(series));
  return group ? { group, own: signal.moves.get(id) } : undefined;
}

/**
 * A series' cross-reporter peers (itself left out) over the `months` months ending at `start`:
 * their buckets scored, and how many of those moved the way of `sign`. A partner-wide shift lasts;
 * one month in which many series happen to move together is not one. Undefined where the signal
 * knows no such partner, or where a month of the span is not in for every peer that reported the
 * month before (a live run before the last reporters' figures arrived; a peer whose data end): the
 * share is judged once the month is complete, so it is the same whatever order reporters arrive in.
 */
export function partnerMoveAt(signal: PartnerSignal, series: SeriesKey, id: string, start: number, sign: 1 | -1, months: number): PartnerMove | undefined {
  const peers = partnerPeersOf(signal, series, id);
  return peers && movesAmong(peers, start, sign, months);
}

/** `partnerMoveAt` for a series already placed in the signal. */
export function movesAmong({ group, own }: PartnerPeers, start: number, sign: 1 | -1, months: number): PartnerMove | undefined {
  let scored = 0;
  let moving = 0;
  for (let month = start - months + 1; month <= start; month++) {
    const at = month - group.firstMonth;
    // A month some peers have not reported yet (their data stop the month before) is not judged:
    // the share among those in first would depend on the order reporters arrive in.
    if (at > 0 && at <= group.ending.length && group.ending[at - 1]! > 0) return undefined;
    if (at < 0 || at >= group.scored.length) continue;
    scored += group.scored[at]!;
    moving += sign > 0 ? group.up[at]! : group.down[at]!;
    const i = own ? month - own.firstMonth : -1;
    const mine = own && i >= 0 && i < own.move.length ? own.move[i]! : 0;
    if (mine !== 0) scored--;
    if (mine === sign) moving--;
  }
  return scored > 0 ? { moving, scored } : undefined;
}
