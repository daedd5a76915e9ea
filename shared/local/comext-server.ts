import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { periodRange } from '../domain/period.js';
import { comextCode } from '../sources/eurostat/comext-codes.js';

/** A monthly figure in euros, as Comext would publish it, with tradewatch's codes (EUU, KGZ). */
export interface ComextFigure {
  readonly reporter: string;
  readonly partner: string;
  readonly flow: 'export' | 'import';
  readonly period: string;
  readonly value: number | null;
  readonly product?: string;
}

export interface LocalComextOptions {
  readonly figures: readonly ComextFigure[];
  /** Appended to every data answer as they are (for malformed-row tests). */
  readonly extraLines?: readonly string[];
  /** The dataset's `LAST UPDATE`, as Comext writes it (day/month/year). */
  readonly lastUpdate?: string;
  /** A query matching more cells (reporters × partners × products × flows × months) is refused: 413 EXTRACTION_TOO_BIG. */
  readonly maxCells?: number;
  /** A query matching more cells than this is answered asynchronously: a key to poll instead of the data. */
  readonly asyncAboveCells?: number;
  /** Status checks an asynchronous extraction answers PROCESSING before it is AVAILABLE (Infinity: never ready). */
  readonly asyncPolls?: number;
}

export interface LocalComextServer {
  readonly baseUrl: string;
  readonly requests: string[];
  /** A new release: other figures under a new LAST UPDATE. */
  publish(figures: readonly ComextFigure[], lastUpdate: string): void;
  stop(): Promise<void>;
}

const HEADER = 'DATAFLOW,LAST UPDATE,freq,reporter,partner,product,flow,indicators,TIME_PERIOD,OBS_VALUE,OBS_FLAG';
const DATA_PATH = /^\/eurostat\/api\/comext\/dissemination\/sdmx\/2\.1\/data\/DS-045409\/([^/?]+)$/;
const ASYNC_PATH = /^\/eurostat\/api\/comext\/dissemination\/1\.0\/async\/(status|data)\/([^/?]+)$/;

const envelope = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><S:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><env:Header/><S:Body>${body}</S:Body></S:Envelope>`;
const fault = (code: string, text: string) => envelope(`<S:Fault><faultcode>${code}</faultcode><faultstring>${text}</faultstring></S:Fault>`);

/**
 * A local server shaped like Eurostat's Comext API for DS-045409: SDMX 2.1 data queries in SDMX-CSV
 * (the key freq.reporter.partner.product.flow.indicators, `+` between values, startPeriod and
 * endPeriod, or lastNObservations), 413 EXTRACTION_TOO_BIG past a number of cells, and the
 * asynchronous API (a queued key, async/status/{key}, async/data/{key}) past another.
 */
export async function startLocalComextServer(input: readonly ComextFigure[] | LocalComextOptions, extraLines: readonly string[] = []): Promise<LocalComextServer> {
  const options: LocalComextOptions = Array.isArray(input) ? { figures: input as readonly ComextFigure[], extraLines } : (input as LocalComextOptions);
  const requests: string[] = [];
  let lastUpdate = options.lastUpdate ?? '20/03/24 23:00:00';
  let rows = toRows(options.figures);
  const extractions = new Map<string, { body: string; polls: number }>();

  const dataAnswer = (url: URL, key: string): { status: number; type: string; body: string } => {
    const [freq, reporters, partners, products, flows, indicator] = key.split('.').map((part) => part.split('+'));
    if (!freq?.includes('M') || !indicator?.includes('VALUE_IN_EUROS') || !reporters || !partners || !products || !flows) {
      return { status: 400, type: 'text/plain', body: 'Unsupported key' };
    }
    const from = url.searchParams.get('startPeriod');
    const to = url.searchParams.get('endPeriod');
    const lastN = url.searchParams.get('lastNObservations');
    const months = lastN ? Number(lastN) : from && to ? periodRange(from, to).length : new Set(rows.map((r) => r.period)).size;
    const cells = reporters.length * partners.length * products.length * flows.length * months;
    if (options.maxCells !== undefined && cells > options.maxCells) {
      return { status: 413, type: 'application/xml', body: fault('413', `EXTRACTION_TOO_BIG: The requested extraction is too big, estimated ${cells} rows, max authorised is ${options.maxCells}, please change your filters to reduce the extraction size`) };
    }
    let matching = rows.filter((r) => reporters.includes(r.reporter) && partners.includes(r.partner) && products.includes(r.product) && flows.includes(r.flow) && (!from || r.period >= from) && (!to || r.period <= to));
    if (lastN) {
      const latest = new Map<string, (typeof rows)[number]>();
      for (const r of matching) {
        const series = `${r.reporter}.${r.partner}.${r.product}.${r.flow}`;
        if (!latest.has(series) || latest.get(series)!.period < r.period) latest.set(series, r);
      }
      matching = [...latest.values()];
    }
    const lines = matching.map((r) => `ESTAT:DS-045409(1.0),${lastUpdate},M,${r.reporter},${r.partner},${r.product},${r.flow},VALUE_IN_EUROS,${r.period},${r.value ?? ''},${r.value === null ? 'c' : ''}`);
    const csv = `${[HEADER, ...lines, ...(options.extraLines ?? [])].join('\n')}\n`;
    if (options.asyncAboveCells !== undefined && cells > options.asyncAboveCells) {
      const id = randomUUID();
      extractions.set(id, { body: csv, polls: 0 });
      const queued = `<ns0:syncResponse xmlns:ns0="http://estat.ec.europa.eu/disschain/soap/extraction"><queued><id>${id}</id><status>SUBMITTED</status></queued></ns0:syncResponse>`;
      return { status: 200, type: 'application/xml', body: envelope(queued) };
    }
    return { status: 200, type: 'text/csv', body: csv };
  };

  const asyncAnswer = (kind: string, id: string): { status: number; type: string; body: string } => {
    const extraction = extractions.get(id);
    if (!extraction) return { status: 400, type: 'application/xml', body: fault('100', 'UNKNOWN_REQUEST: Unknown request.') };
    const ready = extraction.polls >= (options.asyncPolls ?? 1);
    if (kind === 'data') {
      return ready ? { status: 200, type: 'text/csv', body: extraction.body } : { status: 400, type: 'application/xml', body: fault('100', 'DATA_NOT_YET_AVAILABLE: Requested data is not yet available for download. Check the status of your request.') };
    }
    extraction.polls++;
    const status = ready ? 'AVAILABLE' : 'PROCESSING';
    const answer = `<ns0:asyncResponse xmlns:ns1="http://estat.ec.europa.eu/disschain/asynchronous" xmlns:ns0="http://estat.ec.europa.eu/disschain/soap/asynchronous"><ns1:status><ns1:key>${id}</ns1:key><ns1:status>${status}</ns1:status></ns1:status></ns0:asyncResponse>`;
    return { status: 200, type: 'application/xml', body: envelope(answer) };
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    const data = DATA_PATH.exec(url.pathname);
    const async = ASYNC_PATH.exec(url.pathname);
    const answer =
      data && url.searchParams.get('format') === 'SDMX-CSV'
        ? dataAnswer(url, data[1]!)
        : async
          ? asyncAnswer(async[1]!, async[2]!)
          : { status: 404, type: 'text/plain', body: 'No such dataflow or format' };
    res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    publish(figures, update) {
      rows = toRows(figures);
      lastUpdate = update;
    },
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function toRows(figures: readonly ComextFigure[]) {
  return figures.map((f) => ({
    reporter: comextCode(f.reporter, 'reporter'),
    partner: comextCode(f.partner, 'partner'),
    product: f.product ?? 'TOTAL',
    flow: f.flow === 'import' ? '1' : '2',
    period: f.period,
    value: f.value,
  }));
}
