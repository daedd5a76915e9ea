import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { announceLocalTarget, cliConfig, useStoreTarget, withdrawLocalTarget } from '../../../shared/cli/store-target.js';

describe('which DynamoDB the CLI queries', () => {
  const cwd = process.cwd();
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tradewatch-cli-'));
    process.chdir(dir);
    useStoreTarget({});
  });
  afterEach(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('defaults to the DynamoDB Local that npm start -- --keep-running announced', () => {
    expect(() => cliConfig({})).toThrow(/npm start -- --keep-running/);
    announceLocalTarget({ endpoint: 'http://127.0.0.1:40000', tableName: 'tradewatch' });
    expect(cliConfig({})).toMatchObject({ dynamoDbEndpoint: 'http://127.0.0.1:40000', tableName: 'tradewatch' });
    withdrawLocalTarget();
    expect(() => cliConfig({})).toThrow(/no DynamoDB to query/);
  });

  it('prefers DYNAMODB_ENDPOINT, and a deployed table named with --table over both', () => {
    announceLocalTarget({ endpoint: 'http://127.0.0.1:40000', tableName: 'tradewatch' });
    expect(cliConfig({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' }).dynamoDbEndpoint).toBe('http://127.0.0.1:8000');
    useStoreTarget({ table: 'tradewatch-prod', region: 'eu-central-1' });
    expect(cliConfig({})).toMatchObject({ tableName: 'tradewatch-prod', region: 'eu-central-1', dynamoDbEndpoint: undefined });
  });
});
