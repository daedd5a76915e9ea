import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultDetectionConfig } from '../../shared/domain/detection/index.js';
import { DEFAULT_GROUPS } from '../../shared/domain/groups.js';
import { periodRange } from '../../shared/domain/period.js';
import { handleQuery, type QueryRequest } from '../../shared/query/query-api.js';
import { freshTable } from '../support/local-table.js';

describe('the query API handler on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof freshTable>>;
  const ask = (request: QueryRequest) => handleQuery(request, { ...table, groups: DEFAULT_GROUPS, detectionFor: () => defaultDetectionConfig });
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
    const response = await handleQuery({ routeKey: 'GET /series/{id}/chart', pathParameters: { id: 'comtrade.CHN.KAZ.export.TOTAL.USD' } }, { ...table, groups: DEFAULT_GROUPS, detectionFor });
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
