/**
 * The credential chain of the Lambda bundles, put in place of `@aws-sdk/credential-provider-node`
 * by `infra/bundling.ts`. Lambda always hands a function its role's credentials in environment
 * variables, so the rest of the Node chain (profiles, SSO, STS web identity, instance metadata)
 * would never run there, yet it costs each bundle about 130 KB of nested clients that no bundler
 * can shake out. The CLI and the tests keep the full chain: only the function bundles use this.
 */
import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';

/** Same name and shape as the Node chain's export, which every client's runtime config imports. */
export const defaultProvider = (init?: FromEnvInit) => fromEnv(init);
