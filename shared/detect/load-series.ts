import type { SeriesKey, StoredObservation } from '../domain/series.js';
import { withTurnover, type SeriesWithObservations } from '../domain/turnover.js';
import type { SeriesMetadata, SeriesReader } from '../store/series-repository.js';

/** Series read at once: each is one Query, so a reporter's peers across reporters load in a few round trips' time. */
const READS_IN_FLIGHT = 8;

function keyOf(metadata: SeriesMetadata): SeriesKey {
  const { source, reporter, partner, flow, commodity, currency } = metadata;
  return { source, reporter, partner, flow, commodity, currency };
}

/**
 * Stored series (all, or the `listed` ones) with their observations, in the listed order, plus
 * their trade turnover. `consistent` reads another writer's latest months (another reporter's run
 * that stored them a moment ago).
 */
export async function loadSeriesWithTurnover(repository: SeriesReader, listed?: readonly SeriesMetadata[], options: { consistent?: boolean } = {}): Promise<SeriesWithObservations[]> {
  const metadata = listed ?? (await repository.listSeries());
  const stored: SeriesWithObservations<StoredObservation>[] = new Array(metadata.length);
  let next = 0;
  const reader = async () => {
    while (next < metadata.length) {
      const i = next++;
      stored[i] = { series: keyOf(metadata[i]!), observations: await repository.getObservations(metadata[i]!.seriesId, { consistent: options.consistent ?? false }) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(READS_IN_FLIGHT, metadata.length) }, reader));
  return withTurnover(stored);
}
