import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest, longest first, as a full run on two cores measures them. vitest
 * orders files by the durations it cached from an earlier run, and without that cache (a clean CI
 * checkout) by size, biggest first: the crash-point sweeps, three lines each and the longest files
 * of all, would start last and set the end of the run.
 */
const LONGEST_FIRST = [
  'tests/integration/crash-points-error.test.ts',
  'tests/integration/crash-points-hang.test.ts',
  'tests/integration/readme-commands.test.ts',
  'tests/integration/series-repository.test.ts',
  'tests/integration/alert-pipeline.test.ts',
  'tests/integration/partner-wide-live.test.ts',
  'tests/integration/ingest-runs.test.ts',
  'tests/integration/revisions.test.ts',
];

/** vitest's own order, the files named above moved to the front in the order named. */
export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = LONGEST_FIRST.findIndex((name) => file.moduleId.endsWith(`/${name}`));
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
