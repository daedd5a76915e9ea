import { describe, expect, it } from 'vitest';
import { callsPerPass, monthlyCost } from '../../infra/cost/cost-model.js';
import { DEFAULT_WATCHLIST } from '../../shared/plan/watchlist.js';

describe('the cost model', () => {
  it('counts upstream calls with the real request planner', () => {
    expect(callsPerPass(DEFAULT_WATCHLIST)).toEqual({ calls: 2, series: 18 });
    const wide = { monthsBack: 24, entries: [{ reporter: 'CHN', partners: ['KAZ'], flows: ['export' as const, 'import' as const], commodity: 'AG2' }] };
    expect(callsPerPass(wide).series).toBe(2 * 97);
  });

  it('itemises a month by service, and grows with the watchlist', () => {
    const small = monthlyCost(DEFAULT_WATCHLIST, 8);
    expect(new Set(small.map((l) => l.service))).toEqual(new Set(['DynamoDB', 'Lambda', 'SNS', 'CloudWatch', 'KMS', 'Secrets Manager', 'EventBridge Scheduler', 'API Gateway']));
    for (const line of small) expect(line.usd).toBeGreaterThanOrEqual(0);
    const big = monthlyCost({ monthsBack: 24, entries: [{ reporter: 'CHN', partners: ['KAZ', 'AZE', 'TUR'], flows: ['export', 'import'], commodity: 'AG2' }] }, 8);
    const total = (lines: typeof small) => lines.reduce((sum, l) => sum + l.usd, 0);
    expect(total(big)).toBeGreaterThan(total(small));
  });
});
