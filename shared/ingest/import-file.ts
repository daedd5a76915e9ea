import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { seriesId, type Observation, type SeriesKey } from '../domain/series.js';
import { readTradeCsv, type CsvRowError } from '../sources/csv/csv-import.js';
import { abandonRunOwner, callKey, newRunOwner, type RunRepository } from '../store/run-repository.js';
import type { SeriesRepository } from '../store/series-repository.js';
import { IngestRunFailedError } from './ingest-run.js';
import { SaveTally, saveBatches } from './save-batches.js';

export interface ImportInput {
  readonly file: string;
  /**
   * How checkpoints and errors name the file (default: its path). A name that stays the same when
   * the file is read from another path (a drop's key, downloaded anew to a temporary file by each
   * attempt) lets a retry resume the chunks an earlier attempt stored.
   */
  readonly name?: string;
  readonly series: SeriesRepository;
  readonly runs: RunRepository;
  /** Store the good rows and report the bad ones; otherwise a file with a bad row stores nothing. */
  readonly skipBad: boolean;
  /** The release's time: observations are stamped with it. */
  readonly now: Date;
  /** Rows stored per checkpoint: a run cut short resumes after the last one. */
  readonly chunkRows?: number;
  readonly onChunk?: (done: { chunk: number; rows: number }) => void | Promise<void>;
}

export interface ImportSummary {
  readonly runKey: string;
  readonly rows: number;
  readonly series: number;
  /** The reporters the file's series belong to (detection looks at them after the import). */
  readonly reporters: readonly string[];
  /** Chunks a resumed import had stored before: not stored again. */
  readonly skippedChunks: number;
  readonly inserted: number;
  readonly revised: number;
  readonly unchanged: number;
  readonly changedFrom: ReadonlyMap<string, string>;
  /** The rows left out (with skipBad), the first MAX_REPORTED of them. */
  readonly skipped: readonly CsvRowError[];
  readonly skippedCount: number;
}

/** A file with rows that cannot be stored, nothing of it stored. */
export class ImportRejectedError extends Error {
  constructor(
    readonly file: string,
    readonly rows: number,
    readonly errors: readonly CsvRowError[],
    readonly errorCount: number,
  ) {
    const more = errorCount > errors.length ? `\n  … and ${errorCount - errors.length} more` : '';
    super(`${file}: ${errorCount} bad row(s) of ${rows}; nothing was stored (--skip-bad stores the good ones):\n${errors.map((e) => `  ${file}:${e.line}: ${e.reason}`).join('\n')}${more}`);
    this.name = 'ImportRejectedError';
  }
}

const MAX_REPORTED = 1_000;
const DEFAULT_CHUNK_ROWS = 5_000;

/**
 * Imports a trade CSV in two streamed passes, so memory stays flat with the file's size: the
 * first checks every row (without skipBad, one bad row and nothing is stored), the second stores
 * the rows chunk by chunk under a run keyed by the file's content. A run cut short (DynamoDB
 * gone midway, the process killed) resumes after its last stored chunk when the same file is
 * imported again; each series' metadata always describes the months actually stored.
 */
export async function importTradeCsvFile(input: ImportInput): Promise<ImportSummary> {
  const name = input.name ?? input.file;
  const checked = await checkTradeCsvFile(input.file, name);
  if (checked.errorCount > 0 && !input.skipBad) throw new ImportRejectedError(name, checked.rows, checked.errors, checked.errorCount);

  const runKey = `import-${checked.digest.slice(0, 20)}${input.skipBad ? '-skip-bad' : ''}`;
  const owner = newRunOwner();
  const record = await input.runs.start(runKey, 'csv', new Date(), owner);
  const tally = new SaveTally();
  let skippedChunks = 0;
  const summary = () => ({
    runKey,
    rows: checked.rows,
    series: checked.series,
    reporters: checked.reporters,
    skippedChunks,
    ...tally.counts(),
    changedFrom: tally.changedFrom,
    skipped: checked.errors,
    skippedCount: checked.errorCount,
  });
  if (record.status === 'DONE') return { ...summary(), skippedChunks: -1 };
  try {
    const completed = await input.runs.completedCalls(runKey);
    const chunkRows = input.chunkRows ?? DEFAULT_CHUNK_ROWS;
    let chunk = 0;
    let rows = 0;
    let batch = new Map<string, { series: SeriesKey; observations: Observation[] }>();
    const store = async () => {
      const call = `${name}#chunk-${chunk}`;
      if (completed.has(callKey(call))) skippedChunks++;
      else {
        const before = tally.observations;
        await saveBatches(input.series, [...batch.values()], input.now.toISOString(), tally);
        await input.runs.checkpoint(runKey, owner, call, { observations: tally.observations - before, quarantined: 0 }, new Date());
      }
      await input.onChunk?.({ chunk, rows });
      chunk++;
      batch = new Map();
    };
    let inChunk = 0;
    for await (const row of readTradeCsv(createReadStream(input.file))) {
      if ('error' in row) continue;
      const id = seriesId(row.key);
      // A chunk ends at a change of series once it is full, so a series given in one run of rows is saved once.
      if (inChunk >= chunkRows && !batch.has(id)) {
        await store();
        inChunk = 0;
      }
      rows++;
      inChunk++;
      const entry = batch.get(id) ?? { series: row.key, observations: [] };
      batch.set(id, entry);
      entry.observations.push(...row.observations);
    }
    if (batch.size > 0) await store();
    await input.runs.finish(runKey, 'DONE', new Date());
  } catch (error) {
    await input.runs.finish(runKey, 'FAILED', new Date(), { reason: (error as Error).message }).catch(() => abandonRunOwner(owner));
    throw new IngestRunFailedError(runKey, error as Error);
  }
  return summary();
}

/** The first pass of an import: every row checked, the bad ones counted (the first MAX_REPORTED kept), the file's digest. */
export async function checkTradeCsvFile(file: string, name = file) {
  const hash = createHash('sha256');
  const stream = createReadStream(file);
  stream.on('data', (chunk) => hash.update(chunk));
  const errors: CsvRowError[] = [];
  const series = new Set<string>();
  const reporters = new Set<string>();
  let rows = 0;
  let errorCount = 0;
  try {
    for await (const row of readTradeCsv(stream)) {
      rows++;
      if ('error' in row) {
        errorCount++;
        if (errors.length < MAX_REPORTED) errors.push({ line: row.line, reason: row.error });
      } else {
        series.add(seriesId(row.key));
        reporters.add(row.key.reporter);
      }
    }
  } catch (error) {
    throw new Error(`cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return { rows, series: series.size, reporters: [...reporters], errors, errorCount, digest: hash.digest('hex') };
}
