import { afterEach, describe, expect, it } from 'vitest';
import { runIngest } from '../../shared/ingest/ingest-run.js';
import type { Fault, LocalComtradeServer } from '../../shared/local/comtrade-server.js';
import { ComtradeAuthError, ComtradeClient, type ComtradeClientOptions } from '../../shared/sources/comtrade/comtrade-client.js';
import { ComtradeSource } from '../../shared/sources/comtrade/comtrade-source.js';
import { demoRequests, startDemoComtrade } from '../support/demo-comtrade.js';
import { freshTable } from '../support/local-table.js';

const FAST: Omit<ComtradeClientOptions, 'baseUrl'> = { minIntervalMs: 0, backoffBaseMs: 20, timeoutMs: 500 };
let server: LocalComtradeServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function ingestAll(client: ComtradeClient, table: Awaited<ReturnType<typeof freshTable>>) {
  return runIngest({ source: new ComtradeSource(client), requests: demoRequests(), series: table.series, now: () => new Date() });
}

describe('ingesting from a Comtrade-shaped server into DynamoDB Local', () => {
  it('survives 429 with Retry-After, a 503, a timeout, a cut connection and truncated JSON, storing every observation once', async () => {
    const faults: Record<number, Fault> = {
      0: { kind: 'status', status: 429, retryAfter: '1', body: '{"statusCode":429,"message":"Rate limit is exceeded. Try again in 1 seconds."}' },
      1: { kind: 'status', status: 503 },
      2: { kind: 'delay', ms: 1_500 },
      3: { kind: 'truncate' },
      4: { kind: 'truncated-json' },
    };
    server = await startDemoComtrade({ faults: (_, index) => faults[index] });
    const table = await freshTable();
    const client = new ComtradeClient({ baseUrl: server.baseUrl, apiKey: 'test-key', ...FAST });
    const summary = await ingestAll(client, table);

    expect(summary).toMatchObject({ calls: 4, observations: 684, inserted: 684, revised: 0, rejected: [] });
    expect(client.stats.retries).toEqual({ 'rate-limited': 1, quota: 0, 'server-error': 1, network: 1, timeout: 1, 'malformed-body': 1 });
    expect(client.stats.attempts).toBe(4 + 5);
    const series = await table.series.listSeries({ reporter: 'CHN' });
    expect(series).toHaveLength(18);
    for (const s of series) expect(s.observationCount).toBe(38);

    // Retry-After: 1 was honoured: the retry came at least a second after the 429.
    const [limited, retry] = server.requests;
    expect(limited!.status).toBe(429);
    expect(retry!.receivedAt - limited!.receivedAt).toBeGreaterThanOrEqual(1_000);
    expect(client.stats.retryAfterWaitMs).toBe(1_000);
  });

  it('stops at once on 401 with a message about the key, storing nothing', async () => {
    server = await startDemoComtrade({ apiKey: 'the-right-key' });
    const table = await freshTable();
    const client = new ComtradeClient({ baseUrl: server.baseUrl, apiKey: 'a-wrong-key', ...FAST });
    await expect(ingestAll(client, table)).rejects.toThrow(ComtradeAuthError);
    await expect(ingestAll(client, table)).rejects.toThrow(/refused the subscription key \(401\)/);
    expect(server.requests).toHaveLength(2);
    expect(await table.series.listSeries()).toEqual([]);
  });

  it('gives a call up after its last attempt with the reason, rather than looping, and goes on with the next', async () => {
    server = await startDemoComtrade({ faults: () => ({ kind: 'status', status: 500 }) });
    const table = await freshTable();
    const client = new ComtradeClient({ baseUrl: server.baseUrl, ...FAST, maxAttempts: 3 });
    const summary = await ingestAll(client, table);
    expect(summary.failedCalls).toHaveLength(4);
    for (const failed of summary.failedCalls) expect(failed.error).toMatch(/500 .*gave up after 3 attempts/);
    expect(server.requests).toHaveLength(4 * 3);
    expect(await table.series.listSeries()).toEqual([]);
  });

  it('reports wrong-shaped records by field and leaves what was stored before unchanged', async () => {
    server = await startDemoComtrade();
    const table = await freshTable();
    const client = new ComtradeClient({ baseUrl: server.baseUrl, apiKey: 'k', ...FAST });
    await ingestAll(client, table);
    const before = await table.series.getObservations('comtrade.CHN.KAZ.export.TOTAL.USD');

    server.setFaults(() => ({
      kind: 'reshape',
      mutate: (record, index) => (index === 0 ? { ...record, primaryValue: 'n/a' } : index === 1 ? { ...record, period: 2021 } : { ...record, primaryValue: Number(record.primaryValue) + 1 }),
    }));
    const second = await ingestAll(client, table);
    expect(second.rejected).toHaveLength(8);
    expect(second.rejected[0]).toMatchObject({ field: 'primaryValue', value: 'n/a', where: expect.stringMatching(/^GET \/data\/v1\/get\/C\/M\/HS\?.* record 0$/) });
    expect(second.rejected[1]).toMatchObject({ field: 'period', value: 2021 });
    // The good records of the same calls were stored as revisions; the bad ones touched nothing.
    const after = await table.series.getObservations('comtrade.CHN.KAZ.export.TOTAL.USD');
    const rejectedMonths = after.filter((o) => o.revisions.length === 0);
    expect(rejectedMonths.length).toBeGreaterThan(0);
    for (const month of rejectedMonths) expect(month).toEqual(before.find((b) => b.period === month.period));
    expect(second.revised).toBe(684 - 8);
  });

  it('splits a call whose answer fills the records cap instead of losing rows', async () => {
    server = await startDemoComtrade();
    const table = await freshTable();
    // 12 months x 9 partners x 2 flows is 216 rows a call: a cap of 100 forces every call to be split.
    const client = new ComtradeClient({ baseUrl: server.baseUrl, ...FAST, maxRecords: 100 });
    expect(client.recordCap).toBe(100);
    const summary = await ingestAll(client, table);
    expect(summary.inserted).toBe(684);
    expect(summary.observations).toBe(684);
    expect(server.requests.length).toBeGreaterThan(4);
    expect(server.requests.every((r) => r.path === '/public/v1/preview/C/M/HS' && r.query.maxRecords === '100')).toBe(true);
  });
});
