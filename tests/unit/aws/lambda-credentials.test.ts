import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FUNCTION_BUNDLING } from '../../../infra/constructs/bundling.js';
import { defaultProvider } from '../../../shared/aws/lambda-credentials.js';

describe('the credential chain of the Lambda bundles', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('returns the role credentials Lambda puts in the environment', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'token');
    await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' });
  });

  it('fails with the SDK credentials error when the environment has none', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    await expect(defaultProvider()()).rejects.toThrow(/environment variable credentials/);
  });

  it('is what the function bundles use in place of the Node chain', async () => {
    const replacement = FUNCTION_BUNDLING.alias['@aws-sdk/credential-provider-node'];
    const swappedIn = (await import(replacement)) as Record<string, unknown>;
    expect(swappedIn.defaultProvider).toBe(defaultProvider);
  });

  it.each(['client-dynamodb', 'client-sns', 'client-sqs', 'client-secrets-manager'])('matches what @aws-sdk/%s imports from the Node chain', (client) => {
    const require = createRequire(import.meta.url);
    const runtimeConfig = require.resolve(`@aws-sdk/${client}`).replace(/dist-cjs\/index\.js$/, 'dist-es/runtimeConfig.js');
    expect(readFileSync(runtimeConfig, 'utf8')).toMatch(/import \{ defaultProvider as credentialDefaultProvider \} from "@aws-sdk\/credential-provider-node"/);
  });
});
