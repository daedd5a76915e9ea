import { pointCliAt } from '../support/cli-environment.js';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dropFolder } from '../../shared/cli/commands/drop.js';
import { FEED_ROUTE, routeOf } from '../../shared/domain/alerts/routing.js';
import { processDroppedFile, type DropFolder } from '../../shared/ingest/drop-file.js';
import { importTradeCsvFile } from '../../shared/ingest/import-file.js';
import { LocalDropFolder } from '../../shared/ingest/local-drop-folder.js';
import { startLocalAlertTopic, type LocalAlertTopic } from '../../shared/local/local-alerts.js';
import { alertingFor } from '../../shared/wiring.js';
import { loadCliConfig } from '../../shared/config/functions.js';
import { AZERBAIJAN_TRADE, alertKeys, azerbaijanCsv } from '../support/azerbaijan-csv.js';
import { freshTable } from '../support/local-table.js';

const EMAIL = routeOf({ protocol: 'email', endpoint: 'analyst@example.org' });
const SMS = routeOf({ protocol: 'sms', endpoint: '+10000000000' });
const ROUTES = [FEED_ROUTE, EMAIL, SMS];
const NAME = 'china-customs-azerbaijan.csv';

describe('the local drop folder: a CSV put in incoming/ is imported, detected, alerted and moved', () => {
  const saved = { ...process.env };
  const dirs: string[] = [];
  let topic: LocalAlertTopic;
  beforeAll(async () => {
    topic = await startLocalAlertTopic(ROUTES);
  });
  afterEach(() => {
    process.env = { ...saved };
  });
  afterAll(async () => {
    await topic.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const newDropDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradewatch-drop-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'incoming'));
    return dir;
  };

  /** Each route's alerts on China–Azerbaijan trade since the last call. */
  const azerbaijanAlertsPerRoute = async () =>
    Object.fromEntries(await Promise.all(ROUTES.map(async (route) => [route.id, alertKeys(await topic.drain(route.id)).filter((key) => key.startsWith(`${AZERBAIJAN_TRADE}#`)).length])));

  async function useTable() {
    const table = await freshTable();
    pointCliAt(table, topic, [EMAIL, SMS]);
    return table;
  }

  it('sends the +83 % alert once per route, moves the file to done/ with its report, and sends nothing when the same file is dropped again', async () => {
    await useTable();
    const dir = newDropDir();
    writeFileSync(join(dir, 'incoming', NAME), azerbaijanCsv());
    const lines: string[] = [];
    await dropFolder(dir, {}, (line) => lines.push(line));

    expect(readdirSync(join(dir, 'incoming'))).toEqual([]);
    expect(readFileSync(join(dir, 'done', NAME), 'utf8')).toBe(azerbaijanCsv());
    const report = readFileSync(join(dir, 'done', `${NAME}.report.txt`), 'utf8');
    expect(report).toMatch(new RegExp(`^tradewatch imported ${NAME.replace(/\./g, '\\.')} at `));
    expect(report).toMatch(/Rows: \d+ in 2 series \(run import-[0-9a-f]{20}\)\./);
    expect(report).toMatch(/Months: \d+ new, 0 revised, 0 unchanged\./);
    expect(report).toMatch(/Detected \d+ anomal(y|ies) in \d+ changed series; [1-9]\d* alert\(s\) sent as \d+ message\(s\), 0 silenced, 0 already alerted, 0 failed\./);
    expect(report).toMatch(/CRITICAL csv\.CHN\.AZE\.trade\.TOTAL\.USD Jan-Feb 2024 \+83% y\/y/);
    expect(lines.join('\n')).toContain(`${NAME} → ${join(dir, 'done', NAME)}`);
    expect(await azerbaijanAlertsPerRoute()).toEqual({ feed: 1, [EMAIL.id]: 1, [SMS.id]: 1 });

    writeFileSync(join(dir, 'incoming', NAME), azerbaijanCsv());
    await dropFolder(dir, {}, () => undefined);
    expect(readdirSync(join(dir, 'incoming'))).toEqual([]);
    expect(readFileSync(join(dir, 'done', `${NAME}.report.txt`), 'utf8')).toMatch(/Already imported \(run import-[0-9a-f]{20}\): the same content was stored before; nothing stored again\.\n.*0 alert\(s\) sent/);
    expect(await azerbaijanAlertsPerRoute()).toEqual({ feed: 0, [EMAIL.id]: 0, [SMS.id]: 0 });
  });

  it('moves a file with a bad line 3 to rejected/ with a report naming NAME:3, and stores nothing', async () => {
    const table = await useTable();
    const dir = newDropDir();
    const good = azerbaijanCsv().split('\n');
    good[2] = good[2]!.replace(/,USD,one$/, ',USD,dozen');
    writeFileSync(join(dir, 'incoming', 'bad.csv'), good.join('\n'));
    await dropFolder(dir, {}, () => undefined);

    expect(readdirSync(join(dir, 'incoming'))).toEqual([]);
    expect(existsSync(join(dir, 'rejected', 'bad.csv'))).toBe(true);
    const report = readFileSync(join(dir, 'rejected', 'bad.csv.report.txt'), 'utf8');
    expect(report).toMatch(/^tradewatch rejected bad\.csv at .*: 1 bad row\(s\) of \d+; nothing was stored\./);
    expect(report).toMatch(/^bad\.csv:3: unit: Invalid option: expected one of "one"\|"thousand"\|"million"$/m);
    // Named as dropped, never by the temporary copy the import read.
    expect(report).not.toContain(tmpdir());
    expect(await table.series.listSeries()).toEqual([]);
    expect(await table.runs.list()).toEqual([]);
    expect(await azerbaijanAlertsPerRoute()).toEqual({ feed: 0, [EMAIL.id]: 0, [SMS.id]: 0 });
  });

  it('sends each alert once when the move fails after the alerts are out and the file is handled again', async () => {
    const table = await useTable();
    const dir = newDropDir();
    writeFileSync(join(dir, 'incoming', NAME), azerbaijanCsv());
    const local = new LocalDropFolder(dir);
    let failures = 1;
    // The process dies between the alerts and the move: the file stays in incoming/.
    const crashingOnce: DropFolder = {
      fetch: (name, path) => local.fetch(name, path),
      settle: async (name, outcome, report) => {
        if (failures-- > 0) throw new Error('killed before the move');
        await local.settle(name, outcome, report);
      },
    };
    const config = loadCliConfig(process.env);
    const deps = { ...table, alerting: alertingFor(config, table), now: () => new Date() };

    await expect(processDroppedFile(NAME, crashingOnce, deps)).rejects.toThrow(/killed before the move/);
    expect(readdirSync(join(dir, 'incoming'))).toEqual([NAME]);
    expect(await azerbaijanAlertsPerRoute()).toEqual({ feed: 1, [EMAIL.id]: 1, [SMS.id]: 1 });

    expect(await processDroppedFile(NAME, crashingOnce, deps)).toMatchObject({ outcome: 'done' });
    expect(readdirSync(join(dir, 'done')).sort()).toEqual([NAME, `${NAME}.report.txt`]);
    expect(await azerbaijanAlertsPerRoute()).toEqual({ feed: 0, [EMAIL.id]: 0, [SMS.id]: 0 });
    // Handled already, the same name again is a no-op.
    expect(await processDroppedFile(NAME, crashingOnce, deps)).toEqual({ outcome: 'gone', name: NAME });
  });

  it('with --watch, takes files dropped while it runs until it is stopped', async () => {
    const table = await useTable();
    const dir = newDropDir();
    const lines: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const watching = dropFolder(dir, { watch: true }, (line) => lines.push(line), () => stopped);
    await expect.poll(() => lines.some((line) => line.startsWith('Watching ')), { timeout: 20_000 }).toBe(true);
    writeFileSync(join(dir, 'incoming', 'kazakhstan.csv'), 'reporter,partner,flow,period,value,currency,unit\nCHN,KAZ,export,2024-01,100,USD,thousand\n');
    await expect.poll(() => existsSync(join(dir, 'done', 'kazakhstan.csv.report.txt')), { timeout: 20_000, interval: 200 }).toBe(true);
    stop();
    await watching;
    expect(readdirSync(join(dir, 'incoming'))).toEqual([]);
    expect(await table.series.getObservations('csv.CHN.KAZ.export.TOTAL.USD')).toMatchObject([{ period: '2024-01', value: 100_000 }]);
  });

  it('resumes the chunks an earlier attempt stored, though each attempt reads the file from another path', async () => {
    const table = await useTable();
    const dir = newDropDir();
    const first = join(dir, 'attempt-1.csv');
    const second = join(dir, 'attempt-2.csv');
    writeFileSync(first, azerbaijanCsv());
    writeFileSync(second, azerbaijanCsv());
    const input = { name: NAME, series: table.series, runs: table.runs, skipBad: false, now: new Date('2024-03-20T00:00:00Z'), chunkRows: 10 };
    const cut = await importTradeCsvFile({
      ...input,
      file: first,
      onChunk: ({ chunk }) => {
        if (chunk === 0) throw new Error('cut short after the first chunk');
      },
    }).catch((error: Error) => error);
    expect(cut).toBeInstanceOf(Error);
    const resumed = await importTradeCsvFile({ ...input, file: second });
    // The first chunk was stored by the attempt that was cut short: only the second is stored now.
    expect(resumed.skippedChunks).toBe(1);
    expect(resumed.inserted).toBeGreaterThan(0);
  });
});
