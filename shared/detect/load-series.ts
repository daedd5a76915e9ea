import type { SeriesKey, StoredObservation } from '../domain/series.js';
import { withTurnover, type SeriesWithObservations } from '../domain/turnover.js';
import type { SeriesMetadata, SeriesReader } from '../store/series-repository.js';

function keyOf(metadata: SeriesMetadata): SeriesKey {
  const { source, reporter, partner, flow, commodity, currency } = metadata;
  return { source, reporter, partner, flow, commodity, currency };
}

/** Stored series (all, or the `listed` ones) with their observations, plus their trade turnover. */
export async function loadSeriesWithTurnover(repository: SeriesReader, listed?: readonly SeriesMetadata[]): Promise<SeriesWithObservations[]> {
  const stored: SeriesWithObservations<StoredObservation>[] = [];
  for (const metadata of listed ?? (await repository.listSeries())) {
    stored.push({ series: keyOf(metadata), observations: await repository.getObservations(metadata.seriesId) });
  }
  return withTurnover(stored);
}
