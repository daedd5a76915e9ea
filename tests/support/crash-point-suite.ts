import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSnsClient, SnsAlertPublisher } from '../../shared/alerts/sns-publisher.js';
import { loadDemoDataSet } from '../../shared/demo/demo-figures.js';
import { FEED_ROUTE, routeOf } from '../../shared/domain/alerts/routing.js';
import { defaultDetectionConfig } from '../../shared/domain/detection/index.js';
import { periodRange } from '../../shared/domain/period.js';
import { processWorkItem } from '../../shared/ingest/process-work-item.js';
import type { LocalComtradeServer } from '../../shared/local/comtrade-server.js';
import { startLocalAlertTopic, type LocalAlertTopic } from '../../shared/local/local-alerts.js';
import { expandWatchlist, watchlistInputSchema } from '../../shared/plan/watchlist.js';
import { planWorkItems, type WorkItem } from '../../shared/plan/work-items.js';
import { ComtradeClient } from '../../shared/sources/comtrade/comtrade-client.js';
import { ComtradeSource } from '../../shared/sources/comtrade/comtrade-source.js';
import { storeOn, storedDetection } from '../../shared/wiring.js';
import { startDemoComtrade } from './demo-comtrade.js';
import { FaultPlan, startFaultProxy, type Fault, type FaultProxy } from './fault-proxy.js';
import { freshTable } from './local-table.js';

const EMAIL = routeOf({ protocol: 'email', endpoint: 'analyst@example.org' });
const SMS = routeOf({ protocol: 'sms', endpoint: '+10000000000' });
const ROUTES = [FEED_ROUTE, EMAIL, SMS];
/**
 * The attempt that meets the fault gives each call one attempt, so the fault fails the call. A hang
 * ends at the request timeout, production's 10 s: every other call of that attempt gets as long as
 * a loaded machine needs too. At 5 s a loaded machine timed out the faulty attempt's best-effort
 * release of its alert claims after the injected hang, a second fault the test does not inject,
 * and the next run (at once, within the claim's lease) left the alert for a later run. An error
 * needs no timeout of its own.
 */
const CLEAN = { maxAttempts: 1, requestTimeoutMs: 10_000 };
const FAULTY: Record<Fault, typeof CLEAN> = { error: CLEAN, hang: CLEAN };

/** Attributes that hold wall-clock times, lease owners, attempt counts or message ids: they differ from run to run by design. */
const VOLATILE = new Set(['createdAt', 'updatedAt', 'leaseExpiresAt', 'leaseToken', 'lockedUntil', 'owner', 'sentAt', 'attempts', 'completedAt', 'startedAt', 'gsi1sk', 'reason']);

/** The value with every object's keys in order, so equal items print alike. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  return value;
}

/** The table as a comparable value: every item, volatile attributes out, deliveries as the routes that got them. */
function normalized(items: Record<string, unknown>[]): string[] {
  return items
    .map((item) => {
      const kept = Object.fromEntries(Object.entries(item).filter(([name]) => !VOLATILE.has(name)));
      if (kept.deliveries) kept.deliveries = Object.keys(kept.deliveries as object).sort();
      if (kept.notified) kept.notified = { ...(kept.notified as object), at: undefined };
      return JSON.stringify(canonical(kept));
    })
    .sort();
}

/**
 * Injection points checked side by side: each lane has its own fault plan, proxies and alert topic
 * (so its calls are counted, and its messages read back, apart from the others'), and a fresh
 * table per point. The calls are round trips to DynamoDB Local and fauxqs: one lane leaves both
 * mostly idle.
 */
const LANES = 4;

interface Lane {
  readonly plan: FaultPlan;
  readonly topic: LocalAlertTopic;
  readonly dynamoProxy: FaultProxy;
  readonly snsProxy: FaultProxy;
}

/**
 * One work item under a fault at each of its DynamoDB and SNS calls: the suite for the given kinds
 * of fault. Each kind has a test file of its own (crash-points-error, crash-points-hang), so the
 * two sweeps, the longest tests there are, run side by side.
 */
export function crashPointSuite(faults: readonly Fault[]): void {
describe(`one work item under ${faults.map((f) => `a${f === 'error' ? 'n' : ''} ${f}`).join(' and ')} at each of its DynamoDB and SNS calls`, () => {
  let comtrade: LocalComtradeServer;
  const lanes: Lane[] = [];
  const watchlistInput = watchlistInputSchema.parse({ entries: [{ reporter: 'CHN', partners: ['AZE'], flows: ['export', 'import'], commodity: 'TOTAL', janFebCombined: true }], monthsBack: 24 });
  const watchlist = expandWatchlist(watchlistInput);
  const dataSet = loadDemoDataSet();
  const [item] = planWorkItems(watchlist, periodRange(dataSet.from, dataSet.to), 'monthly-refresh', '2024-03-25T02:00:00Z');
  // The next scheduled run: a daily run, which also picks up whatever the item left undone.
  const [nextRun] = planWorkItems(watchlist, periodRange('2022-03', '2024-02'), 'daily', '2024-03-26T02:00:00Z');

  async function startLane(): Promise<Lane> {
    const plan = new FaultPlan();
    const topic = await startLocalAlertTopic(ROUTES);
    const [dynamoProxy, snsProxy] = await Promise.all([startFaultProxy(inject('dynamoDbEndpoint'), plan), startFaultProxy(topic.endpoint, plan)]);
    return { plan, topic, dynamoProxy, snsProxy };
  }

  beforeAll(async () => {
    comtrade = await startDemoComtrade();
    for (let i = 0; i < LANES; i++) lanes.push(await startLane());
  });
  afterAll(async () => {
    await Promise.all([comtrade?.stop(), ...lanes.flatMap((lane) => [lane.dynamoProxy.stop(), lane.snsProxy.stop(), lane.topic.stop()])]);
  });

  async function scenario({ topic, dynamoProxy, snsProxy }: Lane, fault: Fault = 'error') {
    const table = await freshTable();
    const deps = (limits: typeof CLEAN) => {
      const store = storeOn({ region: 'us-east-1', endpoint: dynamoProxy.endpoint, limits }, table.tableName);
      return {
        ...store,
        sourceFor: () => new ComtradeSource(new ComtradeClient({ baseUrl: comtrade.baseUrl, minIntervalMs: 0 })),
        publisher: new SnsAlertPublisher(createSnsClient({ region: topic.region, endpoint: snsProxy.endpoint, limits }), topic.topicArn),
        routes: ROUTES,
        // As the ingest function reads them: the table's watchlist (not seeded here, so the deploy's), through the faulty proxy too.
        loadDetectionFor: storedDetection(store.watchlist, { watchlist, watchlistSeed: watchlistInput, detection: defaultDetectionConfig }),
        lookbackMonths: 3,
      };
    };
    const faulty = deps(FAULTY[fault]);
    const clean = deps(CLEAN);
    const run = (workItem: WorkItem, attempt: 'faulty' | 'clean' = 'clean') => processWorkItem(workItem, attempt === 'faulty' ? faulty : clean);
    const snapshot = async () => normalized(((await table.doc.send(new ScanCommand({ TableName: table.tableName, ConsistentRead: true }))).Items ?? []) as Record<string, unknown>[]);
    const received = async () => Object.fromEntries(await Promise.all(ROUTES.map(async (r) => [r.id, (await topic.drain(r.id)).flatMap((m) => (m.kind === 'tradewatch.digest' ? m.dedupKeys : [m.dedupKey])).sort()] as const)));
    return { run, snapshot, received };
  }

  /** The item, redelivered until it succeeds (as SQS would, at most three times), then the next scheduled run. */
  async function deliverUntilDone(plan: FaultPlan, run: (workItem: WorkItem, attempt?: 'faulty' | 'clean') => Promise<unknown>): Promise<number> {
    const errors: string[] = [];
    for (let delivery = 1; delivery <= 4; delivery++) {
      try {
        await run(item!, delivery === 1 ? 'faulty' : 'clean');
        await run(nextRun!);
        return delivery;
      } catch (error) {
        errors.push((error as Error).message);
        plan.reset(); // the fault was one call's; redelivery meets none
      }
    }
    throw new Error(`the item never completed: ${errors.join(' | ')}`);
  }

  it('ends, after redelivery and the next scheduled run, with the same table and every alert once per route', async () => {
    const [first] = lanes;
    const baseline = await scenario(first!);
    first!.plan.reset();
    await baseline.run(item!);
    const calls = first!.plan.calls;
    await baseline.run(nextRun!);
    const expectedTable = await baseline.snapshot();
    const expectedMessages = await baseline.received();
    // Something to lose or double: Azerbaijan's Jan-Feb 2024 alerts on every route that wants them.
    expect(expectedMessages.feed!.length).toBeGreaterThan(0);
    for (const keys of Object.values(expectedMessages)) expect(new Set(keys).size).toBe(keys.length);
    console.log(`crash points: ${calls} DynamoDB and SNS calls in one work item, each met by: ${faults.join(', ')}`);

    // Every (fault, call) point, each taken by the next free lane; the first failure stops the others.
    const points = faults.flatMap((fault) => Array.from({ length: calls }, (_, i) => ({ fault, call: i + 1 })));
    let next = 0;
    let failed = false;
    const checked: string[] = [];
    await Promise.all(
      lanes.map(async (lane) => {
        while (!failed && next < points.length) {
          const { fault, call } = points[next++]!;
          try {
            const attempt = await scenario(lane, fault);
            lane.plan.inject(call, fault);
            await deliverUntilDone(lane.plan, attempt.run);
            expect(await attempt.snapshot(), `${fault} at call ${call}: the table`).toEqual(expectedTable);
            expect(await attempt.received(), `${fault} at call ${call}: the messages per route`).toEqual(expectedMessages);
            checked.push(`${fault}@${call}`);
          } catch (error) {
            failed = true;
            throw error;
          } finally {
            lane.plan.reset();
          }
        }
      }),
    );
    // Every point was met, none skipped.
    expect(checked.sort()).toEqual(points.map(({ fault, call }) => `${fault}@${call}`).sort());
  }, 900_000);
});
}
