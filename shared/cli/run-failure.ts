import type { StoreSettings } from '../config/environment.js';
import { IngestRunFailedError } from '../ingest/ingest-run.js';
import { RunInProgressError } from '../store/run-repository.js';

/**
 * Why a run (an ingest, an import) failed, whose failure it was (the table's or the upstream's),
 * and how to resume it: `again` is the command that does.
 */
export function runFailureMessage(error: unknown, store: StoreSettings, runKey: string, again: string): string {
  const cause = error instanceof IngestRunFailedError ? error.cause : (error as Error);
  if (cause instanceof RunInProgressError) return cause.message;
  const where = isStoreFailure(cause)
    ? `the table failed (DynamoDB ${store.dynamoDbEndpoint ? `at ${store.dynamoDbEndpoint}` : `in ${store.region}`}, table ${store.tableName}): ${cause.name}: ${cause.message}`
    : cause.message;
  return `run ${runKey} failed: ${where}\nWhat it stored is kept; run ${again} to resume where it stopped.`;
}

/** Errors of the AWS SDK carry $metadata; a request timeout of its HTTP handler names itself. */
function isStoreFailure(error: Error): boolean {
  return '$metadata' in error || error.name === 'TimeoutError' || /ECONNREFUSED|ECONNRESET|socket hang up/.test(error.message);
}
