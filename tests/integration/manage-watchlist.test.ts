import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { watchAdd, watchList, watchRemove } from '../../shared/cli/commands/manage.js';
import { loadCliConfig } from '../../shared/config/functions.js';
import { handleManageRequest, type Caller } from '../../shared/manage/manage-api.js';
import { previewWatchEntry } from '../../shared/manage/watchlist-admin.js';
import { comtradeCallEstimate } from '../../shared/plan/call-estimate.js';
import { planScheduledRun } from '../../shared/plan/plan-run.js';
import { DEFAULT_WATCHLIST_INPUT, watchlistInputSchema } from '../../shared/plan/watchlist.js';
import { createPlanner, manageServices } from '../../shared/wiring.js';
import { CollectingQueue } from '../support/collecting-queue.js';
import { freshTable } from '../support/local-table.js';

type Table = Awaited<ReturnType<typeof freshTable>>;
const IAM: Caller = { iam: true, groups: [] };
const READER: Caller = { iam: false, groups: ['readers'] };
const ADMIN: Caller = { iam: false, groups: ['admins'] };
const SCHEDULED = '2024-05-06T02:00:00.000Z';

/** The configuration the functions and the CLI load, on a test table, with the deploy's watchlist as its seed. */
const configOn = (table: Table, watchlist = DEFAULT_WATCHLIST_INPUT) => loadCliConfig({ DYNAMODB_ENDPOINT: table.connection.endpoint, TABLE_NAME: table.tableName, WATCHLIST: JSON.stringify(watchlist) });

describe('the watchlist in the table', () => {
  it('is seeded from the deploy settings once, by one of many runs at once, and never again once emptied or edited', async () => {
    const table = await freshTable();
    const seed = watchlistInputSchema.parse({ entries: [{ reporter: 'CHN', partners: ['KAZ'] }, { reporter: 'USA', partners: ['MEX', 'CAN'], flows: ['export'] }] });
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => table.watchlist.seedOnce(seed, new Date('2024-05-01T00:00:00Z'))));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const seeded = await table.watchlist.current(seed);
    expect(seeded.map((e) => [e.reporter, e.partners])).toEqual([
      ['CHN', ['KAZ']],
      ['USA', ['MEX', 'CAN']],
    ]);
    // Emptied: a later run (even with other deploy settings) does not seed it again.
    for (const entry of seeded) expect(await table.watchlist.remove(entry.id)).toBe(true);
    expect(await table.watchlist.current(seed)).toEqual([]);
    expect(await table.watchlist.current(DEFAULT_WATCHLIST_INPUT)).toEqual([]);
    expect(await table.watchlist.seeded()).toBe(true);
  });

  it('feeds the planner each run: the deploy watchlist on the first, a saved entry on the next, with its backfill queued', async () => {
    const table = await freshTable();
    const config = { ...configOn(table), workQueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/work', sqsEndpoint: undefined };
    const queue = new CollectingQueue();
    const planner = createPlanner(config, queue);
    const first = await planScheduledRun({ run: 'daily', scheduledTime: SCHEDULED }, planner);
    expect(new Set(queue.take().map((item) => item.request.reporter))).toEqual(new Set(['CHN']));

    const services = manageServices(config);
    const entry = { reporter: 'USA', partners: ['MEX', 'CAN'], flows: ['export', 'import'] as ('export' | 'import')[], commodity: 'TOTAL' };
    const preview = await previewWatchEntry({ ...services.watchlist, now: () => new Date(SCHEDULED) }, entry);
    const added = await handleManageRequest(services, { routeKey: 'POST /watchlist', body: JSON.stringify(entry), caller: IAM });
    expect(added.statusCode).toBe(201);

    const next = await planScheduledRun({ run: 'daily', scheduledTime: '2024-05-07T02:00:00.000Z' }, planner);
    const items = queue.take();
    const usa = items.filter((item) => item.request.reporter === 'USA');
    // Its daily item, and its whole history (five years in 12-month chunks) within the day's budget.
    expect(usa.filter((item) => item.run === 'daily')).toHaveLength(1);
    const history = usa.filter((item) => item.run === 'backfill');
    expect(history.map((item) => item.history!.chunk)).toEqual(['2023-05..2024-04', '2022-05..2023-04', '2021-05..2022-04', '2020-05..2021-04', '2019-05..2020-04']);
    expect(next.newPartners).toBe(2);
    // The preview's figures are the planner's: the calls the entry adds to a daily run, and its backfill calls.
    expect(next.scheduledCalls - first.scheduledCalls).toBe(preview.callsPerDay);
    const estimate = comtradeCallEstimate();
    expect(history.reduce((sum, item) => sum + estimate(item), 0)).toBe(preview.backfillCalls);
    expect(preview).toMatchObject({ seriesCount: 4, backfillCalls: 5, backfillDays: 1 });
    expect(preview.monthlyCostUsd).toBeGreaterThan(0);
    expect(preview.summary).toContain('USA with 2 partners, export and import, TOTAL (comtrade): 4 series');
  });

  describe('tradewatch watch', () => {
    let table: Table;
    const saved = { ...process.env };
    beforeAll(async () => {
      table = await freshTable();
    });
    afterEach(() => {
      process.env = { ...saved };
    });
    const run = async (command: (out: (line: string) => void) => Promise<void>) => {
      Object.assign(process.env, { DYNAMODB_ENDPOINT: table.connection.endpoint, TABLE_NAME: table.tableName });
      delete process.env.WATCHLIST;
      const lines: string[] = [];
      await command((line) => lines.push(line));
      return lines;
    };

    it('adds with a preview (or only previews with --dry-run), lists and removes entries, refusing bad flags by name', async () => {
      const dry = await run((out) => watchAdd({ reporter: 'TUR', partners: 'AZE,GEO', flows: 'export', dryRun: true }, out));
      expect(dry[0]).toMatch(/^Would watch TUR with 2 partners, export, TOTAL \(comtrade\): 2 series; at most \d+ calls a day, about \d+ a month; a backfill of 5 calls over about 1 day; (under|about) US\$\d+\.\d\d a month more\.$/);
      expect(dry).toContain('  series            2');
      expect(dry.find((line) => line.startsWith('  backfill'))).toBe('  backfill          5 calls, about 1 day(s)');
      expect(dry.at(-1)).toBe('Nothing saved (--dry-run).');
      const before = await run((out) => watchList({}, out));
      expect(before.filter((line) => line.includes(' TUR '))).toEqual([]);
      // The deploy's default watchlist seeded the table on the first command.
      expect(before[1]).toMatch(/^[0-9a-f]{12}\s+comtrade\s+CHN\s+KAZ,KGZ,UZB,TJK,TKM,AZE,GEO,ARM,TUR\s+export,import\s+TOTAL\s+\d{4}-\d{2}-\d{2}$/);

      const added = await run((out) => watchAdd({ reporter: 'TUR', partners: 'AZE,GEO', flows: 'export' }, out));
      const id = /Saved as entry ([0-9a-f]{12})/.exec(added.at(-1)!)![1]!;
      expect(added.slice(1, -1)).toEqual(dry.slice(1, -1));
      expect(await run((out) => watchAdd({ reporter: 'TUR', partners: 'GEO,AZE', flows: 'export' }, out))).toContain(`Entry ${id} was watched already: nothing changed.`);
      const listed = await run((out) => watchList({ format: 'json' }, out));
      const json = JSON.parse(listed.join('\n')) as { entries: { id: string; reporter: string; partners: string[] }[]; monthsBack: number; historyMonths: number };
      expect(json.entries.map((e) => e.reporter)).toEqual(['CHN', 'TUR']);
      expect(json).toMatchObject({ monthsBack: 24, historyMonths: 60 });

      expect(await run((out) => watchRemove(id, out))).toEqual([`Entry ${id} removed: its series stay stored, the scheduled runs no longer fetch them.`]);
      await expect(run((out) => watchRemove(id, out))).rejects.toThrow(/no watchlist entry with id/);
      await expect(run((out) => watchAdd({ reporter: 'TUR', partners: 'AZE,XXQ' }, out))).rejects.toThrow(/^--partners "AZE,XXQ": 1: "XXQ" names no country/);
      await expect(run((out) => watchAdd({ reporter: 'TUR', partners: 'AZE', flows: 'sideways' }, out))).rejects.toThrow(/^--flows "sideways"/);
      await expect(run((out) => watchAdd({ partners: 'AZE' }, out))).rejects.toThrow(/--reporter is required/);
      expect((JSON.parse((await run((out) => watchList({ format: 'json' }, out))).join('\n')) as { entries: { reporter: string }[] }).entries.map((e) => e.reporter)).toEqual(['CHN']);
    });
  });

  describe('the manage API', () => {
    let table: Table;
    let services: ReturnType<typeof manageServices>;
    beforeAll(async () => {
      table = await freshTable();
      services = manageServices(configOn(table));
    });

    it('answers the watchlist to any caller, a preview too, and saves or removes only for IAM callers and admins', async () => {
      const listed = await handleManageRequest(services, { routeKey: 'GET /watchlist', caller: READER });
      expect(listed.statusCode).toBe(200);
      expect(listed.body).toMatchObject({ entries: [{ reporter: 'CHN', id: expect.stringMatching(/^[0-9a-f]{12}$/), addedAt: expect.any(String) }], monthsBack: 24, historyMonths: 60 });
      const body = JSON.stringify({ reporter: 'KAZ', partners: ['CHN'], commodity: 'CHPL' });
      const preview = await handleManageRequest(services, { routeKey: 'POST /watchlist/preview', body, caller: READER });
      expect(preview).toMatchObject({ statusCode: 200, body: { seriesCount: 100, backfillDays: 1 } });
      expect(Object.keys(preview.body as object).sort()).toEqual(['backfillCalls', 'backfillDays', 'callsPerDay', 'callsPerMonth', 'monthlyCostUsd', 'seriesCount', 'summary']);

      expect(await handleManageRequest(services, { routeKey: 'POST /watchlist', body, caller: READER })).toMatchObject({ statusCode: 403, body: { error: expect.stringContaining('"admins" group') } });
      const saved = await handleManageRequest(services, { routeKey: 'POST /watchlist', body, caller: ADMIN });
      expect(saved).toMatchObject({ statusCode: 201, body: { entry: { reporter: 'KAZ', partners: ['CHN'], flows: ['export', 'import'] }, preview: preview.body } });
      const id = (saved.body as { entry: { id: string } }).entry.id;
      expect(await handleManageRequest(services, { routeKey: 'DELETE /watchlist/{id}', pathParameters: { id }, caller: READER })).toMatchObject({ statusCode: 403 });
      expect(await handleManageRequest(services, { routeKey: 'DELETE /watchlist/{id}', pathParameters: { id }, caller: IAM })).toEqual({ statusCode: 204, body: undefined });
      expect(await handleManageRequest(services, { routeKey: 'DELETE /watchlist/{id}', pathParameters: { id }, caller: IAM })).toMatchObject({ statusCode: 404, body: { parameter: 'id' } });
    });

    it('refuses bad input with 400 naming the field, and stores nothing', async () => {
      const post = (body: string | undefined) => handleManageRequest(services, { routeKey: 'POST /watchlist', body, caller: IAM });
      expect(await post('{"reporter":')).toEqual({ statusCode: 400, body: { error: 'body: expected a JSON object', parameter: 'body' } });
      expect(await post(undefined)).toMatchObject({ statusCode: 400, body: { parameter: 'body' } });
      expect(await post(JSON.stringify({ reporter: 'CHN', partners: ['KAZ', 'Atlantis'] }))).toMatchObject({ statusCode: 400, body: { error: expect.stringContaining('"Atlantis" names no country'), parameter: 'partners.1' } });
      expect(await post(JSON.stringify({ reporter: 'CHN', partners: [] }))).toMatchObject({ statusCode: 400, body: { parameter: 'partners' } });
      expect(await post(JSON.stringify({ reporter: 'CHN', partners: ['KAZ'], flows: ['trade'] }))).toMatchObject({ statusCode: 400, body: { parameter: 'flows.0' } });
      expect(await post(JSON.stringify({ source: 'comext', reporter: 'EU27_2020', partners: ['KG'], commodity: 'AG6' }))).toMatchObject({ statusCode: 400 });
      expect(await handleManageRequest(services, { routeKey: 'DELETE /watchlist/{id}', pathParameters: { id: '../x' }, caller: IAM })).toMatchObject({ statusCode: 400, body: { parameter: 'id' } });
      const listed = await handleManageRequest(services, { routeKey: 'GET /watchlist', caller: IAM });
      expect((listed.body as { entries: unknown[] }).entries).toHaveLength(1);
    });
  });
});
