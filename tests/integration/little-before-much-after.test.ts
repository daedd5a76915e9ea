import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDetectAndAlert } from '../../shared/alerts/alert-job.js';
import type { AlertPublisher } from '../../shared/alerts/sns-publisher.js';
import { FEED_ROUTE, routeOf, type Route } from '../../shared/domain/alerts/routing.js';
import { defaultDetectionConfig, littleBeforeMuchAfterSchema, withOverrides } from '../../shared/domain/detection/index.js';
import { periodRange } from '../../shared/domain/period.js';
import type { Observation, SeriesKey } from '../../shared/domain/series.js';
import { startLocalAlertTopic, type LocalAlertTopic } from '../../shared/local/local-alerts.js';
import { historyChunks } from '../../shared/plan/backfill-plan.js';
import { createAlertPublisher } from '../../shared/wiring.js';
import { freshTable } from '../support/local-table.js';

const EMAIL = routeOf({ protocol: 'email', endpoint: 'desk@example.org', minSeverity: 'info' });
const SMS = routeOf({ protocol: 'sms', endpoint: '+4915112345678' });
const ROUTES: Route[] = [FEED_ROUTE, EMAIL, SMS];
const withRule = withOverrides(defaultDetectionConfig, { littleBeforeMuchAfter: littleBeforeMuchAfterSchema.parse({ date: '2022-03' }) });

const chips = (partner: string, commodity: string): SeriesKey => ({ source: 'comtrade', reporter: 'EUU', partner, flow: 'export', commodity, currency: 'USD' });

/** `before` a month until 2022-02 and `after` from 2022-03, months from..to; zero months have no row, as Comtrade publishes them. */
function months(before: number, after: number, from: string, to: string): Observation[] {
  return periodRange(from, to).flatMap((period) => {
    const value = period < '2022-03' ? before : after;
    return value === 0 ? [] : [{ period, value, state: 'published' as const }];
  });
}

describe('the little-before-much-after rule on the live path (DynamoDB Local, fauxqs)', () => {
  let topic: LocalAlertTopic;
  let sns: AlertPublisher;
  beforeAll(async () => {
    topic = await startLocalAlertTopic(ROUTES);
    sns = createAlertPublisher({ region: topic.region, snsEndpoint: topic.endpoint, alertTopicArn: topic.topicArn });
  });
  afterAll(() => topic.stop());

  it('sends the codes a release finds as one digest per route with both windows, once; history still loading is not judged', async () => {
    const table = await freshTable();
    // The planner watches EUU's CHPL exports to Kyrgyzstan: history from 2019-07 to 2024-06, the newest chunks stored so far.
    await table.backfill.create({ source: 'comtrade', reporter: 'EUU', commodity: 'CHPL', partner: 'KGZ', flows: ['export'], wantedFrom: '2019-07', wantedTo: '2024-06', chunksDone: new Set(), chunksQueued: new Map() });
    const chunks = historyChunks('2019-07', '2024-06');
    await table.backfill.markDone('comtrade', 'EUU', 'CHPL', ['KGZ'], chunks[0]!);
    await table.backfill.markDone('comtrade', 'EUU', 'CHPL', ['KGZ'], chunks[1]!);

    const release = '2024-07-20T00:00:00.000Z';
    // Chips from a trickle to much; a code Kyrgyzstan took nothing of before (no rows); one that already took much.
    await table.series.saveObservations(chips('KGZ', '854231'), months(20_000, 1_400_000, '2022-07', '2024-06'), release);
    await table.series.saveObservations(chips('KGZ', '854232'), months(0, 800_000, '2022-07', '2024-06'), release);
    await table.series.saveObservations(chips('KGZ', '848210'), months(3_000_000, 4_000_000, '2022-07', '2024-06'), release);
    const run = () => runDetectAndAlert({ ...table, publisher: sns, routes: ROUTES, detectionFor: () => withRule, lookbackMonths: 3, now: () => new Date() });

    // Only 2022-07.. is stored: the base (Mar 2021-Feb 2022) is not known yet, so nothing is said.
    const early = await run();
    expect(early.anomalies.filter((a) => a.explanation.rule === 'little-before-much-after')).toEqual([]);

    // The older history lands (the base months held rows for the chip that had them).
    for (const chunk of chunks.slice(2)) await table.backfill.markDone('comtrade', 'EUU', 'CHPL', ['KGZ'], chunk);
    await table.series.saveObservations(chips('KGZ', '854231'), months(20_000, 1_400_000, '2019-07', '2022-06'), release);
    await table.series.saveObservations(chips('KGZ', '848210'), months(3_000_000, 4_000_000, '2019-07', '2022-06'), release);
    await table.series.saveObservations(chips('KGZ', '854232'), [{ period: '2019-07', value: 0, state: 'zero' }], release);

    const found = await run();
    const pattern = found.anomalies.filter((a) => a.explanation.rule === 'little-before-much-after');
    expect(pattern.map((a) => a.series.commodity).sort()).toEqual(['854231', '854232']);
    const email = await topic.drain(EMAIL.id);
    expect(email).toHaveLength(1);
    expect(email[0]).toMatchObject({ kind: 'tradewatch.digest', subject: '[tradewatch digest] 2 series took little before 2022-03 and much after (2 warning)' });
    expect(email[0]!.email).toContain('HS 854231 (CHPL tier 1): US$240.0k in Mar 2021-Feb 2022 (US$20.0k a month), US$16.8m in Jul 2023-Jun 2024 (US$1.4m a month over 12 months): ×70 a month');
    expect(email[0]!.email).toContain('HS 854232 (CHPL tier 1): US$0 in Mar 2021-Feb 2022 (US$0 a month), US$9.6m in Jul 2023-Jun 2024 (US$800.0k a month over 12 months): from nothing');
    expect((await topic.drain(FEED_ROUTE.id)).map((m) => m.kind)).toEqual(['tradewatch.alert', 'tradewatch.alert']);
    expect(await topic.drain(SMS.id)).toEqual([]);

    // The next release grows the after window: the same events, told once already.
    await table.series.saveObservations(chips('KGZ', '854231'), months(20_000, 1_500_000, '2024-07', '2024-07'), '2024-08-20T00:00:00.000Z');
    const next = await run();
    expect(next.messages).toEqual([]);
    expect(await topic.drain(EMAIL.id)).toEqual([]);
    expect(await table.alerts.list({ status: 'SENT' })).toHaveLength(2);
  });
});
