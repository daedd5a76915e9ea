import { describe, expect, it } from 'vitest';
import { loadDemoFigures } from '../../shared/demo/demo-figures.js';
import { runIngest } from '../../shared/ingest/ingest-run.js';
import { startLocalComtradeServer } from '../../shared/local/comtrade-server.js';
import { ComtradeClient } from '../../shared/sources/comtrade/comtrade-client.js';
import { ComtradeSource } from '../../shared/sources/comtrade/comtrade-source.js';
import { demoRequests } from '../support/demo-comtrade.js';
import { freshTable } from '../support/local-table.js';

describe('release-aware runs (UN Comtrade data availability)', () => {
  it('fetches everything first, nothing when nothing was released, and only the revised month after a revision', async () => {
    const table = await freshTable();
    const figures = loadDemoFigures();
    const ingestFrom = async (server: Awaited<ReturnType<typeof startLocalComtradeServer>>, day: string) => {
      const source = new ComtradeSource(new ComtradeClient({ baseUrl: server.baseUrl, minIntervalMs: 0 }));
      const now = new Date(`${day}T06:00:00Z`);
      return runIngest({ source, requests: demoRequests(), series: table.series, now: () => now, run: { key: `daily-${day}`, repository: table.runs }, onlyNewReleases: true });
    };

    const march = await startLocalComtradeServer({ figures });
    const first = await ingestFrom(march, '2024-03-21');
    expect(first).toMatchObject({ releases: { checked: 38, changed: 38 }, inserted: 684 });
    const dataCalls = () => march.requests.filter((r) => r.path.endsWith('/C/M/HS') && !r.path.includes('getDa')).length;
    const callsAfterFirst = dataCalls();
    const second = await ingestFrom(march, '2024-03-22');
    expect(second).toMatchObject({ releases: { checked: 38, changed: 0 }, calls: 0, inserted: 0 });
    expect(dataCalls()).toBe(callsAfterFirst); // only the cheap availability calls
    await march.stop();

    // China revises December 2023 for Azerbaijan exports, released on 2024-04-20.
    const revised = figures.map((f) => (f.partner === 'AZE' && f.flow === 'export' && f.period === '2023-12' ? { ...f, value: f.value + 5_000_000 } : f));
    const april = await startLocalComtradeServer({ figures: revised, releasedOn: (_, period) => (period === '202312' ? '2024-04-20' : '2024-03-20') });
    const third = await ingestFrom(april, '2024-04-21');
    expect(third).toMatchObject({ releases: { checked: 38, changed: 1 }, calls: 1, revised: 1, unchanged: 17 });
    expect(third.changedFrom).toEqual(new Map([['comtrade.CHN.AZE.export.TOTAL.USD', '2023-12']]));
    const [december] = await table.series.getObservations('comtrade.CHN.AZE.export.TOTAL.USD', { from: '2023-12', to: '2023-12' });
    expect(december!.revisions).toHaveLength(1);
    await april.stop();
  });
});
