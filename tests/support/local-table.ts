import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { ensureTable } from '../../shared/local/dynamodb-local.js';
import { createDocumentClient } from '../../shared/store/client.js';
import { createStore } from '../../shared/wiring.js';

/** A new, empty table on the suite's DynamoDB Local, built from the shared table definition and wired as the functions wire theirs. */
export async function freshTable() {
  const connection = { endpoint: inject('dynamoDbEndpoint'), region: 'us-east-1' };
  const tableName = `test-${randomUUID()}`;
  await ensureTable(connection, tableName);
  return {
    connection,
    tableName,
    doc: createDocumentClient(connection),
    ...createStore({ region: connection.region, tableName, dynamoDbEndpoint: connection.endpoint }),
  };
}
