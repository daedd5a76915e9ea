import { fileURLToPath } from 'node:url';

/**
 * How every function is bundled: one definition for the stack (NodejsFunction) and for the
 * bundle-size benchmark, so the benchmark measures what is deployed.
 */
export const FUNCTION_BUNDLING = {
  format: 'esm',
  target: 'node24',
  minify: true,
  sourceMap: true,
  mainFields: ['module', 'main'],
  /** ESM bundles still meet CommonJS dependencies that call require. */
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  /** Modules swapped at bundle time; see each target for why. */
  alias: {
    '@aws-sdk/credential-provider-node': fileURLToPath(new URL('../../shared/aws/lambda-credentials.ts', import.meta.url)),
    '@smithy/core/event-streams': fileURLToPath(new URL('../../shared/aws/no-event-streams.ts', import.meta.url)),
  },
} as const;

export const FUNCTION_NAMES = ['plan', 'ingest', 'query', 'drop', 'manage'] as const;
