import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultDetectionConfig } from '../../shared/domain/detection/index.js';
import { DEFAULT_GROUPS } from '../../shared/domain/groups.js';
import { periodRange } from '../../shared/domain/period.js';
import { detectAnomalies } from '../../shared/domain/detection/index.js';
import { seriesId } from '../../shared/domain/series.js';
import { atLeast, type Severity } from '../../shared/domain/severity.js';
import { encodeCursor, handleQuery, type QueryRequest } from '../../shared/query/query-api.js';
import { AlertHistory } from '../../shared/store/alert-repository.js';
import { SeriesReader } from '../../shared/store/series-repository.js';
import { loadQueryConfig } from '../../shared/config/functions.js';
import { statusOf } from '../../shared/wiring.js';
import { demoSeries } from '../support/demo-series.js';
import { freshTable } from '../support/local-table.js';

describe('the query API handler on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof freshTable>>;
  const ask = (request: QueryRequest) => handleQuery(request, { ...table, status: statusOf(table, loadQueryConfig({})), groups: DEFAULT_GROUPS, loadDetectionFor: async () => () => defaultDetectionConfig });
  beforeAll(async () => {
    table = await freshTable();
    for (const partner of ['KAZ', 'KGZ', 'UZB', 'TJK', 'TKM']) {
      for (const flow of ['export', 'import'] as const) {
        const observations = periodRange('2022-01', '2023-12').map((period, i) => ({ period, value: 1e8 + i, state: 'published' as const }));
        await table.series.saveObservations({ source: 'comtrade', reporter: 'CHN', partner, flow, commodity: 'TOTAL', currency: 'USD' }, observations, '2024-01-20T00:00:00.000Z');
      }
    }
  });

  it('pages through series with opaque cursors', async () => {
    const first = await ask({ routeKey: 'GET /series', queryStringParameters: { limit: '4' } });
    expect(first.statusCode).toBe(200);
    const body = first.body as { items: { seriesId: string }[]; nextCursor: string | null };
    expect(body.items).toHaveLength(4);
    const seen = [...body.items.map((s) => s.seriesId)];
    let next = body.nextCursor;
    while (next) {
      const more = (await ask({ routeKey: 'GET /series', queryStringParameters: { limit: '4', cursor: next } })).body as typeof body;
      seen.push(...more.items.map((s) => s.seriesId));
      next = more.nextCursor;
    }
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
  });

  it('answers a derived group series, annual view', async () => {
    const response = await ask({
      routeKey: 'GET /series/{id}/observations',
      pathParameters: { id: 'comtrade.CHN.CENTRALASIA.trade.TOTAL.USD' },
      queryStringParameters: { view: 'annual' },
    });
    expect(response.statusCode).toBe(200);
    expect((response.body as { items: { year: number }[] }).items.map((t) => t.year)).toEqual([2022, 2023]);
  });

  it('answers the yoy view on the buckets detection compares: one Jan-Feb row for a reporter set as publishing them together', async () => {
    const yoy = async (janFebCombinedReporters: string[]) => {
      const response = await handleQuery(
        { routeKey: 'GET /series/{id}/observations', pathParameters: { id: 'comtrade.CHN.KAZ.export.TOTAL.USD' }, queryStringParameters: { view: 'yoy', to: '2023-03' } },
        { ...table, status: statusOf(table, loadQueryConfig({})), groups: DEFAULT_GROUPS, loadDetectionFor: async () => () => ({ ...defaultDetectionConfig, janFebCombinedReporters }) },
      );
      expect(response.statusCode).toBe(200);
      return (response.body as { items: { period: string; bucket: string; value: number; previous: number }[] }).items;
    };
    // Stored values are 1e8 + i for the i-th month from 2022-01.
    expect(await yoy(['CHN'])).toEqual([
      expect.objectContaining({ period: '2023-02', bucket: '2023-01..02', label: 'Jan-Feb 2023', value: 2e8 + 12 + 13, previous: 2e8 + 1 }),
      expect.objectContaining({ period: '2023-03', bucket: '2023-03', value: 1e8 + 14, previous: 1e8 + 2 }),
    ]);
    expect((await yoy([])).map((c) => c.bucket)).toEqual(['2023-01', '2023-02', '2023-03']);
  });

  it('reads asOf as the CLI does: a bare date means the end of that day, and a date not in the calendar is refused', async () => {
    const asOf = (value: string) =>
      ask({ routeKey: 'GET /series/{id}/observations', pathParameters: { id: 'comtrade.CHN.KAZ.export.TOTAL.USD' }, queryStringParameters: { asOf: value } });
    // Stored at 2024-01-20T00:00:00Z: known "as of 2024-01-20", not as of the day before.
    expect(await asOf('2024-01-20')).toMatchObject({ statusCode: 200, body: { asOf: '2024-01-20T23:59:59.999Z' } });
    expect(await asOf('2024-01-19')).toMatchObject({ statusCode: 404 });
    expect(await asOf('2024-02-30')).toMatchObject({ statusCode: 400, body: { parameter: 'asOf', error: expect.stringMatching(/2024-02-30 is not a date in the calendar/) } });
  });

  it('returns the chart as SVG', async () => {
    const response = await ask({ routeKey: 'GET /series/{id}/chart', pathParameters: { id: 'comtrade.CHN.KAZ.trade.TOTAL.USD' }, queryStringParameters: { from: '2023-01' } });
    expect(response).toMatchObject({ statusCode: 200, contentType: 'image/svg+xml' });
    expect(String(response.body)).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<path class="series" d="M[\s\S]*<\/svg>$/);
  });

  it('marks a chart with the detection settings of the series\' reporter, as the ingest worker judges it', async () => {
    const askedFor: string[] = [];
    const detectionFor = (reporter: string) => {
      askedFor.push(reporter);
      return defaultDetectionConfig;
    };
    const response = await handleQuery({ routeKey: 'GET /series/{id}/chart', pathParameters: { id: 'comtrade.CHN.KAZ.export.TOTAL.USD' } }, { ...table, status: statusOf(table, loadQueryConfig({})), groups: DEFAULT_GROUPS, loadDetectionFor: async () => detectionFor });
    expect(response.statusCode).toBe(200);
    expect(askedFor).toEqual(['CHN']);
  });

  it('says which parameter is wrong, with 400, and 404 for what does not exist', async () => {
    expect(await ask({ routeKey: 'GET /series', queryStringParameters: { limit: '0' } })).toMatchObject({ statusCode: 400, body: { parameter: 'limit' } });
    expect(await ask({ routeKey: 'GET /series', queryStringParameters: { cursor: 'garbage' } })).toMatchObject({ statusCode: 400, body: { parameter: 'cursor' } });
    expect(await ask({ routeKey: 'GET /series/{id}/observations', pathParameters: { id: 'nope' }, queryStringParameters: {} })).toMatchObject({ statusCode: 400, body: { parameter: 'id' } });
    expect(
      await ask({ routeKey: 'GET /series/{id}/observations', pathParameters: { id: 'comtrade.CHN.KAZ.export.TOTAL.USD' }, queryStringParameters: { from: '2023-13' } }),
    ).toMatchObject({ statusCode: 400, body: { error: expect.stringMatching(/query parameter "from": expected a month as YYYY-MM/) } });
    expect(await ask({ routeKey: 'GET /series/{id}/observations', pathParameters: { id: 'comtrade.CHN.ZZZ.export.TOTAL.USD' } })).toMatchObject({ statusCode: 404 });
    expect(await ask({ routeKey: 'GET /alerts', queryStringParameters: { severity: 'loud' } })).toMatchObject({ statusCode: 400, body: { parameter: 'severity' } });
    expect(await ask({ routeKey: 'DELETE /series' })).toMatchObject({ statusCode: 404 });
  });

  it('answers 1000 generated parameter sets with 200 or 4xx, never 500', async () => {
    const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('2023-01', '2024-13', '0', '-1', '501', '1e3', 'CHN', 'KAZ', 'export', 'annual', 'critical', '2024-01-01T00:00:00Z', ''));
    const params = fc.dictionary(fc.constantFrom('reporter', 'partner', 'flow', 'source', 'limit', 'cursor', 'from', 'to', 'asOf', 'view', 'since', 'severity', 'junk'), text);
    const id = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('comtrade.CHN.KAZ.export.TOTAL.USD', 'comtrade.CHN.CENTRALASIA.trade.TOTAL.USD', 'comtrade.CHN.NOPE.trade.TOTAL.USD'));
    const route = fc.constantFrom('GET /series', 'GET /series/{id}/observations', 'GET /series/{id}/chart', 'GET /alerts');
    await fc.assert(
      fc.asyncProperty(route, id, params, async (routeKey, seriesId, query) => {
        const response = await ask({ routeKey, pathParameters: { id: seriesId }, queryStringParameters: query });
        expect([200, 400, 404]).toContain(response.statusCode);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});

describe('list routes: one DynamoDB Query per page, cursors bound to their filters', () => {
  let table: Awaited<ReturnType<typeof freshTable>>;
  let queries = 0;
  let deps: Parameters<typeof handleQuery>[1];
  const ask = (routeKey: string, query: Record<string, string>) => handleQuery({ routeKey, queryStringParameters: query }, deps);
  type Body<T> = { items: T[]; nextCursor: string | null };

  /** Every page of a listing, and the Query calls each page made. */
  async function allPagesOf<T>(routeKey: string, query: Record<string, string>) {
    const items: T[] = [];
    const callsPerPage: number[] = [];
    let cursor: string | null = null;
    do {
      queries = 0;
      const response = await ask(routeKey, { ...query, ...(cursor ? { cursor } : {}) });
      expect(response.statusCode).toBe(200);
      callsPerPage.push(queries);
      const body = response.body as Body<T>;
      expect(body.items.length).toBeLessThanOrEqual(Number(query.limit ?? 100));
      items.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    return { items, callsPerPage };
  }

  const keys = (['comtrade', 'eurostat-comext'] as const).flatMap((source) =>
    ['CHN', 'DEU'].flatMap((reporter) => ['KAZ', 'UZB', 'GEO'].flatMap((partner) => (['export', 'import'] as const).map((flow) => ({ source, reporter, partner, flow, commodity: 'TOTAL', currency: 'USD' })))),
  );
  const { key: demoKey, observations } = demoSeries('AZE', 'trade');
  const [found] = detectAnomalies({ series: demoKey, observations }).anomalies;
  // Nine alerts of the demo's anomaly under their own keys, of each severity in turn.
  const anomalies = (['info', 'warning', 'critical'] as const).flatMap((severity, s) => [0, 1, 2].map((i) => ({ ...found!, severity, dedupKey: `${found!.dedupKey}#${3 * i + s}` })));

  beforeAll(async () => {
    table = await freshTable();
    table.doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'QueryCommand') queries++;
        return next(args);
      },
      { step: 'initialize' },
    );
    deps = { series: new SeriesReader(table.doc, table.tableName), alerts: new AlertHistory(table.doc, table.tableName), status: statusOf(table, loadQueryConfig({})), groups: DEFAULT_GROUPS, loadDetectionFor: async () => () => defaultDetectionConfig };
    for (const key of keys) await table.series.saveObservations(key, [{ period: '2024-01', value: 1e6, state: 'published' }], '2024-02-20T00:00:00.000Z');
    for (const [minute, anomaly] of anomalies.entries()) await table.alerts.claim(anomaly, ['feed'], new Date(Date.UTC(2024, 2, 20, 8, minute)));
  });

  const expectedSeries = (match: (key: (typeof keys)[number]) => boolean) => keys.filter(match).map((k) => seriesId(k)).sort();
  it.each([
    [{}, () => true],
    [{ reporter: 'DEU' }, (k: (typeof keys)[number]) => k.reporter === 'DEU'],
    [{ reporter: 'DEU', partner: 'UZB' }, (k: (typeof keys)[number]) => k.reporter === 'DEU' && k.partner === 'UZB'],
    [{ reporter: 'CHN', flow: 'import' }, (k: (typeof keys)[number]) => k.reporter === 'CHN' && k.flow === 'import'],
    [{ reporter: 'CHN', partner: 'GEO', flow: 'export' }, (k: (typeof keys)[number]) => k.reporter === 'CHN' && k.partner === 'GEO' && k.flow === 'export'],
    [{ source: 'eurostat-comext' }, (k: (typeof keys)[number]) => k.source === 'eurostat-comext'],
    [{ source: 'eurostat-comext', reporter: 'CHN', flow: 'export' }, (k: (typeof keys)[number]) => k.source === 'eurostat-comext' && k.reporter === 'CHN' && k.flow === 'export'],
    [{ source: 'comtrade', partner: 'KAZ' }, (k: (typeof keys)[number]) => k.source === 'comtrade' && k.partner === 'KAZ'],
    [{ partner: 'KAZ' }, (k: (typeof keys)[number]) => k.partner === 'KAZ'],
    [{ flow: 'export' }, (k: (typeof keys)[number]) => k.flow === 'export'],
    [{ source: 'comtrade.CHN' }, () => false],
  ])('GET /series %j: every match once, one Query per page', async (filters, match) => {
    const { items, callsPerPage } = await allPagesOf<{ seriesId: string }>('GET /series', { ...filters, limit: '5' });
    expect(items.map((s) => s.seriesId).sort()).toEqual(expectedSeries(match));
    expect(new Set(items.map((s) => s.seriesId)).size).toBe(items.length);
    expect(callsPerPage.every((calls) => calls <= 1)).toBe(true);
  });

  it.each([
    [{ source: 'comtrade' }, (k: (typeof keys)[number]) => k.source === 'comtrade'],
    [{ source: 'comtrade', reporter: 'CHN' }, (k: (typeof keys)[number]) => k.source === 'comtrade' && k.reporter === 'CHN'],
    [{ reporter: 'CHN', partner: 'KAZ' }, (k: (typeof keys)[number]) => k.reporter === 'CHN' && k.partner === 'KAZ'],
  ])('GET /series %j a page of one at a time: every match once, none past the prefix', async (filters, match) => {
    const { items, callsPerPage } = await allPagesOf<{ seriesId: string }>('GET /series', { ...filters, limit: '1' });
    expect(items.map((s) => s.seriesId).sort()).toEqual(expectedSeries(match));
    expect(callsPerPage.every((calls) => calls === 1)).toBe(true);
  });

  it('GET /alerts: every alert of the severity floor and since, oldest first, one Query per page', async () => {
    const all = (await allPagesOf<{ dedupKey: string; createdAt: string; severity: string }>('GET /alerts', { limit: '2' })).items;
    expect(all.length).toBeGreaterThan(2);
    expect(all.map((a) => a.createdAt)).toEqual(all.map((a) => a.createdAt).sort());
    for (const severity of ['info', 'warning', 'critical']) {
      const { items, callsPerPage } = await allPagesOf<{ dedupKey: string; severity: string }>('GET /alerts', { severity, limit: '2' });
      expect(items.map((a) => a.dedupKey)).toEqual(all.filter((a) => atLeast(a.severity as Severity, severity as Severity)).map((a) => a.dedupKey));
      expect(callsPerPage.every((calls) => calls === 1)).toBe(true);
    }
    const since = all[2]!.createdAt;
    expect((await allPagesOf<{ dedupKey: string }>('GET /alerts', { since, limit: '1' })).items.map((a) => a.dedupKey)).toEqual(all.slice(2).map((a) => a.dedupKey));
  });

  it('refuses, naming cursor, a cursor used with other filters, on another route, or edited', async () => {
    const first = (await ask('GET /series', { reporter: 'CHN', limit: '2' })).body as Body<unknown>;
    expect(first.nextCursor).toEqual(expect.any(String));
    const cursor = first.nextCursor!;
    // The same filters with another page size carry on.
    expect(await ask('GET /series', { reporter: 'CHN', limit: '3', cursor })).toMatchObject({ statusCode: 200 });
    for (const other of <Record<string, string>[]>[{ reporter: 'DEU' }, { reporter: 'CHN', partner: 'KAZ' }, {}, { reporter: 'CHN', source: 'eurostat-comext' }]) {
      expect(await ask('GET /series', { ...other, cursor })).toMatchObject({ statusCode: 400, body: { parameter: 'cursor' } });
    }
    expect(await ask('GET /alerts', { cursor })).toMatchObject({ statusCode: 400, body: { parameter: 'cursor' } });
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { a: string; h: string };
    const edited = (content: unknown) => Buffer.from(JSON.stringify(content)).toString('base64url');
    const refused = { statusCode: 400, body: { parameter: 'cursor' } };
    expect(await ask('GET /series', { reporter: 'CHN', cursor: edited({ ...decoded, a: 'UZB#import#TOTAL#comtrade#USD' }) })).toMatchObject(refused);
    expect(await ask('GET /series', { reporter: 'CHN', cursor: edited({ ...decoded, h: 'x' }) })).toMatchObject(refused);
    expect(await ask('GET /series', { reporter: 'CHN', cursor: edited({ k: { gsi1sk: decoded.a }, h: decoded.h }) })).toMatchObject(refused);
    // A forged cursor (its fingerprint recomputed) can only say where in the query's own range to start: outside it, the store refuses it, never a 500.
    const forge = (filters: Record<string, string>, after: string) => encodeCursor('GET /series', filters, after);
    expect(await ask('GET /series', { reporter: 'CHN', partner: 'KAZ', cursor: forge({ reporter: 'CHN', partner: 'KAZ' }, 'UZB#export#TOTAL#comtrade#USD') })).toMatchObject(refused);
    expect(await ask('GET /series', { source: 'comtrade', cursor: forge({ source: 'comtrade' }, 'eurostat-comext.CHN.KAZ.export.TOTAL.USD') })).toMatchObject(refused);
    expect(await ask('GET /series', { reporter: 'CHN', cursor: forge({ reporter: 'CHN' }, '') })).toMatchObject(refused);
    const since = '2024-03-20T08:04:00.000Z';
    expect(await ask('GET /alerts', { since, cursor: encodeCursor('GET /alerts', { since }, '2024-03-20T08:00:00.000Z#x') })).toMatchObject(refused);
    // Inside the range it is just another start: the partition comes from the filters, so it reads only what they match.
    const forged = await ask('GET /series', { reporter: 'CHN', cursor: forge({ reporter: 'CHN' }, 'GEO#import#TOTAL#eurostat-comext#USD') });
    expect(forged.statusCode).toBe(200);
    const rest = (forged.body as Body<{ reporter: string; partner: string }>).items;
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.every((s) => s.reporter === 'CHN' && s.partner > 'GEO')).toBe(true);
  });
});

describe('GET /alerts filters and threads for the console', () => {
  let table: Awaited<ReturnType<typeof freshTable>>;
  let deps: Parameters<typeof handleQuery>[1];
  const { key: demoKey, observations } = demoSeries('AZE', 'trade');
  const [found] = detectAnomalies({ series: demoKey, observations }).anomalies;
  // Alerts across reporters, partners, commodities and directions, one per combination.
  const variants = (['CHN', 'TUR'] as const).flatMap((reporter) =>
    (['AZE', 'KAZ'] as const).flatMap((partner) =>
      (['TOTAL', '8542'] as const).flatMap((commodity) =>
        (['up', 'down'] as const).map((direction) => {
          const series = { ...found!.series, reporter, partner, commodity };
          const id = seriesId(series);
          return { ...found!, series, seriesId: id, direction, dedupKey: `${id}#${direction}`, eventKey: `${id}#${direction}` };
        }),
      ),
    ),
  );
  const ask = (routeKey: string, query: Record<string, string> = {}, pathParameters: Record<string, string> = {}) => handleQuery({ routeKey, queryStringParameters: query, pathParameters }, deps);

  beforeAll(async () => {
    table = await freshTable();
    deps = { series: table.series, alerts: table.alerts, status: statusOf(table, loadQueryConfig({})), groups: DEFAULT_GROUPS, loadDetectionFor: async () => () => defaultDetectionConfig };
    for (const [minute, anomaly] of variants.entries()) await table.alerts.claim(anomaly, ['feed'], new Date(Date.UTC(2024, 2, 20, 9, minute)));
  });

  async function everyPage(query: Record<string, string>) {
    const keys: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await ask('GET /alerts', { ...query, limit: '3', ...(cursor ? { cursor } : {}) });
      expect(response.statusCode).toBe(200);
      const body = response.body as { items: { dedupKey: string }[]; nextCursor: string | null };
      keys.push(...body.items.map((item) => item.dedupKey));
      cursor = body.nextCursor;
    } while (cursor);
    return keys;
  }

  it.each([
    [{ reporter: 'TUR' }, (a: (typeof variants)[number]) => a.series.reporter === 'TUR'],
    [{ partner: 'kz' }, (a: (typeof variants)[number]) => a.series.partner === 'KAZ'],
    [{ commodity: '8542' }, (a: (typeof variants)[number]) => a.series.commodity === '8542'],
    [{ direction: 'down' }, (a: (typeof variants)[number]) => a.direction === 'down'],
    [{ reporter: 'CHN', partner: 'AZE', commodity: 'TOTAL', direction: 'up' }, (a: (typeof variants)[number]) => a.seriesId === 'comtrade.CHN.AZE.trade.TOTAL.USD' && a.direction === 'up'],
  ])('%j: every matching alert, oldest first, across pages', async (query, match) => {
    expect(await everyPage(query)).toEqual(variants.filter(match).map((a) => a.dedupKey));
  });

  it('refuses a bad filter naming it, and a cursor of other filters', async () => {
    expect(await ask('GET /alerts', { direction: 'sideways' })).toMatchObject({ statusCode: 400, body: { parameter: 'direction' } });
    expect(await ask('GET /alerts', { commodity: 'chips' })).toMatchObject({ statusCode: 400, body: { parameter: 'commodity' } });
    expect(await ask('GET /alerts', { partner: 'Atlantis' })).toMatchObject({ statusCode: 400, body: { parameter: 'partner' } });
    const first = (await ask('GET /alerts', { reporter: 'CHN', limit: '2' })).body as { nextCursor: string };
    expect(await ask('GET /alerts', { reporter: 'TUR', cursor: first.nextCursor })).toMatchObject({ statusCode: 400, body: { parameter: 'cursor' } });
  });

  it('GET /alerts/{key}: one alert with its thread; the key encoded or not; 404 for an unknown key', async () => {
    const key = variants[0]!.dedupKey;
    for (const sent of [key, encodeURIComponent(key)]) {
      const response = await ask('GET /alerts/{key}', {}, { key: sent });
      expect(response.statusCode).toBe(200);
      expect(response.body).toMatchObject({ dedupKey: key, thread: { eventKey: key, entries: [{ kind: 'alert', severity: found!.severity, change: found!.explanation.change }] } });
    }
    expect(await ask('GET /alerts/{key}', {}, { key: 'comtrade.CHN.NOPE#x' })).toMatchObject({ statusCode: 404 });
  });

  it('a revision that changes the severity is an update in the same thread, not a second alert', async () => {
    const anomaly = { ...variants[1]!, dedupKey: 'thread-test', eventKey: 'thread-test' };
    const claimed = await table.alerts.claim(anomaly, ['feed'], new Date(Date.UTC(2024, 2, 21)));
    await table.alerts.markSent(claimed!, new Date(Date.UTC(2024, 2, 21, 0, 1)));
    const severity = anomaly.severity === 'critical' ? 'warning' : 'critical';
    const revised = { ...anomaly, severity, explanation: { ...anomaly.explanation, value: anomaly.explanation.value * 1.1, change: anomaly.explanation.change + 0.1 } } as const;
    const update = await table.alerts.claim(revised, ['feed'], new Date(Date.UTC(2024, 3, 20)));
    expect(update).toMatchObject({ notice: 'update' });
    await table.alerts.markSent(update!, new Date(Date.UTC(2024, 3, 20, 0, 1)));
    const response = await ask('GET /alerts/{key}', {}, { key: 'thread-test' });
    expect(response.body).toMatchObject({
      severity,
      thread: { entries: [{ kind: 'alert', at: '2024-03-21T00:00:00.000Z' }, { kind: 'update', severity, change: revised.explanation.change }] },
    });
    expect((response.body as { thread: { entries: unknown[] } }).thread.entries).toHaveLength(2);
    expect((await everyPage({})).filter((key) => key === 'thread-test')).toHaveLength(1);
  });

  it('GET /series/{id}/chart?format=json: the chart\'s buckets and the anomalies detection marks, for the console to draw', async () => {
    for (const flow of ['export', 'import'] as const) {
      const { key, observations: aze } = demoSeries('AZE', flow);
      await table.series.saveObservations(key, aze, '2024-03-20T00:00:00.000Z');
    }
    const response = await ask('GET /series/{id}/chart', { format: 'json', from: '2023-01' }, { id: 'comtrade.CHN.AZE.trade.TOTAL.USD' });
    expect(response.statusCode).toBe(200);
    expect(response.contentType).toBeUndefined();
    const body = response.body as { points: { key: string; value: number }[]; anomalies: { bucketKey: string; severity: string }[] };
    expect(body.points[0]).toMatchObject({ key: '2023-01..02' });
    expect(body.anomalies).toContainEqual(expect.objectContaining({ bucketKey: '2024-01..02', severity: 'critical' }));
    expect(await ask('GET /series/{id}/chart', { format: 'png' }, { id: 'comtrade.CHN.AZE.trade.TOTAL.USD' })).toMatchObject({ statusCode: 400, body: { parameter: 'format' } });
  });

  it('answers the console copies of the routes under /console', async () => {
    const plain = await ask('GET /alerts', { reporter: 'TUR' });
    const prefixed = await ask('GET /console/alerts', { reporter: 'TUR' });
    expect(prefixed).toEqual(plain);
    expect((await ask('GET /console/alerts/{key}', {}, { key: variants[0]!.dedupKey })).statusCode).toBe(200);
  });
});
