import type { DetectionRepository } from '../store/detection-repository.js';
import type { SeriesReader } from '../store/series-repository.js';

/** Records every series of the reporters as handled as it stands: stored on purpose without alerting (history, or --no-alert). */
export async function markAllHandled(series: SeriesReader, detection: Pick<DetectionRepository, 'markHandled'>, reporters: readonly string[]): Promise<number> {
  let marked = 0;
  for (const reporter of new Set(reporters)) {
    for (const stored of await series.listSeries({ reporter })) {
      await detection.markHandled(reporter, stored.seriesId, stored.version);
      marked++;
    }
  }
  return marked;
}
