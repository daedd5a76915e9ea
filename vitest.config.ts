import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './tests/support/longest-first-sequencer.js';

/**
 * Tests by kind: `unit` (pure code, no Java, no server, seconds), `infra` (the synthesized stack
 * with cdk-nag), `integration` (real DynamoDB Local, fauxqs, local HTTP servers, Chromium).
 * `npm test` runs all three; `npm run test:unit` and `npm run test:integration` one side each.
 */
export default defineConfig({
  test: {
    // Integration files mostly wait on DynamoDB Local, fauxqs and local servers: three at once keep
    // two cores busy, where vitest's default (cores - 1) would run them one by one.
    maxWorkers: 3,
    reporters: ['default', './tests/support/plain-summary-reporter.ts'],
    // The longest files start first, so none of them is left to run alone at the end.
    sequence: { sequencer: LongestFirstSequencer },
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      // A synth takes 10 to 25 s alone with the console's BucketDeployment (its 22 MB AWS CLI layer is staged), and three
      // times that beside the integration files and Chromium: like theirs, this limit only catches a hang.
      { extends: true, test: { name: 'infra', include: ['tests/infra/**/*.test.ts'], testTimeout: 120_000 } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // DynamoDB Local is started once for these; each test file makes its own table.
          globalSetup: ['tests/support/global-setup.ts'],
          // Limits that only catch a hang: files run side by side on two cores with Java, so a test
          // that takes 25 s alone (the demo) can take three times that in a full run.
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
