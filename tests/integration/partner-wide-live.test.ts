import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnsClient, SnsAlertPublisher } from '../../shared/alerts/sns-publisher.js';
import { FEED_ROUTE } from '../../shared/domain/alerts/routing.js';
import { backtest, defaultDetectionConfig } from '../../shared/domain/detection/index.js';
import { evaluate } from '../../shared/domain/detection/evaluate.js';
import { startLocalAlertTopic, type LocalAlertTopic } from '../../shared/local/local-alerts.js';
import { freshTable } from '../support/local-table.js';
import { eventKeys, exportsTo, firstCalls, realEuLabels, realEuSeries, replayLive } from '../support/live-replay.js';

const ALL = realEuSeries();
const LABELS = realEuLabels();
const REROUTING = LABELS.events.find((l) => l.id === 'rerouting-members')!;
const config = defaultDetectionConfig;
/**
 * Kyrgyzstan: every reporter's exports to it (19 series, the cross-reporter peers the partner-wide
 * rule counts), replayed over the label's window. Partner groups are judged apart, so the other
 * partners change nothing for these series (checked below against evaluate over all 153);
 * `npm run bench` replays Armenia and Kyrgyzstan together, the label's 41 series.
 */
const SUBSET = exportsTo(ALL, ['KGZ'], REROUTING.window.to);
const ofSubset = (id: string) => id.split('.')[2] === 'KGZ';

describe('the partner-wide rule on the live path: real EU exports replayed month by month, reporter by reporter', () => {
  let topic: LocalAlertTopic;
  beforeAll(async () => {
    topic = await startLocalAlertTopic([FEED_ROUTE]);
  });
  afterAll(() => topic.stop());

  it('calls the rerouting as evaluate does on the same data, whatever order the reporters arrive in, each event alerted once', async () => {
    const full = evaluate(ALL, LABELS, config).outcomes.filter((o) => o.label === REROUTING.id && ofSubset(o.seriesId));
    const expected = new Map(full.filter((o) => o.hit).map((o) => [o.seriesId, o.firstAlert!]));
    // The subset is an honest stand-in: evaluate over it calls what evaluate over all 153 series calls.
    const subset = evaluate(SUBSET, LABELS, config).outcomes.filter((o) => o.label === REROUTING.id);
    expect(new Map(subset.filter((o) => o.hit).map((o) => [o.seriesId, o.firstAlert!]))).toEqual(expected);
    expect(expected.size / full.length).toBeGreaterThanOrEqual(0.8);
    const batchEvents = eventKeys(backtest(SUBSET, () => config).fired, REROUTING);

    const reporters = [...new Set(SUBSET.map((s) => s.series.reporter))].sort();
    const publisher = new SnsAlertPublisher(createSnsClient({ region: topic.region, endpoint: topic.endpoint }), topic.topicArn);
    for (const order of [reporters, [...reporters].reverse()]) {
      const table = await freshTable();
      const called = await replayLive({ store: table, publisher, routes: [FEED_ROUTE], config, series: SUBSET, from: '2022-06', to: REROUTING.window.to, order });
      const alerted = (await topic.drain(FEED_ROUTE.id)).flatMap((m) => (m.kind === 'tradewatch.alert' ? [m.dedupKey] : m.kind === 'tradewatch.digest' ? m.dedupKeys : []));
      const live = firstCalls(called, REROUTING);
      console.log(`live path, ${order[0]} first: KGZ rerouting called ${live.size}/${full.length} by ${REROUTING.window.to}; evaluate ${expected.size}/${full.length}`);
      expect(live, `${order[0]} first: first call per series`).toEqual(expected);
      // The same events (series, start, rule) as the replay in one go: a late peer opens none under another key.
      expect(eventKeys(called, REROUTING), `${order[0]} first: events`).toEqual(batchEvents);
      // Exactly once: every event called as news alerted, none twice.
      expect(alerted.length).toBe(new Set(alerted).size);
      expect(new Set(alerted)).toEqual(new Set(called.map((a) => a.dedupKey)));
    }
  }, 300_000);
});
