import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import type { Groups } from '../domain/groups.js';
import { MANAGE_ROUTES, QUERY_ROUTES, splitRoute } from '../query/console-routes.js';
import { handleQuery, type QueryDependencies, type QueryRequest, type QueryResponse } from '../query/query-api.js';
import { buildConsole, CONTENT_TYPES } from './build.js';
import { consoleContentSecurityPolicy } from './security-headers.js';

/** A request to the watchlist and subscription routes: a query request and its JSON body, as API Gateway hands it over. */
export interface ManageRequest extends QueryRequest {
  readonly body?: string | undefined;
}
export type ManageHandler = (request: ManageRequest) => Promise<QueryResponse>;


export interface ConsoleServerOptions {
  readonly query: QueryDependencies;
  readonly manage: ManageHandler;
  readonly groups: Groups;
  /** The store holds the demo's generated figures: the console says so on every page. */
  readonly illustrative?: boolean;
  /** 0 (the default) takes a free port. */
  readonly port?: number;
}

export interface ConsoleServer {
  readonly url: string;
  stop(): Promise<void>;
}

const API_PREFIX = '/api';
const MAX_BODY_BYTES = 64 * 1024;

/** Route templates (`/series/{id}/chart`) as patterns that capture their parameters. */
const ROUTES = [...QUERY_ROUTES.map((route) => ({ route, kind: 'query' as const })), ...MANAGE_ROUTES.map((route) => ({ route, kind: 'manage' as const }))].map(({ route, kind }) => {
  const { method, path } = splitRoute(route);
  const names: string[] = [];
  const pattern = new RegExp(
    `^${path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}$`,
  );
  return { route, kind, method, pattern, names };
});

function matchRoute(method: string, path: string) {
  for (const candidate of ROUTES) {
    const match = candidate.method === method ? candidate.pattern.exec(path) : null;
    if (match) return { ...candidate, pathParameters: Object.fromEntries(candidate.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)])) };
  }
  return undefined;
}

class BodyTooLargeError extends Error {}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError(`a request body is at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return chunks.length > 0 ? Buffer.concat(chunks).toString('utf8') : undefined;
}

interface Encoded {
  readonly raw: Uint8Array;
  readonly br: Uint8Array;
  readonly gzip: Uint8Array;
}

/** A file in the encodings the browser accepts, compressed once, as hard as brotli goes: the console's own files. */
function compressedOnce(body: Uint8Array): Encoded {
  return { raw: body, br: brotliCompressSync(body), gzip: gzipSync(body) };
}

/** An API answer, compressed as it goes out, at a quick brotli level (its quality 11 costs tens of ms on a list). */
function compressedQuickly(body: Uint8Array): Encoded {
  let br: Uint8Array | undefined;
  let gzip: Uint8Array | undefined;
  return {
    raw: body,
    get br() {
      br ??= brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } });
      return br;
    },
    get gzip() {
      gzip ??= gzipSync(body);
      return gzip;
    },
  };
}

function send(request: IncomingMessage, response: ServerResponse, status: number, type: string, body: Encoded, cache: string): void {
  const accepts = String(request.headers['accept-encoding'] ?? '');
  const encoding = /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : undefined;
  response.writeHead(status, {
    'content-type': type,
    'cache-control': cache,
    vary: 'accept-encoding',
    'content-security-policy': consoleContentSecurityPolicy(),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(encoding ? { 'content-encoding': encoding } : {}),
  });
  response.end(encoding ? body[encoding] : body.raw);
}

/**
 * The console on 127.0.0.1, no sign-in: its files, a config.json pointing it at `/api`, and the
 * API's routes under `/api`, answered by the same handlers the Lambdas use.
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const files = new Map([...(await buildConsole())].map(([path, contents]) => [path, compressedOnce(contents)]));
  const config = { apiUrl: API_PREFIX, groups: options.groups, ...(options.illustrative ? { illustrative: true } : {}) };
  files.set('/config.json', compressedOnce(new TextEncoder().encode(JSON.stringify(config))));

  const answer = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
      const path = url.pathname === '/' ? '/index.html' : url.pathname;
      const file = method === 'GET' ? files.get(path) : undefined;
      if (!file) return send(request, response, 404, 'text/plain', compressedQuickly(new TextEncoder().encode('not found')), 'no-store');
      const immutable = /^\/app-[\w-]+\.(js|css)$/.test(path);
      return send(request, response, 200, CONTENT_TYPES[extname(path)] ?? 'application/octet-stream', file, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    }
    const route = matchRoute(method, url.pathname.slice(API_PREFIX.length));
    let result: QueryResponse;
    if (!route) {
      result = { statusCode: 404, body: { error: `no route ${method} ${url.pathname}` } };
    } else {
      const queryRequest = { routeKey: route.route, pathParameters: route.pathParameters, queryStringParameters: Object.fromEntries(url.searchParams) };
      result = route.kind === 'query' ? await handleQuery(queryRequest, options.query) : await options.manage({ ...queryRequest, body: await readBody(request) });
    }
    const body = result.contentType ? String(result.body) : JSON.stringify(result.body);
    send(request, response, result.statusCode, result.contentType ?? 'application/json', compressedQuickly(new TextEncoder().encode(body)), 'no-store');
  };

  const server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      const status = error instanceof BodyTooLargeError ? 413 : 500;
      if (status === 500) console.error('tradewatch console:', error);
      if (!response.headersSent) response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: status === 413 ? (error as Error).message : 'internal error' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
