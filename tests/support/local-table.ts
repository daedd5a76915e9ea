import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { ensureTable } from '../../shared/local/dynamodb-local.js';
import { AlertRepository } from '../../shared/store/alert-repository.js';
import { createDocumentClient } from '../../shared/store/client.js';
import { SeriesRepository } from '../../shared/store/series-repository.js';
import { SilenceRepository } from '../../shared/store/silence-repository.js';
import { RunRepository } from '../../shared/store/run-repository.js';

/** A new, empty table on the suite's DynamoDB Local, built from the shared table definition. */
export async function freshTable() {
  const connection = { endpoint: inject('dynamoDbEndpoint'), region: 'us-east-1' };
  const tableName = `test-${randomUUID()}`;
  await ensureTable(connection, tableName);
  const doc = createDocumentClient(connection);
  return {
    connection,
    tableName,
    doc,
    series: new SeriesRepository(doc, tableName),
    alerts: new AlertRepository(doc, tableName),
    silences: new SilenceRepository(doc, tableName),
    runs: new RunRepository(doc, tableName),
  };
}
