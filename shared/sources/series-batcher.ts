import { sameQuantities } from '../domain/quantities.js';
import { seriesId, type Observation, type SeriesKey } from '../domain/series.js';
import type { SeriesBatch } from './trade-source.js';

/**
 * Groups validated observations into one batch per series, as every source hands them to the
 * store. A second observation for a month of a series is refused (the caller reports it): the
 * same reading again is harmless, a different one is a clash.
 */
export class SeriesBatcher {
  private readonly bySeries = new Map<string, { series: SeriesKey; observations: Map<string, Observation> }>();

  /** Adds the observation; returns the one already held for that month when they differ. */
  add(series: SeriesKey, observation: Observation): Observation | undefined {
    const id = seriesId(series);
    const entry = this.bySeries.get(id) ?? { series, observations: new Map<string, Observation>() };
    this.bySeries.set(id, entry);
    const earlier = entry.observations.get(observation.period);
    if (earlier && (earlier.value !== observation.value || earlier.state !== observation.state || !sameQuantities(earlier.quantities, observation.quantities))) return earlier;
    entry.observations.set(observation.period, observation);
    return undefined;
  }

  /** The series, each with its months oldest first. */
  batches(): SeriesBatch[] {
    return [...this.bySeries.values()].map(({ series, observations }) => ({
      series,
      observations: [...observations.values()].sort((a, b) => a.period.localeCompare(b.period)),
    }));
  }
}
