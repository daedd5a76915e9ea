import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Where an AWS SDK client should talk to. */
export interface AwsConnection {
  readonly region: string;
  /** A local emulator (DynamoDB Local, fauxqs) or another compatible endpoint; unset for AWS itself. */
  readonly endpoint?: string | undefined;
  /** Tighter bounds than the defaults (the fault-injection tests: one attempt, a short wait). */
  readonly limits?: { readonly maxAttempts: number; readonly requestTimeoutMs: number };
}

/**
 * How long an SDK call may wait. Without these the SDK waits for ever: an endpoint that accepts
 * the connection and never answers keeps a publish or a query pending until the Lambda dies.
 */
/** Establishing a TCP (and TLS) connection to the endpoint. */
export const SDK_CONNECTION_TIMEOUT_MS = 3_000;
/** One attempt, from sending the request to the end of the response (the connection included). */
export const SDK_REQUEST_TIMEOUT_MS = 10_000;
/** Attempts per call, the first included: a timed-out attempt is retried like any transient error. */
export const SDK_MAX_ATTEMPTS = 3;
/** Upper bound of the SDK's backoff between two attempts (standard mode: at most 100 ms x 2^attempt, jittered). */
const SDK_RETRY_BACKOFF_BOUND_MS = 1_000;
/**
 * The longest one SDK call can take, retries and backoff included, if every attempt runs into its
 * timeout: what a lease held across SDK calls (the alert lease, the Lambda timeout) must outlast.
 */
export const SDK_CALL_BUDGET_MS =
  SDK_MAX_ATTEMPTS * (SDK_CONNECTION_TIMEOUT_MS + SDK_REQUEST_TIMEOUT_MS) + (SDK_MAX_ATTEMPTS - 1) * SDK_RETRY_BACKOFF_BOUND_MS;

/** Local emulators accept any credentials, but the SDK insists on having some. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

function isLoopback(endpoint: string): boolean {
  const { hostname } = new URL(endpoint);
  return hostname === 'localhost' || hostname.startsWith('127.') || hostname === '[::1]';
}

/**
 * SDK client options: the endpoint when one is set, dummy credentials only for loopback, and for
 * every client the same bounded wait (connection and request timeouts, a fixed number of attempts).
 */
export function sdkClientConfig({ region, endpoint, limits }: AwsConnection) {
  return {
    region,
    maxAttempts: limits?.maxAttempts ?? SDK_MAX_ATTEMPTS,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: SDK_CONNECTION_TIMEOUT_MS,
      requestTimeout: limits?.requestTimeoutMs ?? SDK_REQUEST_TIMEOUT_MS,
      // Without it the handler only logs a warning when requestTimeout passes, and keeps waiting.
      throwOnRequestTimeout: true,
    }),
    ...(endpoint ? { endpoint } : {}),
    ...(endpoint && isLoopback(endpoint) ? { credentials: LOCAL_CREDENTIALS } : {}),
  };
}
