import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertChanges, assertAllPublished, type AlertChangesOutcome, type Alerting } from '../alerts/alert-changes.js';
import type { RunRepository } from '../store/run-repository.js';
import type { SeriesRepository } from '../store/series-repository.js';
import { importedReport, rejectedReport } from './drop-report.js';
import { ImportRejectedError, importTradeCsvFile, type ImportSummary } from './import-file.js';

/** Where files are dropped (the bucket's notification and the event reader filter on it). */
export const INCOMING_PREFIX = 'incoming/';

/** Where files are dropped: `incoming/NAME`, moved when handled to `done/NAME` or `rejected/NAME`. */
export interface DropFolder {
  /** Copies `incoming/NAME` to `path`; false when it is not there (an earlier attempt moved it). */
  fetch(name: string, path: string): Promise<boolean>;
  /** Puts `report` at `OUTCOME/NAME.report.txt`, then moves `incoming/NAME` to `OUTCOME/NAME`. */
  settle(name: string, outcome: 'done' | 'rejected', report: string): Promise<void>;
}

export interface DropDependencies {
  readonly series: SeriesRepository;
  readonly runs: RunRepository;
  readonly alerting: Alerting;
  readonly now: () => Date;
}

export type DropOutcome =
  /** Not in incoming/ any more: handled by an earlier attempt (or removed), nothing done. */
  | { readonly outcome: 'gone'; readonly name: string }
  | { readonly outcome: 'done'; readonly name: string; readonly summary: ImportSummary; readonly alerts: AlertChangesOutcome; readonly report: string }
  | { readonly outcome: 'rejected'; readonly name: string; readonly rejected: ImportRejectedError; readonly report: string };

/**
 * One dropped CSV end to end: imported as `tradewatch import` imports it (every row checked first;
 * one bad row and nothing is stored), detected and alerted as a scheduled run alerts, then moved
 * to done/ or rejected/ with its report. The move comes last, after every alert is out: an attempt
 * cut short anywhere leaves the file in incoming/, and the retry resumes the import (its
 * checkpoints are named by NAME, not by the temporary copy) and sends only what is still due. A
 * failed publish throws, so the caller retries.
 */
export async function processDroppedFile(name: string, folder: DropFolder, deps: DropDependencies): Promise<DropOutcome> {
  const dir = await mkdtemp(join(tmpdir(), 'tradewatch-drop-'));
  try {
    const file = join(dir, 'dropped.csv');
    if (!(await folder.fetch(name, file))) return { outcome: 'gone', name };
    let summary: ImportSummary;
    try {
      summary = await importTradeCsvFile({ file, name, series: deps.series, runs: deps.runs, skipBad: false, now: deps.now() });
    } catch (error) {
      if (!(error instanceof ImportRejectedError)) throw error;
      const report = rejectedReport(name, error, deps.now());
      await folder.settle(name, 'rejected', report);
      return { outcome: 'rejected', name, rejected: error, report };
    }
    const alerts = await alertChanges(deps.alerting, summary.reporters);
    assertAllPublished(alerts);
    const report = importedReport(name, summary, alerts, deps.now());
    await folder.settle(name, 'done', report);
    return { outcome: 'done', name, summary, alerts, report };
  } finally {
    // Lambda keeps /tmp between invocations: a large file must not stay there.
    await rm(dir, { recursive: true, force: true });
  }
}
