import type { SeriesKey, StoredObservation } from '../domain/series.js';
import { withTurnover, type SeriesWithObservations } from '../domain/turnover.js';
import type { SeriesMetadata, SeriesRepository } from '../store/series-repository.js';

function keyOf(metadata: SeriesMetadata): SeriesKey {
  const { source, reporter, partner, flow, commodity, currency } = metadata;
  return { source, reporter, partner, flow, commodity, currency };
}

/** Stored series (all, or those `include` keeps) with their observations, plus their trade turnover. */
export async function loadSeriesWithTurnover(
  repository: SeriesRepository,
  include: (metadata: SeriesMetadata) => boolean = () => true,
): Promise<SeriesWithObservations[]> {
  const stored: SeriesWithObservations<StoredObservation>[] = [];
  for (const metadata of (await repository.listSeries()).filter(include)) {
    stored.push({ series: keyOf(metadata), observations: await repository.getObservations(metadata.seriesId) });
  }
  return withTurnover(stored);
}
