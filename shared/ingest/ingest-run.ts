import type { Period } from '../domain/period.js';
import { CallBudgetExhaustedError } from '../sources/http/resilient-http.js';
import type { RejectedRecord, SourceRequest, TradeSource } from '../sources/trade-source.js';
import { abandonRunOwner, callKey, newRunOwner, type RunRepository } from '../store/run-repository.js';
import type { SeriesRepository } from '../store/series-repository.js';
import { SaveTally, saveBatches } from './save-batches.js';

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
  /**
   * With a run: one process at a time under the key (a lock), a checkpoint per call (a rerun with
   * the same key resumes), quarantined records and failed calls kept with it.
   */
  readonly run?: { readonly key: string; readonly repository: RunRepository };
  /**
   * Fetch only the months the source says were released since the last complete run (new or
   * revised), for sources that tell (UN Comtrade's data availability, Eurostat Comext's LAST
   * UPDATE). Needs a run.
   */
  readonly onlyNewReleases?: boolean;
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
  /** Calls that failed every attempt: recorded with the run and made again when it resumes. */
  readonly failedCalls: readonly { readonly call: string; readonly error: string }[];
  /** Per series id, the earliest month this run inserted or revised. */
  readonly changedFrom: ReadonlyMap<string, Period>;
  /** Why the run stopped before its end, if it did (it resumes with the same run key). */
  readonly stopped?: string;
  /** A run with this key had already finished: nothing was fetched. */
  readonly alreadyDone?: boolean;
  /** With onlyNewReleases: months asked about, and those released since the last run (fetched). */
  readonly releases?: { readonly checked: number; readonly changed: number };
}

/** An ingest run ended by an error; it resumes where it ended when started again with its key. */
export class IngestRunFailedError extends Error {
  constructor(
    readonly runKey: string,
    override readonly cause: Error,
  ) {
    super(cause.message);
    this.name = 'IngestRunFailedError';
  }
}

/** Pulls what the requests name from the source and stores it, call by call. */
export async function runIngest(input: IngestJobInput): Promise<IngestSummary> {
  const calls = { calls: 0, skippedCalls: 0 };
  const tally = new SaveTally();
  const rejected: RejectedRecord[] = [];
  const failedCalls: { call: string; error: string }[] = [];
  const summary = () => ({ ...calls, ...tally.counts(), rejected, failedCalls, changedFrom: tally.changedFrom });
  const seenAt = input.now().toISOString();
  const run = input.run;
  const owner = newRunOwner();
  let completed = new Set<string>();
  let failedBefore = new Set<string>();
  if (run) {
    // A start that timed out may still have taken the lock: its owner never runs, so this process may take it over.
    const record = await run.repository.start(run.key, input.source.name, new Date(), owner).catch((error: unknown) => {
      abandonRunOwner(owner);
      throw error;
    });
    if (record.status === 'DONE') return { ...summary(), alreadyDone: true };
  }
  const skipCall = (url: string) => {
    const skip = completed.has(callKey(url));
    if (skip) calls.skippedCalls++;
    return skip;
  };

  let release: Awaited<ReturnType<typeof newReleases>> | undefined;
  // From here on the run holds its lock: whatever fails, it ends FAILED and gives the lock up.
  try {
    if (run) {
      completed = await run.repository.completedCalls(run.key);
      failedBefore = new Set((await run.repository.failedCalls(run.key)).map((f) => callKey(f.url)));
    }
    release = run && input.onlyNewReleases && input.source.releases ? await newReleases(input, run.repository) : undefined;
    for (const request of release ? release.requests : input.requests) {
      for await (const result of input.source.fetch(request, { skipCall })) {
        calls.calls++;
        if (result.failed) {
          failedCalls.push({ call: result.call, error: result.failed });
          release?.unsettled.add(request.reporter);
          if (run) await run.repository.recordFailedCall(run.key, result.call, result.failed, new Date());
          continue;
        }
        rejected.push(...result.rejected);
        // A month with a rejected record is not known to be stored whole: the next daily run asks again.
        for (const record of result.rejected) if (record.period) release?.rejectedPeriods.add(`${request.reporter}#${record.period}`);
        const before = tally.observations;
        await saveBatches(input.series, result.batches, seenAt, tally);
        if (run) {
          await run.repository.quarantine(run.key, result.call, result.rejected);
          await run.repository.checkpoint(run.key, owner, result.call, { observations: tally.observations - before, quarantined: result.rejected.length }, new Date());
          if (failedBefore.has(callKey(result.call))) await run.repository.clearFailedCall(run.key, result.call);
        }
        input.onProgress?.({ calls: calls.calls, observations: tally.observations });
      }
    }
    if (run) {
      for (const [reporter, released] of release?.released ?? []) {
        if (release!.unsettled.has(reporter)) continue;
        const settled = new Map([...released].filter(([period]) => !release!.rejectedPeriods.has(`${reporter}#${period}`)));
        await run.repository.recordReleases(input.source.name, reporter, settled);
      }
      await run.repository.finish(run.key, failedCalls.length > 0 ? 'INCOMPLETE' : 'DONE', new Date(), { failedCalls: failedCalls.length });
    }
  } catch (error) {
    if (!run) throw error;
    if (error instanceof CallBudgetExhaustedError) {
      await run.repository.finish(run.key, 'STOPPED', new Date(), { reason: error.message, failedCalls: failedCalls.length });
      return { ...summary(), stopped: error.message };
    }
    // Best effort: when the store itself is what failed, the lock simply expires.
    await run.repository.finish(run.key, 'FAILED', new Date(), { reason: (error as Error).message, failedCalls: failedCalls.length }).catch(() => abandonRunOwner(owner));
    throw new IngestRunFailedError(run.key, error as Error);
  }
  return { ...summary(), ...(release ? { releases: release.counts } : {}) };
}

/** The requests cut down to the months released since the last complete run. */
async function newReleases(input: IngestJobInput, runs: RunRepository) {
  const released = new Map<string, Map<string, string>>();
  const requests: SourceRequest[] = [];
  let checked = 0;
  let changed = 0;
  for (const request of input.requests) {
    const latest = await input.source.releases!(request);
    const known = await runs.knownReleases(input.source.name, request.reporter);
    const periods = request.periods.filter((p) => latest.has(p) && latest.get(p) !== known.get(p));
    checked += request.periods.length;
    changed += periods.length;
    released.set(request.reporter, new Map([...(released.get(request.reporter) ?? []), ...periods.map((p) => [p, latest.get(p)!] as const)]));
    if (periods.length > 0) requests.push({ ...request, periods });
  }
  return {
    requests,
    released,
    counts: { checked, changed },
    /** Reporters with a call that failed: none of their releases counts as stored. */
    unsettled: new Set<string>(),
    /** `reporter#period` with a rejected record: those releases are asked for again. */
    rejectedPeriods: new Set<string>(),
  };
}
