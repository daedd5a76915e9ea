import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodRange } from '../../shared/domain/period.js';
import { runIngest } from '../../shared/ingest/ingest-run.js';
import { startLocalComextServer, type LocalComextServer } from '../../shared/local/comext-server.js';
import { ComextSource } from '../../shared/sources/eurostat/comext-source.js';
import { freshTable } from '../support/local-table.js';

describe('Eurostat Comext (SDMX-CSV) as a second source, into DynamoDB Local', () => {
  let server: LocalComextServer;
  const periods = periodRange('2023-01', '2024-02');
  beforeAll(async () => {
    const figures = ['DEU', 'FRA'].flatMap((reporter) =>
      (['export', 'import'] as const).flatMap((flow) =>
        periods.map((period, i) => ({ reporter, partner: 'CHN', flow, period, value: period === '2023-06' && reporter === 'FRA' ? null : 8e9 + i * 1e7 })),
      ),
    );
    server = await startLocalComextServer(figures, ['ESTAT:DS-045409(1.0),20/03/24 23:00:00,M,DE,CN,TOTAL,2,VALUE_IN_EUROS,2024-02,lots,']);
  });
  afterAll(() => server.stop());

  it('ingests EU reporters' + "' trade with China in euros, keeping the currency and the suppressed month", async () => {
    const table = await freshTable();
    const source = new ComextSource({ baseUrl: server.baseUrl, minIntervalMs: 0 });
    expect(source.plan({ reporter: 'DEU', partners: ['CHN'], flows: ['export', 'import'], periods, commodity: 'TOTAL' })).toEqual([
      `GET ${server.baseUrl}/eurostat/api/comext/dissemination/sdmx/2.1/data/DS-045409/M.DE.CN.TOTAL.2+1.VALUE_IN_EUROS?format=SDMX-CSV&startPeriod=2023-01&endPeriod=2023-12`,
      `GET ${server.baseUrl}/eurostat/api/comext/dissemination/sdmx/2.1/data/DS-045409/M.DE.CN.TOTAL.2+1.VALUE_IN_EUROS?format=SDMX-CSV&startPeriod=2024-01&endPeriod=2024-02`,
    ]);
    const summary = await runIngest({
      source,
      requests: ['DEU', 'FRA'].map((reporter) => ({ reporter, partners: ['CHN'], flows: ['export', 'import'] as const, periods, commodity: 'TOTAL' })),
      series: table.series,
      now: () => new Date('2024-03-21T00:00:00Z'),
    });
    expect(summary).toMatchObject({ calls: 4, inserted: 4 * 14 });
    // The server appends a malformed row to every answer: reported by field each time, never stored.
    expect(summary.rejected).toHaveLength(4);
    expect(summary.rejected[0]).toMatchObject({ field: 'OBS_VALUE', value: 'lots', where: expect.stringMatching(/DS-045409\/M\.DE\.CN.*line \d+$/) });
    const ids = (await table.series.listSeries()).map((s) => s.seriesId).sort();
    expect(ids).toEqual([
      'eurostat-comext.DEU.CHN.export.TOTAL.EUR',
      'eurostat-comext.DEU.CHN.import.TOTAL.EUR',
      'eurostat-comext.FRA.CHN.export.TOTAL.EUR',
      'eurostat-comext.FRA.CHN.import.TOTAL.EUR',
    ]);
    const france = await table.series.getObservations('eurostat-comext.FRA.CHN.export.TOTAL.EUR', { from: '2023-06', to: '2023-06' });
    expect(france[0]).toMatchObject({ value: null, state: 'suppressed' });
    const germany = await table.series.getObservations('eurostat-comext.DEU.CHN.export.TOTAL.EUR', { from: '2024-02' });
    expect(germany[0]).toMatchObject({ value: 8e9 + 13e7, state: 'published' });
  });
});
