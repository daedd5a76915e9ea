import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault = 'error' | 'hang';

/**
 * Counts the calls that pass through any of its proxies, in order, and decides for each whether
 * it goes through or meets a fault: `error` (the connection is cut before the call reaches the
 * service) or `hang` (the call never reaches the service and no answer comes: the client's own
 * timeout ends it).
 */
export class FaultPlan {
  calls = 0;
  private faultAt: { readonly call: number; readonly fault: Fault } | undefined;

  /** The `call`-th call from now on (1-based) meets `fault`; every other goes through. */
  inject(call: number, fault: Fault): void {
    this.calls = 0;
    this.faultAt = { call, fault };
  }

  reset(): void {
    this.calls = 0;
    this.faultAt = undefined;
  }

  next(): Fault | undefined {
    this.calls++;
    return this.faultAt?.call === this.calls ? this.faultAt.fault : undefined;
  }
}

export interface FaultProxy {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** An HTTP proxy on 127.0.0.1 in front of `target` (DynamoDB Local, fauxqs), faults decided by `plan`. */
export async function startFaultProxy(target: string, plan: FaultPlan): Promise<FaultProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const fault = plan.next();
    if (process.env.FAULT_PROXY_TRACE) console.log(`call ${plan.calls} ${fault ?? 'pass'} ${String(req.headers['x-amz-target'] ?? req.url)}`);
    if (fault === 'error') {
      req.socket.destroy();
      return;
    }
    if (fault === 'hang') return; // read nothing, answer nothing
    const out = forward({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
