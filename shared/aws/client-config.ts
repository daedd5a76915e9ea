/** Where an AWS SDK client should talk to. */
export interface AwsConnection {
  readonly region: string;
  /** A local emulator (DynamoDB Local, fauxqs) or another compatible endpoint; unset for AWS itself. */
  readonly endpoint?: string | undefined;
}

/** Local emulators accept any credentials, but the SDK insists on having some. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

function isLoopback(endpoint: string): boolean {
  const { hostname } = new URL(endpoint);
  return hostname === 'localhost' || hostname.startsWith('127.') || hostname === '[::1]';
}

/** SDK client options: the endpoint when one is set, and dummy credentials only for loopback. */
export function sdkClientConfig({ region, endpoint }: AwsConnection) {
  return {
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(endpoint && isLoopback(endpoint) ? { credentials: LOCAL_CREDENTIALS } : {}),
  };
}
