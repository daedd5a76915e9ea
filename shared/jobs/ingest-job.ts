import type { Period } from '../domain/period.js';
import type { SeriesRepository } from '../store/series-repository.js';
import type { RejectedRecord, SourceRequest, TradeSource } from '../sources/trade-source.js';

export interface IngestProgress {
  readonly calls: number;
  readonly observations: number;
}

export interface IngestJobInput {
  readonly source: TradeSource;
  readonly requests: readonly SourceRequest[];
  readonly series: SeriesRepository;
  readonly now: () => Date;
  readonly onProgress?: (progress: IngestProgress) => void;
}

export interface IngestSummary {
  readonly calls: number;
  readonly observations: number;
  readonly inserted: number;
  readonly revised: number;
  readonly unchanged: number;
  readonly writes: number;
  /** Records that failed validation: kept here for the report, none of them stored. */
  readonly rejected: readonly RejectedRecord[];
  /** Per series id, the earliest month this run inserted or revised. */
  readonly changedFrom: ReadonlyMap<string, Period>;
}

/** Pulls what the requests name from the source and stores it, call by call. */
export async function runIngest(input: IngestJobInput): Promise<IngestSummary> {
  let calls = 0;
  let observations = 0;
  let inserted = 0;
  let revised = 0;
  let unchanged = 0;
  let writes = 0;
  const rejected: RejectedRecord[] = [];
  const changedFrom = new Map<string, Period>();
  const seenAt = input.now().toISOString();

  for (const request of input.requests) {
    for await (const result of input.source.fetch(request)) {
      calls++;
      rejected.push(...result.rejected);
      for (const batch of result.batches) {
        const saved = await input.series.saveObservations(batch.series, batch.observations, seenAt);
        observations += batch.observations.length;
        inserted += saved.inserted.length;
        revised += saved.revised.length;
        unchanged += saved.unchanged;
        writes += saved.writes;
        const earliest = [...saved.inserted, ...saved.revised].sort()[0];
        const known = changedFrom.get(saved.seriesId);
        if (earliest && (!known || earliest < known)) changedFrom.set(saved.seriesId, earliest);
      }
      input.onProgress?.({ calls, observations });
    }
  }
  return { calls, observations, inserted, revised, unchanged, writes, rejected, changedFrom };
}
