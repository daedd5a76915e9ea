import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { comtradeMonthlyRecord, type ServedFigure } from './comtrade-records-builder.js';

/** What the server does instead of answering normally. */
export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string; readonly body?: string }
  /** Answers normally, but only after `ms`: longer than the client's timeout, it is a timeout. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Sends the first half of the body and closes the connection (a connection cut mid-body). */
  | { readonly kind: 'truncate' }
  /** A complete HTTP answer whose JSON is cut in half (a proxy or cache that kept half a body). */
  | { readonly kind: 'truncated-json' }
  /** Answers with the records changed by `mutate` (wrong-typed or missing fields). */
  | { readonly kind: 'reshape'; readonly mutate: (record: Record<string, unknown>, index: number) => Record<string, unknown> }
  | { readonly kind: 'empty' };

export interface ServedRequest {
  readonly path: string;
  readonly query: Record<string, string>;
  readonly apiKey: string | undefined;
  readonly receivedAt: number;
  readonly fault: Fault['kind'] | undefined;
  status: number;
}

export interface LocalComtradeServerOptions {
  readonly figures: readonly ServedFigure[];
  /** When set, the keyed endpoint answers 401 to any other key. */
  readonly apiKey?: string;
  /** When each reporter-month was last released (getDa's lastReleased); 2024-03-20 by default. */
  readonly releasedOn?: (reporterCode: number, period: string) => string;
  /** Decides, per data request (0-based count), whether to inject a fault. */
  readonly faults?: (request: ServedRequest, index: number) => Fault | undefined;
}

export interface LocalComtradeServer {
  readonly baseUrl: string;
  readonly requests: readonly ServedRequest[];
  setFaults(faults: LocalComtradeServerOptions['faults']): void;
  stop(): Promise<void>;
}

const PREVIEW_CAP = 500;
const KEYED_CAP = 100_000;

/** Comtrade answers a malformed parameter with an empty result and no error: so do we. */
function parseList(value: string | undefined, pattern: RegExp): string[] | undefined | null {
  if (value === undefined || value === '') return undefined;
  const items = value.split(',');
  return items.every((item) => pattern.test(item)) ? items : null;
}

function envelope(data: unknown[]): string {
  return JSON.stringify({ elapsedTime: '0.01 secs', count: data.length, data, error: '' });
}

/**
 * A local HTTP server shaped like the UN Comtrade v1 API (keyed data, keyless preview and data availability),
 * serving given figures, with faults injected on demand. Used by `npm start` and by the tests.
 */
export async function startLocalComtradeServer(options: LocalComtradeServerOptions): Promise<LocalComtradeServer> {
  const records = options.figures.map((figure) => comtradeMonthlyRecord(figure));
  let faults = options.faults;
  const requests: ServedRequest[] = [];
  let dataRequests = 0;

  const select = (query: Record<string, string>): unknown[] | null => {
    const reporters = parseList(query.reporterCode, /^\d+$/);
    const partners = parseList(query.partnerCode, /^\d+$/);
    const periods = parseList(query.period, /^\d{4}(0[1-9]|1[0-2])$/);
    const flows = parseList(query.flowCode, /^(X|M)$/);
    const commodities = parseList(query.cmdCode, /^(TOTAL|AG[246]|\d{2,6})$/);
    if ([reporters, partners, periods, flows, commodities].includes(null)) return null;
    return records.filter(
      (r) =>
        (!reporters || reporters.includes(String(r.reporterCode))) &&
        (!partners || partners.includes(String(r.partnerCode))) &&
        (!periods || periods.includes(String(r.period))) &&
        (!flows || flows.includes(String(r.flowCode))) &&
        (!commodities || commodities.some((asked) => asked === String(r.cmdCode) || asked === `AG${String(r.cmdCode).length}`)),
    );
  };

  const handle = async (_req: IncomingMessage, res: ServerResponse, served: ServedRequest) => {
    if (served.path === '/data/v1/getDa/C/M/HS' || served.path === '/public/v1/getDa/C/M/HS') {
      const releasedOn = options.releasedOn ?? (() => '2024-03-20');
      const reporters = parseList(served.query.reporterCode, /^\d+$/);
      const periods = parseList(served.query.period, /^\d{4}(0[1-9]|1[0-2])$/);
      const seen = new Set<string>();
      const rows: unknown[] = [];
      if (reporters !== null && periods !== null) {
        for (const r of records) {
          const key = `${r.reporterCode}/${r.period}`;
          if (seen.has(key) || (reporters && !reporters.includes(String(r.reporterCode))) || (periods && !periods.includes(String(r.period)))) continue;
          seen.add(key);
          rows.push({ typeCode: 'C', freqCode: 'M', reporterCode: r.reporterCode, reporterISO: r.reporterISO, period: r.period, classificationCode: 'H6', lastReleased: `${releasedOn(Number(r.reporterCode), String(r.period))}T00:00:00` });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(envelope(rows));
      return;
    }
    const isKeyed = served.path === '/data/v1/get/C/M/HS';
    const isPreview = served.path === '/public/v1/preview/C/M/HS';
    if (!isKeyed && !isPreview) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode: 404, message: 'Resource not found' }));
      return;
    }
    if (isKeyed && options.apiKey !== undefined && served.apiKey !== options.apiKey) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(
        JSON.stringify({ statusCode: 401, message: 'Access denied due to invalid subscription key.' }),
      );
      return;
    }
    const fault = faults?.(served, dataRequests++);
    (served as { fault: Fault['kind'] | undefined }).fault = fault?.kind;
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      res.writeHead(fault.status, headers).end(fault.body ?? JSON.stringify({ statusCode: fault.status, message: 'Injected fault' }));
      return;
    }
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    const cap = Math.min(Number(served.query.maxRecords ?? KEYED_CAP) || KEYED_CAP, isPreview ? PREVIEW_CAP : KEYED_CAP);
    let data = fault?.kind === 'empty' ? [] : (select(served.query) ?? []).slice(0, cap);
    if (fault?.kind === 'reshape') data = data.map((r, i) => fault.mutate({ ...(r as Record<string, unknown>) }, i));
    const full = envelope(data);
    const body = fault?.kind === 'truncated-json' ? full.slice(0, Math.floor(full.length / 2)) : full;
    if (res.destroyed) return;
    if (fault?.kind === 'truncate') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
      res.write(body.slice(0, Math.floor(body.length / 2)));
      res.destroy();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const served: ServedRequest = {
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      apiKey: (req.headers['ocp-apim-subscription-key'] as string | undefined) ?? url.searchParams.get('subscription-key') ?? undefined,
      receivedAt: Date.now(),
      fault: undefined,
      status: 0,
    };
    requests.push(served);
    res.on('finish', () => (served.status = res.statusCode));
    handle(req, res, served).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    setFaults: (next) => {
      faults = next;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
