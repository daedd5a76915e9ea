import { selectionCovers } from '../domain/commodity.js';
import type { Anomaly } from '../domain/detection/index.js';
import type { Period } from '../domain/period.js';
import { parseSeriesId, seriesId, type SeriesKey } from '../domain/series.js';
import { SERIES_SOURCE } from '../domain/upstream.js';
import { coveredFrom } from '../plan/backfill-plan.js';
import type { BackfillRepository } from '../store/backfill-repository.js';
import type { DetectionRepository } from '../store/detection-repository.js';
import type { SeriesMetadata } from '../store/series-repository.js';

/** What detection has recorded for the reporters: handled versions, where news begins, and which of their series the planner watches. */
export interface Progress {
  readonly handled: ReadonlyMap<string, number>;
  readonly newsFrom: ReadonlyMap<string, Period>;
  readonly isWatched: (series: Pick<SeriesMetadata, 'source' | 'reporter' | 'commodity' | 'partner'>) => boolean;
  /**
   * From which month a month without a row means nothing was traded: the start of the planner's
   * gapless history for a watched series (false while its newest chunk is not stored), undefined
   * for a series the planner does not watch.
   */
  readonly askedFrom: (series: Pick<SeriesMetadata, 'source' | 'reporter' | 'commodity' | 'partner'>) => Period | false | undefined;
}

/** Where detection reads its progress: what it handled, and the partners the planner watches. */
export interface ProgressSources {
  readonly detection: Pick<DetectionRepository, 'progress'>;
  readonly watched?: Pick<BackfillRepository, 'watched'> | undefined;
}

/** The reporters' progress: one Query per reporter, and one more for its watched partners when the planner's states are given. */
export async function readProgress(input: ProgressSources, reporters: Iterable<string>): Promise<Progress> {
  const handled = new Map<string, number>();
  const newsFrom = new Map<string, Period>();
  // Per series source, reporter and partner, the commodity selections watched (TOTAL, a code, a level such as AG2, a list).
  const watched = new Map<string, { readonly selection: string; readonly coveredFrom?: Period }[]>();
  const pairKey = (source: string, reporter: string, partner: string) => `${source}#${reporter}#${partner}`;
  for (const reporter of reporters) {
    const progress = await input.detection.progress(reporter);
    for (const [id, version] of progress.handled) handled.set(id, version);
    for (const [id, from] of progress.newsFrom) newsFrom.set(id, from);
    for (const state of input.watched ? await input.watched.watched(reporter) : []) {
      // A partner watched on one upstream says nothing of the other's series: each has its own initial load.
      const pair = pairKey(SERIES_SOURCE[state.source], reporter, state.partner);
      const from = coveredFrom(state);
      watched.set(pair, [...(watched.get(pair) ?? []), { selection: state.commodity, ...(from ? { coveredFrom: from } : {}) }]);
    }
  }
  const watchesOf = (s: Pick<SeriesMetadata, 'source' | 'reporter' | 'commodity' | 'partner'>) =>
    (watched.get(pairKey(s.source, s.reporter, s.partner)) ?? []).filter(({ selection }) => selectionCovers(selection, s.commodity));
  return {
    handled,
    newsFrom,
    isWatched: (s) => watchesOf(s).length > 0,
    askedFrom: (s) => {
      const watches = watchesOf(s);
      if (watches.length === 0) return undefined;
      return watches.map((w) => w.coveredFrom).find((from) => from !== undefined) ?? false;
    },
  };
}

/** Where a series' news begins: a month, `history` (its initial load is not done), or undefined (not watched: every month is news). */
export type NewsBoundary = (seriesId: string) => Period | 'history' | undefined;

export function newsBoundary(newsFrom: ReadonlyMap<string, Period>, watched: (seriesId: string) => boolean): NewsBoundary {
  const stored = (id: string) => newsFrom.get(id) ?? (watched(id) ? 'history' : undefined);
  return (id) => {
    const key = parseSeriesId(id);
    if (key.flow !== 'trade') return stored(id);
    // Turnover is news only where both its flows are.
    return jointBoundary((['export', 'import'] as const).map((flow) => stored(seriesId({ ...key, flow }))));
  };
}

/**
 * Where news begins for a figure made of several stored series (turnover's two flows, a mirror's
 * two sides): `history` while any of them is, else the latest of their starts.
 */
export function jointBoundary(bounds: readonly (Period | 'history' | undefined)[]): Period | 'history' | undefined {
  if (bounds.includes('history')) return 'history';
  return bounds.filter((b): b is Period => b !== undefined).sort().at(-1);
}

/** Where a stored series' news begins by the reporters' progress (see NewsBoundary). */
export function storedBoundary(progress: Progress, key: SeriesKey): Period | 'history' | undefined {
  return progress.newsFrom.get(seriesId(key)) ?? (progress.isWatched(key) ? 'history' : undefined);
}

export function isNews(anomaly: Anomaly, boundary: NewsBoundary): boolean {
  const from = boundary(anomaly.seriesId);
  return from === undefined || (from !== 'history' && anomaly.period >= from);
}


/** Whether the anomaly is news by the reporters' progress. */
export function newsBy(progress: Progress): (anomaly: Anomaly) => boolean {
  const boundary = newsBoundary(progress.newsFrom, (id) => progress.isWatched(parseSeriesId(id)));
  return (anomaly) => isNews(anomaly, boundary);
}
