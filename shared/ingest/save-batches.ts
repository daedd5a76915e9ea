import type { Period } from '../domain/period.js';
import type { SeriesBatch } from '../sources/trade-source.js';
import type { SeriesRepository } from '../store/series-repository.js';

/** What storing some batches did, added up over a run. */
export class SaveTally {
  observations = 0;
  inserted = 0;
  revised = 0;
  unchanged = 0;
  writes = 0;
  /** Per series id, the earliest month inserted or revised: where detection starts. */
  readonly changedFrom = new Map<string, Period>();

  counts() {
    const { observations, inserted, revised, unchanged, writes } = this;
    return { observations, inserted, revised, unchanged, writes };
  }
}

/**
 * Stores each batch (compare before write: unchanged months cost nothing, revised ones keep their
 * earlier value) and adds what happened to `tally`. Every way data comes in stores through here.
 */
export async function saveBatches(series: SeriesRepository, batches: readonly SeriesBatch[], seenAt: string, tally: SaveTally): Promise<void> {
  // Series are independent partitions: a few saved side by side.
  let next = 0;
  const worker = async () => {
    while (next < batches.length) await saveOne(series, batches[next++]!, seenAt, tally);
  };
  await Promise.all(Array.from({ length: Math.min(SERIES_IN_FLIGHT, batches.length) }, worker));
}

const SERIES_IN_FLIGHT = 4;

async function saveOne(series: SeriesRepository, batch: SeriesBatch, seenAt: string, tally: SaveTally): Promise<void> {
  const saved = await series.saveObservations(batch.series, batch.observations, seenAt);
  tally.observations += batch.observations.length;
  tally.inserted += saved.inserted.length;
  tally.revised += saved.revised.length;
  tally.unchanged += saved.unchanged;
  tally.writes += saved.writes;
  const earliest = [...saved.inserted, ...saved.revised].sort()[0];
  const known = tally.changedFrom.get(saved.seriesId);
  if (earliest && (!known || earliest < known)) tally.changedFrom.set(saved.seriesId, earliest);
}
