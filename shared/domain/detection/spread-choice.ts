import { median } from '../robust.js';
import type { SpreadSource } from './anomaly.js';
import { priorSpreadAt, type DetectionConfig } from './config.js';
import { blendSpread, bucketStartingAt, type ScoredSeries } from './scored-series.js';

export type { Pooled };

export interface SpreadChoice {
  /** The log growth expected: the median of the series' own history (peers grow at their own pace). */
  readonly centre: number;
  readonly spread: number;
  readonly source: SpreadSource;
  /** Peers pooled from (0 unless the source is `pooled`). */
  readonly peers: number;
}

/**
 * The spread a bucket is scored against: the series' own once it has minHistoryMonths of history;
 * before that its own short-history spread blended with the median of its peers' own spreads, or,
 * with no peer that has one (a data set that starts recently), with the prior. The blend only ever
 * widens a short history's spread: a few calm months understate it, a few wild ones do not.
 */
export function chooseSpread(
  scored: ScoredSeries,
  b: number,
  peers: readonly ScoredSeries[],
  config: DetectionConfig,
  pooledCache?: Map<number, Pooled | null>,
): SpreadChoice | undefined {
  const own = scored.ownSpread[b]!;
  const centre = scored.centre[b]!;
  if (!Number.isNaN(own)) return { centre, spread: own, source: 'own', peers: 0 };
  const provisional = scored.provisionalSpread[b]!;
  if (Number.isNaN(provisional)) return undefined;
  const months = scored.historyMonths[b]!;
  const full = config.minHistoryMonths;
  // The series has no spread of its own here, so leaving it out changes nothing: one pool per month serves every series.
  const start = scored.start[b]!;
  let pooled = pooledCache?.get(start);
  if (pooled === undefined) {
    pooled = pooledSpread(peers, scored, start) ?? null;
    pooledCache?.set(start, pooled);
  }
  if (pooled) {
    return { centre, spread: Math.max(provisional, blendSpread(provisional, pooled.spread, months, full)), source: 'pooled', peers: pooled.peers };
  }
  const prior = priorSpreadAt(scored.previous[b]! / scored.months[b]!, config);
  return { centre, spread: Math.max(provisional, blendSpread(provisional, prior, months, full)), source: 'prior', peers: 0 };
}

interface Pooled {
  readonly spread: number;
  readonly peers: number;
}

function pooledSpread(peers: readonly ScoredSeries[], self: ScoredSeries, start: number): Pooled | undefined {
  const spreads: number[] = [];
  for (const peer of peers) {
    if (peer === self) continue;
    const b = bucketStartingAt(peer, start);
    if (b < 0) continue;
    const spread = peer.ownSpread[b]!;
    if (!Number.isNaN(spread)) spreads.push(spread);
  }
  return spreads.length === 0 ? undefined : { spread: median(spreads), peers: spreads.length };
}
