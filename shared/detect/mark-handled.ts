import type { DetectionRepository } from '../store/detection-repository.js';
import type { SeriesReader } from '../store/series-repository.js';
import { storedMirrors } from './detect-mirrors.js';

/** Records every series of the reporters as handled as it stands: stored on purpose without alerting (history, or --no-alert). */
export async function markAllHandled(series: SeriesReader, detection: Pick<DetectionRepository, 'markHandled'>, reporters: readonly string[]): Promise<number> {
  let marked = 0;
  for (const reporter of new Set(reporters)) {
    const listed = await series.listSeries({ reporter });
    for (const stored of listed) {
      await detection.markHandled(reporter, stored.seriesId, stored.version);
      marked++;
    }
    // The mirrors these series are a side of, whichever reporter owns them.
    for (const { pair, version } of await storedMirrors(series, listed)) {
      await detection.markHandled(pair.exportSide.reporter, pair.id, version);
      marked++;
    }
  }
  return marked;
}
