import type { SeriesKey, StoredObservation } from '../domain/series.js';
import { withTurnover, type SeriesWithObservations } from '../domain/turnover.js';
import type { SeriesMetadata, SeriesReader } from '../store/series-repository.js';


function keyOf(metadata: SeriesMetadata): SeriesKey {
  const { source, reporter, partner, flow, commodity, currency } = metadata;
  return { source, reporter, partner, flow, commodity, currency };
}

/**
 * Stored series (all, or the `listed` ones) with their observations, in the listed order, plus
 * their trade turnover. `consistent` reads another writer's latest months (another reporter's run
 * that stored them a moment ago); `inFlight` series are read at once (each is one Query).
 */
export async function loadSeriesWithTurnover(
  repository: SeriesReader,
  listed?: readonly SeriesMetadata[],
  options: { consistent?: boolean; inFlight?: number } = {},
): Promise<SeriesWithObservations[]> {
  const metadata = listed ?? (await repository.listSeries());
  const stored: SeriesWithObservations<StoredObservation>[] = new Array(metadata.length);
  let next = 0;
  const reader = async () => {
    while (next < metadata.length) {
      const i = next++;
      stored[i] = { series: keyOf(metadata[i]!), observations: await repository.getObservations(metadata[i]!.seriesId, { consistent: options.consistent ?? false }) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.inFlight ?? 1, metadata.length) }, reader));
  return withTurnover(stored);
}
