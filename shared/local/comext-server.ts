import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countryByIso3 } from '../domain/countries.js';

/** A monthly figure in euros, as Comext would publish it. */
export interface ComextFigure {
  readonly reporter: string;
  readonly partner: string;
  readonly flow: 'export' | 'import';
  readonly period: string;
  readonly value: number | null;
  readonly product?: string;
}

export interface LocalComextServer {
  readonly baseUrl: string;
  readonly requests: string[];
  stop(): Promise<void>;
}

const HEADER = 'DATAFLOW,LAST UPDATE,freq,reporter,partner,product,flow,indicators,TIME_PERIOD,OBS_VALUE,OBS_FLAG';
const PATH = /^\/eurostat\/api\/comext\/dissemination\/sdmx\/2\.1\/data\/DS-045409\/([^/?]+)$/;

/**
 * A local server shaped like Eurostat's Comext SDMX 2.1 API for DS-045409 in SDMX-CSV: the key
 * freq.reporter.partner.product.flow.indicators, `+` between values, startPeriod and endPeriod.
 * `extraLines` are appended to every answer as they are (for malformed-row tests).
 */
export async function startLocalComextServer(figures: readonly ComextFigure[], extraLines: readonly string[] = []): Promise<LocalComextServer> {
  const requests: string[] = [];
  const rows = figures.map((f) => ({
    reporter: countryByIso3(f.reporter)!.iso2,
    partner: countryByIso3(f.partner)!.iso2,
    product: f.product ?? 'TOTAL',
    flow: f.flow === 'import' ? '1' : '2',
    period: f.period,
    value: f.value,
  }));
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    const match = PATH.exec(url.pathname);
    if (!match || url.searchParams.get('format') !== 'SDMX-CSV') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('No such dataflow or format');
      return;
    }
    const [freq, reporters, partners, products, flows, indicator] = match[1]!.split('.').map((part) => part.split('+'));
    const from = url.searchParams.get('startPeriod') ?? '0000-00';
    const to = url.searchParams.get('endPeriod') ?? '9999-99';
    if (!freq?.includes('M') || !indicator?.includes('VALUE_IN_EUROS')) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Unsupported key');
      return;
    }
    const lines = rows
      .filter((r) => reporters!.includes(r.reporter) && partners!.includes(r.partner) && products!.includes(r.product) && flows!.includes(r.flow) && r.period >= from && r.period <= to)
      .map((r) => `ESTAT:DS-045409(1.0),20/03/24 23:00:00,M,${r.reporter},${r.partner},${r.product},${r.flow},VALUE_IN_EUROS,${r.period},${r.value ?? ''},${r.value === null ? 'c' : ''}`);
    res.writeHead(200, { 'content-type': 'text/csv' }).end(`${[HEADER, ...lines, ...extraLines].join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
