import { describe, expect, it } from 'vitest';
import { CUSTOM_METRICS, DEFAULT_ASSUMPTIONS, PRICES, callsPerPass, consoleCost, monthlyCost, upstreamCallsPerPass } from '../../infra/cost/cost-model.js';
import { stackAlarmCount } from '../../infra/cost/stack-alarms.js';
import { DEFAULT_WATCHLIST, watchlistSchema } from '../../shared/plan/watchlist.js';
import { WATCHLIST_PRESETS } from '../../shared/plan/watchlist-presets.js';

const line = (lines: ReturnType<typeof monthlyCost>, service: string, what: RegExp) => lines.find((l) => l.service === service && what.test(l.what))!;

describe('the cost model', () => {
  it('counts upstream calls with the real request planner', () => {
    expect(callsPerPass(DEFAULT_WATCHLIST)).toEqual({ calls: 2, series: 18 });
    const wide = { monthsBack: 24, entries: [{ reporter: 'CHN', partners: ['KAZ'], flows: ['export' as const, 'import' as const], commodity: 'AG2' }] };
    expect(callsPerPass(wide).series).toBe(2 * 97);
    // The CHPL transit preset: 5 reporters, 50 codes to 11 partners (10 for Türkiye and the UAE, not their own), exports: one call per reporter and 12 months.
    expect(callsPerPass(watchlistSchema.parse(WATCHLIST_PRESETS['chpl-transit']))).toEqual({ calls: 10, series: (3 * 11 + 2 * 10) * 50 });
  });

  it('prices the default watchlist line by line from its own counts', () => {
    const lines = monthlyCost(DEFAULT_WATCHLIST, 9);
    expect(new Set(lines.map((l) => l.service))).toEqual(new Set(['DynamoDB', 'Lambda', 'S3', 'SNS', 'CloudWatch', 'KMS', 'Secrets Manager', 'EventBridge Scheduler', 'API Gateway', 'CloudFront', 'Cognito']));
    // The manage API: 1,000 requests of a fifth of a second at 256 MB, with their HTTP API requests and table units.
    expect(line(lines, 'Lambda', /manage API/).usd).toBeCloseTo(1_000 * (0.2 * 0.25 * PRICES.lambdaArmGbSecond + PRICES.lambdaRequest + PRICES.httpApiRequest + 3 * PRICES.dynamoReadRequestUnit + PRICES.dynamoWriteRequestUnit), 12);
    // 18 series: a new month each (item + metadata), and 3 % of 24 trailing months revised (item + metadata).
    const writes = 2 * 18 + 2 * 18 * 24 * 0.03;
    expect(line(lines, 'DynamoDB', /write units/).usd).toBeCloseTo(writes * PRICES.dynamoWriteRequestUnit, 12);
    expect(line(lines, 'DynamoDB', /write units/).what).toMatch(/^62 write units/);
    // The functions' own (the drop's FilesImported and FilesRejected, ComextCalls among them), and the ingest function's ColdStart.
    expect(CUSTOM_METRICS).toBe(15);
    expect(line(lines, 'CloudWatch', /alarms/).usd).toBeCloseTo(9 * PRICES.cloudwatchAlarm + 15 * PRICES.cloudwatchCustomMetric + 0.05 * PRICES.cloudwatchLogsIngestGb, 10);
    // Four files of 2,000 rows a month: each row a new month (2 write units), stored at the slowest measured 300 rows/s at 1 GB.
    expect(line(lines, 'DynamoDB', /dropped files/).usd).toBeCloseTo(16_000 * PRICES.dynamoWriteRequestUnit, 12);
    expect(line(lines, 'Lambda', /drop function/).usd).toBeCloseTo((8_000 / 300) * PRICES.lambdaArmGbSecond + 4 * PRICES.lambdaRequest, 12);
    expect(line(lines, 'S3', /drop bucket/).usd).toBeLessThan(0.001);
    expect(line(lines, 'KMS', /key/).usd).toBe(1);
    // 30 daily runs and one refresh, one work item each: 31 secret reads at most.
    expect(line(lines, 'Secrets Manager', /31 reads/).usd).toBeCloseTo(PRICES.secretMonth + 31 * PRICES.secretsManagerApiCall, 10);
    expect(line(lines, 'API Gateway', /10,000/).usd).toBeCloseTo(0.01, 10);
  });

  it('prices Comext calls as the Lambda time they take (free upstream), with no key to read', () => {
    const comext = { monthsBack: 24, entries: [{ source: 'comext' as const, reporter: 'EUU', partners: ['KGZ', 'ARM'], flows: ['export' as const, 'import' as const], commodity: 'TOTAL' }] };
    expect(upstreamCallsPerPass(comext)).toEqual({ comtrade: 0, comext: 2, series: 4 });
    const lines = monthlyCost(comext, 9);
    // 30 release checks, the monthly update's pass and the refresh's: 34 calls at 1.5 s, and 31 runs' 2 s of planning.
    const seconds = 34 * 1.5 + 31 * 2;
    expect(line(lines, 'Lambda', /Comext/).what).toBe(`${seconds} s at 0.5 GB arm64 (0 Comtrade calls and 34 Comext calls, free upstream, paced)`);
    expect(line(lines, 'Secrets Manager', /0 reads/)).toBeDefined();
  });

  it('prices the web console: CloudFront, its S3 files, Cognito users and its API calls', () => {
    const lines = monthlyCost(DEFAULT_WATCHLIST, 9);
    // 1,000 page views: 4 files each and 3 API calls, 50 KB a page and 10 KB an answer.
    expect(line(lines, 'CloudFront', /console/).what).toBe('console: 1,000 page views, 7,000 HTTPS requests, 0.08 GB out');
    expect(line(lines, 'CloudFront', /console/).usd).toBeCloseTo(7_000 * PRICES.cloudfrontHttpsRequest + ((1_000 * 50 + 3_000 * 10) / 1024 / 1024) * PRICES.cloudfrontDataOutGb, 12);
    expect(line(lines, 'Cognito', /10 monthly active users/).usd).toBeCloseTo(10 * PRICES.cognitoLiteMau, 12);
    expect(line(lines, 'API Gateway', /console: 3,000/).usd).toBeCloseTo(3_000 * (PRICES.httpApiRequest + PRICES.lambdaRequest), 12);
    expect(line(lines, 'S3', /console files/).usd).toBeLessThan(0.001);
    const more = consoleCost({ ...DEFAULT_ASSUMPTIONS, consoleUsers: 100, consolePageViews: 10_000 });
    expect(more.reduce((sum, l) => sum + l.usd, 0)).toBeGreaterThan(consoleCost().reduce((sum, l) => sum + l.usd, 0));
  });

  it('grows with the watchlist', () => {
    const total = (lines: ReturnType<typeof monthlyCost>) => lines.reduce((sum, l) => sum + l.usd, 0);
    const big = monthlyCost({ monthsBack: 24, entries: [{ reporter: 'CHN', partners: ['KAZ', 'AZE', 'TUR'], flows: ['export', 'import'], commodity: 'AG2' }] }, 9);
    expect(total(big)).toBeGreaterThan(total(monthlyCost(DEFAULT_WATCHLIST, 9)));
  });

  it('counts the alarms it prices in the synthesized stack', () => {
    expect(stackAlarmCount()).toBe(21);
  });
});
