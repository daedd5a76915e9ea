import { createServer, type Server, type Socket } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnsAlertPublisher, createSnsClient } from '../../shared/alerts/sns-publisher.js';
import { SDK_CALL_BUDGET_MS, SDK_MAX_ATTEMPTS, SDK_REQUEST_TIMEOUT_MS } from '../../shared/aws/client-config.js';
import { createDocumentClient } from '../../shared/store/client.js';

/** An endpoint that accepts every connection, reads what it is sent, and never answers. */
function startSilentServer(): Promise<{ endpoint: string; connections: () => number; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        connections: () => accepted,
        stop: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Generous: several times the budget would still be far below the 5-minute alert lease. */
const BOUND_MS = 60_000;

describe('every SDK client gives up on an endpoint that never answers', () => {
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  beforeAll(async () => {
    silent = await startSilentServer();
  });
  afterAll(async () => {
    await silent.stop();
  });

  it('keeps its worst case well inside the bound the test allows', () => {
    expect(SDK_CALL_BUDGET_MS).toBeLessThan(BOUND_MS);
  });

  it('rejects an SNS publish and a DynamoDB GetItem with a timeout error, within the bound', async () => {
    const connection = { region: 'us-east-1', endpoint: silent.endpoint };
    const sns = createSnsClient(connection);
    const doc = createDocumentClient(connection);
    const publisher = new SnsAlertPublisher(sns, 'arn:aws:sns:us-east-1:000000000000:tradewatch-alerts');
    const timed = async (call: () => Promise<unknown>) => {
      const start = Date.now();
      const error = await call().then(
        () => new Error('the call resolved against a server that never answers'),
        (e: unknown) => e as Error,
      );
      return { error, ms: Date.now() - start };
    };
    try {
      const [publish, get] = await Promise.all([
        timed(() =>
          publisher.publish({ subject: 'test', structuredMessage: JSON.stringify({ default: 'test' }), attributes: { route: 'feed' } }),
        ),
        timed(() => doc.send(new GetCommand({ TableName: 'tradewatch', Key: { pk: 'SERIES#x', sk: 'META' } }))),
      ]);
      for (const { error, ms } of [publish, get]) {
        expect(error.name).toBe('TimeoutError');
        expect(error.message).toMatch(/requestTimeout/);
        expect(ms).toBeLessThan(BOUND_MS);
        // It did wait for the request timeout rather than fail for some other reason at once.
        expect(ms).toBeGreaterThanOrEqual(SDK_REQUEST_TIMEOUT_MS);
      }
      // Each call was retried, and no more than the configured number of times.
      expect(silent.connections()).toBeGreaterThanOrEqual(2);
      expect(silent.connections()).toBeLessThanOrEqual(2 * SDK_MAX_ATTEMPTS);
    } finally {
      sns.destroy();
      doc.destroy();
    }
  }, 120_000);
});
