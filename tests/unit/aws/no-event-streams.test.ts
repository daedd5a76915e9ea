import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { FUNCTION_BUNDLING } from '../../../infra/constructs/bundling.js';
import { EventStreamSerde, eventStreamSerdeProvider, resolveEventStreamSerdeConfig } from '../../../shared/aws/no-event-streams.js';

describe('event-stream support left out of the Lambda bundles', () => {
  it('says plainly that it is not bundled, should an operation ever ask for it', () => {
    expect(() => eventStreamSerdeProvider()).toThrow(/Event-stream support is not in this function bundle/);
    expect(() => new EventStreamSerde()).toThrow(/not in this function bundle/);
    const resolved = resolveEventStreamSerdeConfig({ region: 'us-east-1' });
    expect(resolved.region).toBe('us-east-1');
    expect(() => resolved.eventStreamMarshaller.serialize()).toThrow(/not in this function bundle/);
  });

  it('builds the S3 client, which resolves its event-stream marshaller eagerly, without calling the left-out provider', () => {
    const require = createRequire(import.meta.url);
    const s3Client = require.resolve('@aws-sdk/client-s3').replace(/dist-cjs\/.*$/, 'dist-es/S3Client.js');
    const source = readFileSync(s3Client, 'utf8');
    expect(source).toContain('import { resolveEventStreamSerdeConfig, } from "@smithy/core/event-streams";');
    expect(source).toContain('resolveEventStreamSerdeConfig(_config_7)');
  });

  it('replaces exactly the lazy import the SDK protocols make, with the names they take from it', async () => {
    const replacement = FUNCTION_BUNDLING.alias['@smithy/core/event-streams'];
    expect(await import(replacement)).toMatchObject({ EventStreamSerde, eventStreamSerdeProvider });
    const require = createRequire(import.meta.url);
    const protocols = require.resolve('@smithy/core/protocols').replace(/dist-cjs\/.*$/, 'dist-es/submodules/protocols/HttpProtocol.js');
    expect(readFileSync(protocols, 'utf8')).toContain('const { EventStreamSerde, eventStreamSerdeProvider } = await import("@smithy/core/event-streams");');
  });
});
