import { performance } from 'node:perf_hooks';
import { createSnsClient, SnsAlertPublisher } from '../../../shared/alerts/sns-publisher.js';
import { FEED_ROUTE } from '../../../shared/domain/alerts/routing.js';
import { defaultDetectionConfig } from '../../../shared/domain/detection/index.js';
import { evaluate } from '../../../shared/domain/detection/evaluate.js';
import { ensureTable } from '../../../shared/local/dynamodb-local.js';
import { startLocalAlertTopic } from '../../../shared/local/local-alerts.js';
import { createStore } from '../../../shared/wiring.js';
import { exportsTo, firstCalls, realEuLabels, realEuSeries, replayLive } from '../../support/live-replay.js';
import type { BenchContext, BenchResult } from '../bench-context.js';

/**
 * Issue 13's rerouting figure on the live path: every reporter's real exports to Armenia and
 * Kyrgyzstan replayed month by month (2022-05..09), reporter by reporter, each followed by its own
 * detect-and-alert run against DynamoDB Local and a local SNS topic, beside `evaluate`'s figure.
 */
export async function partnerWideLive({ dynamo }: BenchContext): Promise<BenchResult> {
  const all = realEuSeries();
  const labels = realEuLabels();
  const rerouting = labels.events.find((l) => l.id === 'rerouting-members')!;
  const config = defaultDetectionConfig;
  const series = exportsTo(all, ['ARM', 'KGZ'], rerouting.window.to);
  const evaluated = evaluate(all, labels, config).labels.find((l) => l.id === rerouting.id)!;
  const topic = await startLocalAlertTopic([FEED_ROUTE]);
  try {
    const tableName = 'bench-partner-wide-live';
    await ensureTable(dynamo, tableName);
    const store = createStore({ region: dynamo.region, tableName, dynamoDbEndpoint: dynamo.endpoint });
    const publisher = new SnsAlertPublisher(createSnsClient({ region: topic.region, endpoint: topic.endpoint }), topic.topicArn);
    const order = [...new Set(series.map((s) => s.series.reporter))].sort().reverse();
    const start = performance.now();
    const called = await replayLive({ store, publisher, routes: [FEED_ROUTE], config, series, from: '2022-05', to: rerouting.window.to, order });
    const seconds = (performance.now() - start) / 1000;
    const live = firstCalls(called, rerouting).size;
    const pct = (n: number) => `${((n / evaluated.series) * 100).toFixed(0)} %`;
    return {
      name: 'the partner-wide rule on the live path: real EU exports to ARM/KGZ replayed month by month, reporter by reporter (last reporter first)',
      figures: [
        `rerouting, member->ARM/KGZ above 1.5x, called up by ${rerouting.window.to}: live path ${live}/${evaluated.series} (${pct(live)}), evaluate ${evaluated.hits}/${evaluated.series} (${pct(evaluated.hits)}) — goal >= 80 %, and equal`,
        `${series.length} series, ${order.length} reporters x 5 months = ${order.length * 5} runs in ${seconds.toFixed(1)} s (${((seconds / (order.length * 5)) * 1000).toFixed(0)} ms a run, storing included)`,
      ],
    };
  } finally {
    await topic.stop();
  }
}
