import type { Period } from '../domain/period.js';
import { CallBudgetExhaustedError } from '../sources/comtrade/comtrade-client.js';
import type { RejectedRecord, SourceRequest, TradeSource } from '../sources/trade-source.js';
import { callKey, type RunRepository } from '../store/run-repository.js';
import type { SeriesRepository } from '../store/series-repository.js';

export interface IngestProgress {
  readonly calls: number;
  readonly observations: number;
}

export interface IngestJobInput {
  readonly source: TradeSource;
  readonly requests: readonly SourceRequest[];
  readonly series: SeriesRepository;
  /** The release's (or scheduled run's) time: observations are stamped with it. */
  readonly now: () => Date;
  /** With a run: a checkpoint per call (a rerun with the same key resumes), quarantined records kept. */
  readonly run?: { readonly key: string; readonly repository: RunRepository };
  readonly onProgress?: (progress: IngestProgress) => void;
}

export interface IngestSummary {
  readonly calls: number;
  /** Calls a resumed run had completed before: not made again. */
  readonly skippedCalls: number;
  readonly observations: number;
  readonly inserted: number;
  readonly revised: number;
  readonly unchanged: number;
  readonly writes: number;
  /** Records that failed validation: none of them stored (kept in quarantine with a run). */
  readonly rejected: readonly RejectedRecord[];
  /** Per series id, the earliest month this run inserted or revised. */
  readonly changedFrom: ReadonlyMap<string, Period>;
  /** Why the run stopped before its end, if it did (it resumes with the same run key). */
  readonly stopped?: string;
  /** A run with this key had already finished: nothing was fetched. */
  readonly alreadyDone?: boolean;
}

/** Pulls what the requests name from the source and stores it, call by call. */
export async function runIngest(input: IngestJobInput): Promise<IngestSummary> {
  const totals = { calls: 0, skippedCalls: 0, observations: 0, inserted: 0, revised: 0, unchanged: 0, writes: 0 };
  const rejected: RejectedRecord[] = [];
  const changedFrom = new Map<string, Period>();
  const seenAt = input.now().toISOString();
  const run = input.run;
  let completed = new Set<string>();
  if (run) {
    const record = await run.repository.start(run.key, input.source.name, input.now());
    if (record.status === 'DONE') return { ...totals, rejected, changedFrom, alreadyDone: true };
    completed = await run.repository.completedCalls(run.key);
  }
  const skipCall = (url: string) => {
    const skip = completed.has(callKey(url));
    if (skip) totals.skippedCalls++;
    return skip;
  };

  try {
    for (const request of input.requests) {
      for await (const result of input.source.fetch(request, { skipCall })) {
        totals.calls++;
        rejected.push(...result.rejected);
        let observations = 0;
        for (const batch of result.batches) {
          const saved = await input.series.saveObservations(batch.series, batch.observations, seenAt);
          observations += batch.observations.length;
          totals.inserted += saved.inserted.length;
          totals.revised += saved.revised.length;
          totals.unchanged += saved.unchanged;
          totals.writes += saved.writes;
          const earliest = [...saved.inserted, ...saved.revised].sort()[0];
          const known = changedFrom.get(saved.seriesId);
          if (earliest && (!known || earliest < known)) changedFrom.set(saved.seriesId, earliest);
        }
        totals.observations += observations;
        if (run) {
          await run.repository.quarantine(run.key, result.rejected);
          await run.repository.checkpoint(run.key, result.call, observations, new Date());
        }
        input.onProgress?.({ calls: totals.calls, observations: totals.observations });
      }
    }
  } catch (error) {
    if (!(error instanceof CallBudgetExhaustedError)) throw error;
    if (run) await run.repository.finish(run.key, 'STOPPED', new Date(), error.message);
    return { ...totals, rejected, changedFrom, stopped: error.message };
  }
  if (run) await run.repository.finish(run.key, 'DONE', new Date());
  return { ...totals, rejected, changedFrom };
}
