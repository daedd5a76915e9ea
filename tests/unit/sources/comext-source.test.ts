import { afterEach, describe, expect, it, vi } from 'vitest';
import { areaInputSchema, countryName, resolveArea } from '../../../shared/domain/countries.js';
import { parseAsyncStatus, parseDataAnswer } from '../../../shared/sources/eurostat/comext-answer.js';
import { comextCode, storedCode } from '../../../shared/sources/eurostat/comext-codes.js';
import { planComextCalls, splitComextCall } from '../../../shared/sources/eurostat/comext-request-plan.js';
import { ComextSource } from '../../../shared/sources/eurostat/comext-source.js';
import type { SourceRequest, SourceResult } from '../../../shared/sources/trade-source.js';

const BASE = 'https://comext.test';
const CSV_HEADER = 'DATAFLOW,LAST UPDATE,freq,reporter,partner,product,flow,indicators,TIME_PERIOD,OBS_VALUE,OBS_FLAG';
const csvRow = (reporter: string, partner: string, period: string, value: number, update = '15/05/24 11:00:00') =>
  `ESTAT:DS-045409(1.0),${update},M,${reporter},${partner},TOTAL,2,VALUE_IN_EUROS,${period},${value},`;
const QUEUED = (id: string) =>
  `<?xml version="1.0"?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><ns0:syncResponse xmlns:ns0="http://estat.ec.europa.eu/disschain/soap/extraction"><queued><id>${id}</id><status>SUBMITTED</status></queued></ns0:syncResponse></S:Body></S:Envelope>`;
const STATUS = (id: string, status: string) =>
  `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><ns0:asyncResponse xmlns:ns1="http://estat.ec.europa.eu/disschain/asynchronous" xmlns:ns0="http://estat.ec.europa.eu/disschain/soap/asynchronous"><ns1:status><ns1:key>${id}</ns1:key><ns1:status>${status}</ns1:status></ns1:status></ns0:asyncResponse></S:Body></S:Envelope>`;
const KEY = '0f164c29-0e96-4757-9b81-e9fcff8b9899';

/** Answers fetch from a function of the URL, and records the URLs asked. */
function fakeUpstream(answer: (url: URL) => { status?: number; body: string }) {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (input: string) => {
    const url = new URL(input);
    asked.push(decodeURIComponent(url.pathname + url.search));
    const { status = 200, body } = answer(url);
    return new Response(body, { status });
  });
  return asked;
}

async function collect(results: AsyncIterable<SourceResult>): Promise<SourceResult[]> {
  const all: SourceResult[] = [];
  for await (const result of results) all.push(result);
  return all;
}

const request = (over: Partial<SourceRequest> = {}): SourceRequest => ({ reporter: 'EUU', partners: ['KGZ'], flows: ['export'], periods: ['2023-01', '2023-02'], commodity: 'TOTAL', ...over });

/** A clock that moves only when the source sleeps: waits are counted, never spent. */
function fakeClock() {
  const clock = { time: 0, wokeAt: [] as number[] };
  return {
    clock,
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.time += ms;
      clock.wokeAt.push(clock.time);
    },
  };
}

afterEach(() => vi.unstubAllGlobals());

describe('Comext codes', () => {
  it('reads Comext codes as people type them, stored as tradewatch codes', () => {
    expect(['EU27_2020', 'eu27_2020', 'EUU'].map((typed) => resolveArea(typed)?.code)).toEqual(['EUU', 'EUU', 'EUU']);
    expect(['WORLD', 'world', 'W00'].map((typed) => resolveArea(typed)?.code)).toEqual(['W00', 'W00', 'W00']);
    expect(['EU27_2020_EXTRA', 'EXT_EU27_2020', 'EUX'].map((typed) => resolveArea(typed)?.code)).toEqual(['EUX', 'EUX', 'EUX']);
    expect(resolveArea('EU27_2020_INTRA')).toEqual({ code: 'EUI', name: 'Intra-EU27 (within the European Union)' });
    expect(['KG', 'kgz', 'EL', 'GR'].map((typed) => areaInputSchema.parse(typed))).toEqual(['KGZ', 'KGZ', 'GRC', 'GRC']);
    expect(countryName('EUX')).toBe('Extra-EU27 (outside the European Union)');
  });

  it('writes stored codes as Comext does, and reads Comext answers back', () => {
    expect(['EUU', 'W00', 'EUX', 'EUI', 'KGZ', 'GRC', 'DEU'].map((code) => comextCode(code, 'partner'))).toEqual(['EU27_2020', 'WORLD', 'EU27_2020_EXTRA', 'EU27_2020_INTRA', 'KG', 'GR', 'DE']);
    expect(['EU27_2020', 'WORLD', 'EU27_2020_EXTRA', 'EU27_2020_INTRA', 'KG', 'GR', 'EL'].map(storedCode)).toEqual(['EUU', 'W00', 'EUX', 'EUI', 'KGZ', 'GRC', 'GRC']);
    // Comext-only partners (Northern Ireland, the UK without it) are not stored; 490 has no Comext code.
    expect([storedCode('XI'), storedCode('XU'), storedCode('W0')]).toEqual([undefined, undefined, undefined]);
    expect(() => comextCode('490', 'partner')).toThrow(/partner "490" has no Eurostat Comext code/);
  });
});

describe('Comext calls', () => {
  it('plans 12 months a call in Comext codes, and refuses what Comext is not asked for', () => {
    const calls = planComextCalls(request({ partners: ['KGZ', 'W00', 'EUX'], flows: ['export', 'import'], periods: ['2022-01', '2022-06', '2022-12', '2023-01'] }), BASE);
    expect(calls).toEqual([
      { reporter: 'EU27_2020', partners: ['KG', 'WORLD', 'EU27_2020_EXTRA'], products: ['TOTAL'], flows: ['2', '1'], periods: ['2022-01', '2022-06', '2022-12'] },
      { reporter: 'EU27_2020', partners: ['KG', 'WORLD', 'EU27_2020_EXTRA'], products: ['TOTAL'], flows: ['2', '1'], periods: ['2023-01'] },
    ]);
    expect(new ComextSource({ baseUrl: BASE }).plan(request())).toEqual([
      `GET ${BASE}/eurostat/api/comext/dissemination/sdmx/2.1/data/DS-045409/M.EU27_2020.KG.TOTAL.2.VALUE_IN_EUROS?format=SDMX-CSV&startPeriod=2023-01&endPeriod=2023-02`,
    ]);
    expect(() => planComextCalls(request({ commodity: 'AG2' }), BASE)).toThrow(/no AG2\/AG4\/AG6 levels/);
  });

  it('halves a call by partners, then months, then flows, then products', () => {
    const call = { reporter: 'DE', partners: ['KG', 'KZ'], products: ['84', '85'], flows: ['1', '2'], periods: ['2023-01', '2023-02'] };
    const [a] = splitComextCall(call) as [typeof call, typeof call];
    expect(a.partners).toEqual(['KG']);
    const [b] = splitComextCall(a) as [typeof call, typeof call];
    expect(b.periods).toEqual(['2023-01']);
    const [c] = splitComextCall(b) as [typeof call, typeof call];
    expect(c.flows).toEqual(['1']);
    const [d] = splitComextCall(c) as [typeof call, typeof call];
    expect(d.products).toEqual(['84']);
    expect(splitComextCall(d)).toEqual([]);
  });
});

describe('Comext answers', () => {
  it('tells data from an asynchronous key, and reads a status', () => {
    expect(parseDataAnswer(`${CSV_HEADER}\n${csvRow('DE', 'KG', '2023-01', 5)}\n`)).toMatchObject({ rows: [{ line: 2, record: { partner: 'KG', OBS_VALUE: '5' } }] });
    expect(parseDataAnswer(QUEUED(KEY))).toEqual({ queued: KEY });
    expect(() => parseDataAnswer('<S:Envelope><S:Fault>oops</S:Fault></S:Envelope>')).toThrow(/neither data nor an asynchronous key/);
    expect(['SUBMITTED', 'PROCESSING', 'AVAILABLE', 'EXPIRED'].map((s) => parseAsyncStatus(STATUS(KEY, s)))).toEqual(['SUBMITTED', 'PROCESSING', 'AVAILABLE', 'EXPIRED']);
  });

  it('splits a query Comext answers 413 EXTRACTION_TOO_BIG, and fails alone a call that cannot be split', async () => {
    const asked = fakeUpstream((url) => {
      const partners = url.pathname.split('/').at(-1)!.split('.')[2]!.split('+');
      if (partners.length > 1) return { status: 413, body: '<S:Fault><faultcode>413</faultcode><faultstring>EXTRACTION_TOO_BIG</faultstring></S:Fault>' };
      // Armenia is too big even for one month.
      if (partners[0] === 'AM') return { status: 413, body: 'EXTRACTION_TOO_BIG' };
      return { body: `${CSV_HEADER}\n${csvRow('EU27_2020', partners[0]!, '2023-01', 10)}\n${csvRow('EU27_2020', partners[0]!, '2023-02', 20)}\n` };
    });
    const source = new ComextSource({ baseUrl: BASE, minIntervalMs: 0 });
    const results = await collect(source.fetch(request({ partners: ['KGZ', 'ARM'] })));
    expect(asked.map((u) => u.split('/DS-045409/')[1])).toEqual([
      'M.EU27_2020.KG+AM.TOTAL.2.VALUE_IN_EUROS?format=SDMX-CSV&startPeriod=2023-01&endPeriod=2023-02',
      'M.EU27_2020.KG.TOTAL.2.VALUE_IN_EUROS?format=SDMX-CSV&startPeriod=2023-01&endPeriod=2023-02',
      'M.EU27_2020.AM.TOTAL.2.VALUE_IN_EUROS?format=SDMX-CSV&startPeriod=2023-01&endPeriod=2023-02',
      'M.EU27_2020.AM.TOTAL.2.VALUE_IN_EUROS?format=SDMX-CSV&startPeriod=2023-01&endPeriod=2023-01',
      'M.EU27_2020.AM.TOTAL.2.VALUE_IN_EUROS?format=SDMX-CSV&startPeriod=2023-02&endPeriod=2023-02',
    ]);
    expect(results.map((r) => r.failed ?? 'ok')).toEqual(['ok', expect.stringMatching(/413 EXTRACTION_TOO_BIG even for reporter EU27_2020, partner AM, product TOTAL, flow 2, 2023-01/), expect.stringMatching(/even for .* 2023-02/)]);
    expect(results[0]!.batches[0]).toMatchObject({ series: { source: 'eurostat-comext', reporter: 'EUU', partner: 'KGZ', currency: 'EUR' }, observations: [{ period: '2023-01', value: 10 }, { period: '2023-02', value: 20 }] });
  });

  it('follows an asynchronous answer: polls the status until AVAILABLE, then downloads the data', async () => {
    let polls = 0;
    const asked = fakeUpstream((url) => {
      if (url.pathname.endsWith(`/async/status/${KEY}`)) return { body: STATUS(KEY, ++polls < 3 ? 'PROCESSING' : 'AVAILABLE') };
      if (url.pathname.endsWith(`/async/data/${KEY}`)) return { body: `${CSV_HEADER}\n${csvRow('EU27_2020', 'KG', '2023-01', 7)}\n` };
      return { body: QUEUED(KEY) };
    });
    const { clock, now, sleep } = fakeClock();
    const source = new ComextSource({ baseUrl: BASE, minIntervalMs: 0, asyncPollIntervalMs: 5_000, asyncMaxWaitMs: 60_000, now, sleep });
    const [result] = await collect(source.fetch(request()));
    expect(result!.failed).toBeUndefined();
    expect(result!.call).toMatch(/DS-045409\/M\.EU27_2020\.KG/);
    expect(result!.batches[0]!.observations).toEqual([{ period: '2023-01', value: 7, state: 'published' }]);
    expect(asked.slice(1).map((u) => u.replace(/.*\/async\//, ''))).toEqual([`status/${KEY}`, `status/${KEY}`, `status/${KEY}`, `data/${KEY}`]);
    expect(clock.wokeAt).toEqual([5_000, 10_000]);
  });

  it('gives up on an extraction still not ready after the bounded wait: that call fails, the next is made', async () => {
    fakeUpstream((url) => {
      if (url.pathname.includes('/async/status/')) return { body: STATUS(KEY, 'PROCESSING') };
      if (url.searchParams.get('startPeriod') === '2023-01') return { body: QUEUED(KEY) };
      return { body: `${CSV_HEADER}\n${csvRow('EU27_2020', 'KG', '2024-01', 9)}\n` };
    });
    const { clock, now, sleep } = fakeClock();
    const source = new ComextSource({ baseUrl: BASE, minIntervalMs: 0, asyncPollIntervalMs: 10_000, asyncMaxWaitMs: 30_000, now, sleep });
    const periods = [...Array.from({ length: 12 }, (_, i) => `2023-${String(i + 1).padStart(2, '0')}`), '2024-01'];
    const results = await collect(source.fetch(request({ periods })));
    expect(results.map((r) => r.failed ?? 'ok')).toEqual([expect.stringMatching(/asynchronous extraction 0f164c29.* still PROCESSING after 30 s/), 'ok']);
    expect(clock.time).toBe(30_000);
  });

  it('checks releases with one small call: months up to the latest published, stamped with LAST UPDATE', async () => {
    const asked = fakeUpstream(() => ({ body: `${CSV_HEADER}\n${csvRow('EU27_2020', 'KG', '2024-02', 7, '15/04/24 23:00:00')}\n${csvRow('EU27_2020', 'AM', '2024-01', 7, '15/04/24 23:00:00')}\n` }));
    const source = new ComextSource({ baseUrl: BASE, minIntervalMs: 0 });
    const released = await source.releases(request({ partners: ['KGZ', 'ARM'], periods: ['2024-01', '2024-02', '2024-03'] }));
    expect(asked).toEqual(['/eurostat/api/comext/dissemination/sdmx/2.1/data/DS-045409/M.EU27_2020.KG+AM.TOTAL.2.VALUE_IN_EUROS?format=SDMX-CSV&lastNObservations=1']);
    expect(released).toEqual(new Map([['2024-01', '2024-04-15T23:00:00'], ['2024-02', '2024-04-15T23:00:00']]));
  });
});
