import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importCsv } from '../../shared/cli/commands/import-csv.js';
import { ingest } from '../../shared/cli/commands/ingest.js';
import { listRuns, showRun } from '../../shared/cli/commands/runs.js';
import { runIngest } from '../../shared/ingest/ingest-run.js';
import { RunInProgressError } from '../../shared/store/run-repository.js';
import type { Fault, LocalComtradeServer } from '../../shared/local/comtrade-server.js';
import { ComtradeClient } from '../../shared/sources/comtrade/comtrade-client.js';
import { ComtradeSource } from '../../shared/sources/comtrade/comtrade-source.js';
import { demoRequests, startDemoComtrade } from '../support/demo-comtrade.js';
import { freshTable } from '../support/local-table.js';

describe('ingest runs: checkpoints, resumption, quarantine, call budget, one process per run, failed calls', () => {
  let server: LocalComtradeServer;
  beforeAll(async () => {
    server = await startDemoComtrade();
  });
  afterAll(() => server.stop());
  afterEach(() => server.setFaults(undefined));
  const client = (budget?: () => Promise<boolean>) =>
    new ComtradeClient({ baseUrl: server.baseUrl, minIntervalMs: 0, backoffBaseMs: 10, maxAttempts: 2, ...(budget ? { budget } : {}) });

  it('resumes a run that died where it stopped, and does not repeat a finished run', async () => {
    const table = await freshTable();
    const run = { key: 'release-2024-03', repository: table.runs };
    server.setFaults((_, index) => (index === 2 ? { kind: 'status', status: 401 } : undefined)); // the run dies at its third call
    await expect(runIngest({ source: new ComtradeSource(client()), requests: demoRequests(), series: table.series, now: () => new Date('2024-03-20T00:00:00Z'), run })).rejects.toThrow(/401/);
    // The dead run says so, and gives up its lock: it does not stay RUNNING.
    const dead = await table.runs.get(run.key);
    expect(dead).toMatchObject({ status: 'FAILED', calls: 2, reason: expect.stringMatching(/401/) });
    expect(dead!.lockedUntil).toBeUndefined();

    server.setFaults(undefined);
    const before = server.requests.length;
    const resumed = await runIngest({ source: new ComtradeSource(client()), requests: demoRequests(), series: table.series, now: () => new Date('2024-03-20T00:00:00Z'), run });
    expect(resumed).toMatchObject({ calls: 2, skippedCalls: 2, inserted: 684 - 2 * 216 });
    expect(server.requests.length - before).toBe(2);
    expect(await table.runs.get(run.key)).toMatchObject({ status: 'DONE', calls: 4, observations: 684 });
    expect((await table.series.listSeries()).every((s) => s.observationCount === 38)).toBe(true);

    const again = await runIngest({ source: new ComtradeSource(client()), requests: demoRequests(), series: table.series, now: () => new Date(), run });
    expect(again).toMatchObject({ alreadyDone: true, calls: 0 });
    expect(server.requests.length - before).toBe(2);
  });

  it('quarantines records that fail validation, with the run, for inspection', async () => {
    const table = await freshTable();
    server.setFaults(() => ({ kind: 'reshape', mutate: (record, i) => (i === 5 ? { ...record, primaryValue: 'n/a' } : record) }));
    const summary = await runIngest({ source: new ComtradeSource(client()), requests: demoRequests(), series: table.series, now: () => new Date(), run: { key: 'q', repository: table.runs } });
    expect(summary.rejected).toHaveLength(4);
    expect(await table.runs.get('q')).toMatchObject({ quarantined: 4, status: 'DONE' });
    const kept = await table.runs.quarantined('q');
    expect(kept).toHaveLength(4);
    expect(kept[0]).toMatchObject({ runKey: 'q', field: 'primaryValue', value: 'n/a', where: expect.stringMatching(/record 5$/) });
  });

  it('stops cleanly when the daily call budget is used up, and resumes with the next one', async () => {
    const table = await freshTable();
    const run = { key: 'budgeted', repository: table.runs };
    const day1 = () => table.runs.consumeBudget('comtrade', '2024-03-20', 2);
    const first = await runIngest({ source: new ComtradeSource(client(day1)), requests: demoRequests(), series: table.series, now: () => new Date(), run });
    expect(first).toMatchObject({ calls: 2, stopped: 'the daily UN Comtrade call budget is used up' });
    expect(await table.runs.get(run.key)).toMatchObject({ status: 'STOPPED', reason: 'the daily UN Comtrade call budget is used up' });
    const day2 = () => table.runs.consumeBudget('comtrade', '2024-03-21', 2);
    const second = await runIngest({ source: new ComtradeSource(client(day2)), requests: demoRequests(), series: table.series, now: () => new Date(), run });
    expect(second).toMatchObject({ calls: 2, skippedCalls: 2 });
    expect(second.stopped).toBeUndefined();
    expect(await table.runs.get(run.key)).toMatchObject({ status: 'DONE', calls: 4 });
  });

  it('lets one process hold a run: a second is refused while the lock lasts, takes over once it expired, and the first stops at its next call', async () => {
    const { runs } = await freshTable();
    const t0 = new Date('2024-03-20T00:00:00Z');
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    await runs.start('locked', 'comtrade', t0, 'first');
    await expect(runs.start('locked', 'comtrade', at(1), 'second')).rejects.toThrow(RunInProgressError);
    await runs.checkpoint('locked', 'first', 'https://example.org/call-1', { observations: 10, quarantined: 0 }, at(10)); // renews the lock to 25 min
    await expect(runs.start('locked', 'comtrade', at(20), 'second')).rejects.toThrow(/being run by another process/);
    expect(await runs.start('locked', 'comtrade', at(26), 'second')).toMatchObject({ status: 'RUNNING', owner: 'second', calls: 1 });
    await expect(runs.checkpoint('locked', 'first', 'https://example.org/call-2', { observations: 10, quarantined: 0 }, at(27))).rejects.toThrow(RunInProgressError);
    expect(await runs.get('locked')).toMatchObject({ calls: 1, observations: 10 });
  });

  it('records a call that failed every attempt and goes on with the rest; resuming makes only that call again', async () => {
    const table = await freshTable();
    const run = { key: 'one-call-down', repository: table.runs };
    server.setFaults((request) => (request.path.includes('/preview/') && request.query.period?.startsWith('2021') ? { kind: 'status', status: 503 } : undefined));
    const first = await runIngest({ source: new ComtradeSource(client()), requests: demoRequests(), series: table.series, now: () => new Date('2024-03-20T00:00:00Z'), run });
    expect(first.failedCalls).toHaveLength(1);
    expect(first.failedCalls[0]!.error).toMatch(/503.*gave up after 2 attempts/);
    expect(first.calls).toBe(4);
    expect(await table.runs.get(run.key)).toMatchObject({ status: 'INCOMPLETE', failedCalls: 1, calls: 3 });
    expect(await table.runs.failedCalls(run.key)).toHaveLength(1);

    server.setFaults(undefined);
    const before = server.requests.length;
    const resumed = await runIngest({ source: new ComtradeSource(client()), requests: demoRequests(), series: table.series, now: () => new Date('2024-03-20T00:00:00Z'), run });
    expect(resumed).toMatchObject({ calls: 1, skippedCalls: 3, failedCalls: [] });
    expect(server.requests.length - before).toBe(1);
    expect(await table.runs.get(run.key)).toMatchObject({ status: 'DONE', failedCalls: 0, calls: 4, observations: 684 });
    expect(await table.runs.failedCalls(run.key)).toEqual([]);
  });
});

describe('the call pace every worker on one key shares', () => {
  it('hands out one slot per interval, whoever asks, and says how long to wait for the next', async () => {
    const { runs } = await freshTable();
    const t0 = new Date('2024-03-25T02:00:00.000Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    expect(await runs.claimCallSlot('comtrade', 6_000, t0)).toBe(0);
    // A second worker asking at once, or a second later, is told to wait for the slot.
    expect(await runs.claimCallSlot('comtrade', 6_000, t0)).toBe(6_000);
    expect(await runs.claimCallSlot('comtrade', 6_000, at(1_000))).toBe(5_000);
    // Ten workers asking together for the next slot: exactly one gets it.
    const answers = await Promise.all(Array.from({ length: 10 }, () => runs.claimCallSlot('comtrade', 6_000, at(6_000))));
    expect(answers.filter((wait) => wait === 0)).toHaveLength(1);
    // Another source's key has its own pace.
    expect(await runs.claimCallSlot('eurostat-comext', 6_000, at(6_000))).toBe(0);
  });
});

describe('tradewatch ingest and tradewatch import', () => {
  let server: LocalComtradeServer;
  const saved = { ...process.env };
  beforeAll(async () => {
    server = await startDemoComtrade();
  });
  afterAll(() => server.stop());
  afterEach(() => {
    process.env = { ...saved };
    server.setFaults(undefined);
  });
  const useTable = (table: Awaited<ReturnType<typeof freshTable>>) => {
    Object.assign(process.env, { DYNAMODB_ENDPOINT: table.connection.endpoint, TABLE_NAME: table.tableName, COMTRADE_MIN_INTERVAL_MS: '0', COMTRADE_TIMEOUT_MS: '500' });
  };

  it('prints the call plan on --dry-run, and fetches nothing', async () => {
    const lines: string[] = [];
    const before = server.requests.length;
    await ingest({ dryRun: true, from: '2021-01', to: '2024-02', baseUrl: server.baseUrl }, (l) => lines.push(l), false);
    expect(lines[0]).toBe(`Dry run: 4 call(s) to ${server.baseUrl} for 2021-01..2024-02, nothing fetched or stored.`);
    expect(lines.slice(1)).toHaveLength(4);
    expect(lines[1]).toMatch(/^ {2}GET http:\/\/127\.0\.0\.1:\d+\/public\/v1\/preview\/C\/M\/HS\?reporterCode=156&partnerCode=398%2C417/);
    expect(server.requests.length).toBe(before);
    await expect(ingest({ dryRun: true, partners: 'KAZ,XX' }, () => undefined, false)).rejects.toThrow(/--partners "KAZ,XX"/);
  });

  it('ingests 9 partners x 2 flows x 38 months through 30 % 429s, 10 % 5xx, two timeouts and a truncated body: every observation once', async () => {
    const table = await freshTable();
    useTable(table);
    process.env.COMTRADE_MAX_RECORDS = '50'; // many small calls, so the fault rates mean something
    // A fixed schedule: over each ten requests, three 429s, one 503; two timeouts and one truncated body on top.
    const schedule = (index: number): Fault | undefined => {
      if (index === 7 || index === 23) return { kind: 'delay', ms: 1_500 };
      if (index === 15) return { kind: 'truncated-json' };
      const slot = index % 10;
      if (slot === 1 || slot === 4 || slot === 8) return { kind: 'status', status: 429, retryAfter: '1', body: '{"statusCode":429,"message":"Rate limit is exceeded. Try again in 1 seconds."}' };
      if (slot === 6) return { kind: 'status', status: 503 };
      return undefined;
    };
    server.setFaults((_, index) => schedule(index));
    const before = server.requests.length;
    const lines: string[] = [];
    await ingest({ from: '2021-01', to: '2024-02', baseUrl: server.baseUrl, runKey: 'faults' }, (l) => lines.push(l), false);
    const requests = server.requests.slice(before);
    const limited = requests.filter((r) => r.status === 429);
    expect(limited.length / requests.length).toBeGreaterThan(0.25);
    expect(requests.filter((r) => r.status === 503).length).toBeGreaterThan(0);
    // Every 429 was followed by a retry no sooner than its Retry-After.
    for (const r of limited) {
      const next = requests[requests.indexOf(r) + 1];
      expect(next!.receivedAt - r.receivedAt).toBeGreaterThanOrEqual(1_000);
    }
    expect(lines[0]).toMatch(/^Run faults: \d+ call\(s\) \(0 skipped, done before\), \d+ attempt\(s\), 684 observations: 684 new, 0 revised, 0 unchanged; 0 rejected/);
    expect(lines[1]).toMatch(new RegExp(`^Retries: ${limited.length} rate-limited \\(waited ${limited.length}\\.0 s as Retry-After asked\\), 0 quota, \\d+ server errors, 2 timeouts, 0 network, 1 malformed bodies\\.$`));
    const series = await table.series.listSeries();
    expect(series).toHaveLength(18);
    for (const s of series) expect(s.observationCount).toBe(38);
  }, 120_000);

  it('names a failed run and how to resume it, resumes it when the same command runs again, and lists what it rejected', async () => {
    const table = await freshTable();
    useTable(table);
    // The run dies at its third call (a refused key stops a run); its first two calls are kept.
    let served = 0;
    server.setFaults(() => (served++ === 2 ? { kind: 'status', status: 401 } : undefined));
    const command = { from: '2021-01', to: '2024-02', baseUrl: server.baseUrl };
    const failure = await ingest(command, () => undefined, false).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    const runKey = /^run (cli-comtrade-[0-9a-f]{12}) failed: /.exec((failure as Error).message)?.[1];
    expect(runKey).toBeDefined();
    expect((failure as Error).message).toMatch(/401[\s\S]*What it stored is kept; run the same command \(or add --run-key cli-comtrade-[0-9a-f]{12}\) to resume where it stopped\./);

    server.setFaults(() => ({ kind: 'reshape', mutate: (record, i) => (i === 3 ? { ...record, primaryValue: 'n/a' } : record) }));
    const lines: string[] = [];
    await ingest(command, (l) => lines.push(l), false);
    expect(lines[0]).toMatch(new RegExp(`^Run ${runKey}: 2 call\\(s\\) \\(2 skipped, done before\\)`));
    expect(lines.join('\n')).toMatch(/Rejected \(kept in quarantine[\s\S]*primaryValue\s+"n\/a"\s+Invalid input/);
    expect(await table.runs.get(runKey!)).toMatchObject({ status: 'DONE' });
    const shown: string[] = [];
    await showRun(runKey!, (l) => shown.push(l));
    expect(shown[0]).toBe(`Run ${runKey} (comtrade): DONE`);
    expect(shown.join('\n')).toMatch(/2 record\(s\) quarantined[\s\S]*SERIES\s+MONTH\s+FIELD\s+VALUE\s+REASON[\s\S]*primaryValue\s+"n\/a"/);
    const listed: string[] = [];
    await listRuns({}, (l) => listed.push(l));
    expect(listed[1]).toMatch(new RegExp(`^${runKey}\\s+comtrade\\s+DONE`));
    await expect(showRun('nope', () => undefined)).rejects.toThrow(/no run with key nope/);
    // Done: the same command now starts the next run of it.
    const again: string[] = [];
    await ingest(command, (l) => again.push(l), false);
    expect(again[0]).toMatch(new RegExp(`^Run ${runKey}\\.2: 4 call\\(s\\)`));
  });

  it('says it is the table that failed when DynamoDB is not there, and keeps the run resumable', async () => {
    const table = await freshTable();
    useTable(table);
    process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:9';
    const failure = await ingest({ from: '2024-01', to: '2024-02', baseUrl: server.baseUrl, runKey: 'no-table' }, () => undefined, false).catch((error: Error) => error);
    expect((failure as Error).message).toMatch(/^run no-table failed: the table failed \(DynamoDB at http:\/\/127\.0\.0\.1:9, table test-[\w-]+\): /);
    expect((failure as Error).message).toMatch(/run the same command \(--run-key no-table\) to resume/);
  });

  it('imports a CSV end to end, storing nothing from a file with a bad row unless asked to skip it', async () => {
    const table = await freshTable();
    useTable(table);
    const dir = mkdtempSync(join(tmpdir(), 'tradewatch-csv-'));
    const good = join(dir, 'china-customs.csv');
    writeFileSync(good, 'reporter,partner,flow,period,value,currency,unit\nCHN,AZE,export,2024-01,195000,USD,thousand\nCHN,AZE,export,2024-02,154000,USD,thousand\n');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'reporter,partner,flow,period,value,currency,unit\nCHN,KAZ,export,2024-01,1,USD,thousand\nCHN,KAZ,export,2024-13,1,USD,thousand\n');
    const lines: string[] = [];
    await importCsv(good, {}, (l) => lines.push(l));
    expect(lines[0]).toBe(`${good}: 2 rows, 1 series: 2 months new, 0 revised, 0 unchanged.`);
    // No alert topic here: detection still runs on what changed, and says why nothing was sent.
    expect(lines[1]).toMatch(/^Detected \d+ anomal(y|ies) in 1 changed series; not alerted: no alert topic/);
    expect(await table.series.getObservations('csv.CHN.AZE.export.TOTAL.USD')).toHaveLength(2);

    await expect(importCsv(bad, {}, () => undefined)).rejects.toThrow(new RegExp(`1 bad row\\(s\\) of 2; nothing was stored[\\s\\S]*${bad.replace(/[.]/g, '\\.')}:3: period`));
    expect(await table.series.getObservations('csv.CHN.KAZ.export.TOTAL.USD')).toEqual([]);
    const skipped: string[] = [];
    await importCsv(bad, { skipBad: true }, (l) => skipped.push(l));
    expect(skipped.slice(0, 3)).toEqual([`${bad}: 2 rows, 1 series: 1 months new, 0 revised, 0 unchanged.`, 'Skipped 1 bad row(s):', `  ${bad}:3: period: expected a month as YYYY-MM (or YYYY-01..02 for a combined Jan+Feb release)`]);
    await expect(importCsv(join(dir, 'missing.csv'), {}, () => undefined)).rejects.toThrow(/cannot read .*missing\.csv: ENOENT/);
  });
});
