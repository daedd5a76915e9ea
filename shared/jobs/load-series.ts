import type { SeriesKey, StoredObservation } from '../domain/series.js';
import { withTurnover, type SeriesWithObservations } from '../domain/turnover.js';
import type { SeriesMetadata, SeriesReader } from '../store/series-repository.js';

function keyOf(metadata: SeriesMetadata): SeriesKey {
  const { source, reporter, partner, flow, commodity, currency } = metadata;
  return { source, reporter, partner, flow, commodity, currency };
}

/**
 * Stored series (all, or those `include` keeps) with their observations, plus their trade
 * turnover. `listed` saves listing the series again when the caller already has them.
 */
export async function loadSeriesWithTurnover(
  repository: SeriesReader,
  include: (metadata: SeriesMetadata) => boolean = () => true,
  listed?: readonly SeriesMetadata[],
): Promise<SeriesWithObservations[]> {
  const stored: SeriesWithObservations<StoredObservation>[] = [];
  for (const metadata of (listed ?? (await repository.listSeries())).filter(include)) {
    stored.push({ series: keyOf(metadata), observations: await repository.getObservations(metadata.seriesId) });
  }
  return withTurnover(stored);
}
