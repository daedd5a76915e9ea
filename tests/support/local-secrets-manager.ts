import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalSecretsManager {
  readonly endpoint: string;
  /** The session token each GetSecretValue call was signed with, in order. */
  readonly sessionTokens: readonly string[];
  stop(): Promise<void>;
}

/**
 * A local HTTP server answering Secrets Manager's GetSecretValue (AWS JSON 1.1, as the SDK sends
 * it) from a fixed map of secrets; anything else gets the service's own error shape.
 */
export async function startLocalSecretsManager(secrets: Readonly<Record<string, string>>): Promise<LocalSecretsManager> {
  const sessionTokens: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const reply = (status: number, payload: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(payload));
      };
      if (request.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
        return reply(400, { __type: 'InvalidRequestException', message: `not served here: ${String(request.headers['x-amz-target'])}` });
      }
      sessionTokens.push(String(request.headers['x-amz-security-token'] ?? ''));
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      const value = secrets[SecretId];
      if (value === undefined) return reply(400, { __type: 'ResourceNotFoundException', message: `Secrets Manager can't find the specified secret ${SecretId}.` });
      return reply(200, { ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${SecretId}-AbCdEf`, Name: SecretId, SecretString: value, VersionId: 'v1' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    sessionTokens,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
