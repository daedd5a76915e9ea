import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlertMessage, type AlertMessage } from '../../shared/alerts/alert-message.js';
import { SnsAlertPublisher, createSnsClient, type AlertPublisher } from '../../shared/alerts/sns-publisher.js';
import { SMS_MAX_LENGTH, renderAlert } from '../../shared/domain/alert-text.js';
import { defaultDetectionConfig } from '../../shared/domain/detection/index.js';
import { runDetectAndAlert } from '../../shared/jobs/detect-and-alert-job.js';
import { runIngest } from '../../shared/jobs/ingest-job.js';
import type { LocalComtradeServer } from '../../shared/local/comtrade-server.js';
import { startLocalAlertTopic, type LocalAlertTopic } from '../../shared/local/local-alerts.js';
import { ComtradeClient } from '../../shared/sources/comtrade/comtrade-client.js';
import { ComtradeSource } from '../../shared/sources/comtrade/comtrade-source.js';
import { demoRequests, startDemoComtrade } from '../support/demo-comtrade.js';
import { freshTable } from '../support/local-table.js';

/** Fails the first `failures` publishes, then publishes for real. */
class FlakyPublisher implements AlertPublisher {
  constructor(
    private readonly inner: AlertPublisher,
    private failures: number,
  ) {}
  async publish(message: AlertMessage): Promise<string> {
    if (this.failures-- > 0) throw new Error('SNS throttled the publish (injected)');
    return this.inner.publish(message);
  }
}

describe('ingest, detect and alert through SNS (fauxqs) with filtered SQS subscribers', () => {
  let comtrade: LocalComtradeServer;
  let topic: LocalAlertTopic;
  let table: Awaited<ReturnType<typeof freshTable>>;
  let sns: SnsAlertPublisher;

  beforeAll(async () => {
    comtrade = await startDemoComtrade();
    topic = await startLocalAlertTopic([
      { name: 'email', minSeverity: 'warning' },
      { name: 'sms', minSeverity: 'critical' },
      { name: 'kazakhstan-desk', minSeverity: 'info', partners: ['KAZ'] },
    ]);
    table = await freshTable();
    sns = new SnsAlertPublisher(createSnsClient(topic), topic.topicArn);
  });
  afterAll(async () => {
    await comtrade.stop();
    await topic.stop();
  });

  const detectAndAlert = (publisher: AlertPublisher, changedFrom?: ReadonlyMap<string, string>) =>
    runDetectAndAlert({
      ...table,
      publisher,
      detectionFor: () => defaultDetectionConfig,
      ...(changedFrom ? { changedFrom } : {}),
      lookbackMonths: 3,
      now: () => new Date(),
    });

  it('delivers the Azerbaijan alerts once, with a failed publish retried on the next run', async () => {
    const client = new ComtradeClient({ baseUrl: comtrade.baseUrl, minIntervalMs: 0 });
    const ingest = await runIngest({ source: new ComtradeSource(client), requests: demoRequests(), series: table.series, now: () => new Date() });

    const first = await detectAndAlert(new FlakyPublisher(sns, 1), ingest.changedFrom);
    expect(first.anomalies.map((a) => a.seriesId).sort()).toEqual(['comtrade.CHN.AZE.export.TOTAL.USD', 'comtrade.CHN.AZE.trade.TOTAL.USD']);
    expect(first.delivered).toHaveLength(1);
    expect(first.failed).toEqual([{ dedupKey: expect.any(String), error: 'SNS throttled the publish (injected)' }]);
    expect(await table.alerts.get(first.failed[0]!.dedupKey)).toMatchObject({ status: 'PENDING' });

    // The next run finds nothing new, but sends what the failed publish left PENDING.
    const second = await detectAndAlert(sns, new Map());
    expect(second.anomalies).toEqual([]);
    expect(second.delivered.map((d) => d.anomaly.dedupKey)).toEqual([first.failed[0]!.dedupKey]);
    expect(await table.alerts.list({ status: 'SENT' })).toHaveLength(2);

    const email = await topic.drain('email');
    const sms = await topic.drain('sms');
    expect(email.map((m) => m.dedupKey).sort()).toEqual(first.anomalies.map((a) => a.dedupKey).sort());
    expect(sms.map((m) => m.sms).sort()).toEqual([
      'CN-AZ exp Jan-Feb 2024 +97% y/y (US$349m) CRITICAL',
      'CN-AZ trade Jan-Feb 2024 +83% y/y (US$520m) CRITICAL',
    ]);
    for (const message of sms) expect(message.sms.length).toBeLessThanOrEqual(SMS_MAX_LENGTH);
    const trade = email.find((m) => m.seriesId === 'comtrade.CHN.AZE.trade.TOTAL.USD')!;
    expect(trade.subject).toBe('[tradewatch critical] China trade with Azerbaijan, Jan-Feb 2024: +83% y/y');
    expect(trade.email).toContain('Expected range: US$');
    expect(await topic.drain('kazakhstan-desk')).toEqual([]);
  });

  it('sends nothing more when the same release is ingested and scored again and again', async () => {
    const client = new ComtradeClient({ baseUrl: comtrade.baseUrl, minIntervalMs: 0 });
    for (let run = 0; run < 5; run++) {
      const ingest = await runIngest({ source: new ComtradeSource(client), requests: demoRequests(), series: table.series, now: () => new Date() });
      expect(ingest).toMatchObject({ inserted: 0, revised: 0, writes: 0 });
      // Score every series, not only the changed ones, to prove the dedup holds on its own.
      const result = await detectAndAlert(sns);
      expect(result.anomalies).toHaveLength(2);
      expect(result.delivered).toEqual([]);
      expect(result.alreadyHandled).toBe(2);
    }
    expect(await topic.drain('email')).toEqual([]);
    expect(await topic.drain('sms')).toEqual([]);
  });

  it('routes by the real filter policies: a warning reaches e-mail but not SMS, a partner desk only its partner', async () => {
    const [azerbaijan] = (await detectAndAlert(sns)).anomalies;
    const kazakhWarning = {
      ...azerbaijan!,
      severity: 'warning' as const,
      dedupKey: 'k',
      series: { ...azerbaijan!.series, partner: 'KAZ' },
    };
    const warning = buildAlertMessage(kazakhWarning, renderAlert(kazakhWarning));
    await sns.publish(warning);
    expect((await topic.drain('email')).map((m) => m.dedupKey)).toEqual(['k']);
    expect(await topic.drain('sms')).toEqual([]);
    expect((await topic.drain('kazakhstan-desk')).map((m) => m.dedupKey)).toEqual(['k']);
  });
});
