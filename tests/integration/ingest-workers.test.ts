import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_ROUTE } from '../../shared/domain/alerts/routing.js';
import { createAlertPublisher } from '../../shared/wiring.js';
import { loadDemoDataSet } from '../../shared/demo/demo-figures.js';
import { defaultDetectionConfig } from '../../shared/domain/detection/index.js';
import { periodRange } from '../../shared/domain/period.js';
import { processWorkItem } from '../../shared/ingest/process-work-item.js';
import { planWorkItems } from '../../shared/plan/work-items.js';
import type { LocalComtradeServer } from '../../shared/local/comtrade-server.js';
import { startLocalAlertTopic, type LocalAlertTopic } from '../../shared/local/local-alerts.js';
import { ComtradeClient } from '../../shared/sources/comtrade/comtrade-client.js';
import { ComtradeSource } from '../../shared/sources/comtrade/comtrade-source.js';
import { DEFAULT_WATCHLIST } from '../../shared/plan/watchlist.js';
import { expectDemoStoredAndAzerbaijanAlerted, startDemoComtrade } from '../support/demo-comtrade.js';
import { RunInProgressError } from '../../shared/store/run-repository.js';
import { freshTable } from '../support/local-table.js';

describe('ingest workers processing a planned run side by side', () => {
  let comtrade: LocalComtradeServer;
  let topic: LocalAlertTopic;
  beforeAll(async () => {
    comtrade = await startDemoComtrade();
    topic = await startLocalAlertTopic([FEED_ROUTE]);
  });
  afterAll(async () => {
    await comtrade.stop();
    await topic.stop();
  });

  it('stores every observation once and alerts each anomaly once, however the items interleave or repeat', async () => {
    const table = await freshTable();
    const dataSet = loadDemoDataSet();
    const items = planWorkItems(DEFAULT_WATCHLIST, periodRange(dataSet.from, dataSet.to), 'monthly-refresh', '2024-03-25T02:00:00Z', 3);
    expect(items).toHaveLength(3);
    const deps = {
      ...table,
      sourceFor: () => new ComtradeSource(new ComtradeClient({ baseUrl: comtrade.baseUrl, minIntervalMs: 0 })),
      publisher: createAlertPublisher({ region: topic.region, snsEndpoint: topic.endpoint, alertTopicArn: topic.topicArn }),
      routes: [FEED_ROUTE],
      loadDetectionFor: async () => () => defaultDetectionConfig,
      lookbackMonths: 3,
    };
    // Three workers at once, and SQS delivering the second item twice: a copy that finds its run
    // held by another worker fails (RunInProgressError) and goes back to the queue, as SQS would
    // redeliver it; redelivered, it finds the run done and does nothing twice.
    const deliveries = [...items, items[1]!];
    const settled = await Promise.allSettled(deliveries.map((item) => processWorkItem(item, deps)));
    const redeliver = deliveries.filter((_, i) => settled[i]!.status === 'rejected');
    for (const failure of settled.filter((r) => r.status === 'rejected')) expect((failure as PromiseRejectedResult).reason).toBeInstanceOf(RunInProgressError);
    const results = [...settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])), ...(await Promise.all(redeliver.map((item) => processWorkItem(item, deps))))];
    expect(results).toHaveLength(4);
    for (const result of results) expect(result.ingest.rejected).toEqual([]);
    await expectDemoStoredAndAzerbaijanAlerted(table.series, topic);
    for (const item of items) expect(await table.runs.get(item.runKey)).toMatchObject({ status: 'DONE' });
  });
});
