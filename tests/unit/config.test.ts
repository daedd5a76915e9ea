import { describe, expect, it } from 'vitest';
import { loadCliConfig, loadDropConfig, loadIngestConfig, loadPlanConfig, loadQueryConfig } from '../../shared/config/functions.js';
import { ConfigError } from '../../shared/config/environment.js';
import { defaultDetectionConfig, littleBeforeMuchAfterSchema } from '../../shared/domain/detection/index.js';
import { DEFAULT_WATCHLIST, DEFAULT_WATCHLIST_INPUT, detectionSettingsOf, expandWatchlist, trailingPeriods } from '../../shared/plan/watchlist.js';

describe('configuration', () => {
  it('has defaults that run against the real API and AWS', () => {
    const config = loadCliConfig({});
    expect(config).toMatchObject({
      region: 'us-east-1',
      tableName: 'tradewatch',
      dynamoDbEndpoint: undefined,
      comtrade: { baseUrl: 'https://comtradeapi.un.org', minIntervalMs: 6000, apiKey: undefined },
      alertLookbackMonths: 3,
    });
    expect(config.watchlist).toEqual(DEFAULT_WATCHLIST);
    expect(config.detection.zThreshold).toBe(3.5);
  });

  it('reads Eurostat Comext settings, with defaults for the real API, and its own daily budget for the planner', () => {
    expect(loadCliConfig({}).comext).toEqual({ baseUrl: 'https://ec.europa.eu', minIntervalMs: 1000, timeoutMs: 60_000, asyncPollIntervalMs: 10_000, asyncMaxWaitMs: 300_000 });
    expect(loadCliConfig({ COMEXT_BASE_URL: 'http://127.0.0.1:9998', COMEXT_ASYNC_MAX_WAIT_MS: '5000' }).comext).toMatchObject({ baseUrl: 'http://127.0.0.1:9998', asyncMaxWaitMs: 5000 });
    expect(() => loadCliConfig({ COMEXT_ASYNC_MAX_WAIT_MS: '3600000' })).toThrow(/COMEXT_ASYNC_MAX_WAIT_MS/);
    expect(loadPlanConfig({ WORK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/1/q', COMEXT_DAILY_CALL_BUDGET: '200' })).toMatchObject({ dailyCallBudget: 450, comextDailyCallBudget: 200 });
    const comext = loadCliConfig({ WATCHLIST: JSON.stringify({ entries: [{ source: 'comext', reporter: 'EU27_2020', partners: ['KG', 'EU27_2020_EXTRA'] }] }) });
    expect(comext.watchlist.entries[0]).toMatchObject({ source: 'comext', reporter: 'EUU', partners: ['KGZ', 'EUX'] });
    expect(() => loadCliConfig({ WATCHLIST: JSON.stringify({ entries: [{ source: 'comext', reporter: 'EUU', partners: ['KGZ'], commodity: 'AG2' }] }) })).toThrow(/WATCHLIST\.entries\.0: commodity "AG2" is not one Eurostat Comext is asked for/);
  });

  it('is pointable: every endpoint comes from the environment', () => {
    const config = loadCliConfig({
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      SNS_ENDPOINT: 'http://127.0.0.1:4566',
      COMTRADE_BASE_URL: 'http://127.0.0.1:9999',
      COMTRADE_MIN_INTERVAL_MS: '0',
    });
    expect(config.dynamoDbEndpoint).toBe('http://127.0.0.1:8000');
    expect(config.snsEndpoint).toBe('http://127.0.0.1:4566');
    expect(config.comtrade).toMatchObject({ baseUrl: 'http://127.0.0.1:9999', minIntervalMs: 0 });
  });

  it('names every bad variable and what is wrong with it', () => {
    const attempt = () =>
      loadCliConfig({ COMTRADE_BASE_URL: 'not a url', COMTRADE_MIN_INTERVAL_MS: '-5', WATCHLIST: '{"entries": [', DETECTION: '{"zThreshold": -1}' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/COMTRADE_BASE_URL/);
      expect(message).toMatch(/COMTRADE_MIN_INTERVAL_MS/);
      expect(message).toMatch(/WATCHLIST: is not valid JSON/);
      expect(message).toMatch(/DETECTION\.zThreshold/);
    }
  });

  it('fetches the trailing window up to the month before the run', () => {
    const periods = trailingPeriods(DEFAULT_WATCHLIST, new Date('2024-03-15T02:00:00Z'));
    expect(periods).toHaveLength(24);
    expect(periods[0]).toBe('2022-03');
    expect(periods.at(-1)).toBe('2024-02');
  });

  it('lets a watchlist entry override detection settings for its reporter, validated', () => {
    const config = loadCliConfig({
      WATCHLIST: JSON.stringify({ entries: [{ reporter: 'KAZ', partners: ['CHN'], detection: { growthFloor: 0.4 } }, { reporter: 'CHN', partners: ['AZE'] }] }),
      DETECTION: JSON.stringify({ zThreshold: 4 }),
    });
    expect(detectionSettingsOf(config.watchlist, config.detection)('KAZ')).toMatchObject({ growthFloor: 0.4, zThreshold: 4 });
    expect(detectionSettingsOf(config.watchlist, config.detection)('CHN')).toMatchObject({ growthFloor: 0.25, zThreshold: 4 });
    expect(() => loadCliConfig({ WATCHLIST: JSON.stringify({ entries: [{ reporter: 'KAZ', partners: ['CHN'], detection: { growthFloor: -1 } }] }) })).toThrow(
      /WATCHLIST\.entries\.0\.detection\.growthFloor/,
    );
  });

  it('takes the Jan+Feb setting per reporter from the watchlist', () => {
    const config = loadCliConfig({ WATCHLIST: JSON.stringify({ entries: [{ reporter: 'VNM', partners: ['CHN'], janFebCombined: true }, { reporter: 'CHN', partners: ['AZE'], janFebCombined: false }] }) });
    expect(detectionSettingsOf(config.watchlist, config.detection)('VNM').janFebCombinedReporters).toEqual(['CHN', 'VNM']);
    expect(detectionSettingsOf(config.watchlist, config.detection)('CHN').janFebCombinedReporters).toEqual([]);
    expect(detectionSettingsOf(DEFAULT_WATCHLIST, config.detection)('CHN').janFebCombinedReporters).toEqual(['CHN']);
  });

  it('combines the settings of several entries of one reporter in their order, a later entry winning where both set one', () => {
    const watchlist = expandWatchlist({
      entries: [
        { reporter: 'EUU', partners: ['KGZ'], flows: ['export'], commodity: 'TOTAL', detection: { growthFloor: 0.4, zThreshold: 5 } },
        { reporter: 'TUR', partners: ['AZE'], flows: ['export'], commodity: 'TOTAL' },
        { reporter: 'EUU', partners: ['KAZ'], flows: ['export'], commodity: 'CHPL', janFebCombined: true, detection: { zThreshold: 4, littleBeforeMuchAfter: littleBeforeMuchAfterSchema.parse({ date: '2022-03' }) } },
      ],
      monthsBack: 24,
    });
    const detectionFor = detectionSettingsOf(watchlist, defaultDetectionConfig);
    expect(detectionFor('EUU')).toMatchObject({ growthFloor: 0.4, zThreshold: 4, littleBeforeMuchAfter: { date: '2022-03' }, janFebCombinedReporters: ['CHN', 'EUU'] });
    // A reporter whose entries set nothing, and one with no entry, get the global settings themselves.
    expect(detectionFor('TUR')).toBe(defaultDetectionConfig);
    expect(detectionFor('USA')).toBe(defaultDetectionConfig);
  });

  it('expands a global watchlist written with *: every reporter, every partner but itself', () => {
    const config = loadCliConfig({ WATCHLIST: JSON.stringify({ entries: [{ reporter: '*', partners: '*', commodity: 'AG2' }] }) });
    expect(config.watchlist.entries.length).toBeGreaterThan(200);
    const china = config.watchlist.entries.find((e) => e.reporter === 'CHN')!;
    expect(china.partners).toContain('AZE');
    expect(china.partners).not.toContain('CHN');
    expect(china.partners).toHaveLength(config.watchlist.entries.length - 1);
  });

  it('gives the query function only its own sections: the table, the watchlist, groups, detection, the run schedule and the call budgets (for the status), each still checked', () => {
    const config = loadQueryConfig({ TABLE_NAME: 'trade', TRADEWATCH_GROUPS: JSON.stringify({ CAUCASUS: { name: 'South Caucasus', members: ['AZE', 'GEO', 'ARM'] } }), COMTRADE_TIMEOUT_MS: 'not its business' });
    expect(config).toEqual({
      region: 'us-east-1',
      tableName: 'trade',
      dynamoDbEndpoint: undefined,
      watchlist: DEFAULT_WATCHLIST,
      // The watchlist as written, which seeds the table's on the first run.
      watchlistSeed: DEFAULT_WATCHLIST_INPUT,
      groups: { CAUCASUS: { name: 'South Caucasus', members: ['AZE', 'GEO', 'ARM'] } },
      detection: loadCliConfig({}).detection,
      schedule: { hour: 10, minute: 0, timeZone: 'Asia/Shanghai', monthlyRefreshDay: 25 },
      dailyCallBudget: 450,
      comextDailyCallBudget: 1_000,
    });
    expect(loadQueryConfig({ RUN_SCHEDULE: '{"hour":6,"timeZone":"Europe/Berlin"}' }).schedule).toEqual({ hour: 6, minute: 0, timeZone: 'Europe/Berlin', monthlyRefreshDay: 25 });
    expect(() => loadQueryConfig({ RUN_SCHEDULE: '{"timeZone":"Mars/Olympus"}' })).toThrow(/RUN_SCHEDULE\.timeZone: expected an IANA time zone/);
    expect(() => loadQueryConfig({ WATCHLIST: '{broken' })).toThrow(/WATCHLIST: is not valid JSON/);
    expect(() => loadQueryConfig({ TRADEWATCH_GROUPS: '{"caucasus":{"name":"x","members":["AZE"]}}', DETECTION: '{"zThreshold":-1}' })).toThrow(ConfigError);
    expect(() => loadQueryConfig({ TRADEWATCH_GROUPS: '{"caucasus":{"name":"x","members":["AZE"]}}' })).toThrow(/TRADEWATCH_GROUPS\.caucasus: a group name is 4 to 20 capital letters/);
    expect(() => loadQueryConfig({ DETECTION: '{"zThreshold":-1}' })).toThrow(/DETECTION\.zThreshold: Too small/);
  });

  it('requires, at start-up, what each function cannot run without', () => {
    expect(() => loadIngestConfig({})).toThrow(/ALERT_TOPIC_ARN/);
    expect(() => loadPlanConfig({})).toThrow(/WORK_QUEUE_URL/);
    expect(loadIngestConfig({ ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts' }).alertTopicArn).toBe('arn:aws:sns:us-east-1:123456789012:alerts');
    expect(loadPlanConfig({ WORK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/work' }).workQueueUrl).toBe('https://sqs.us-east-1.amazonaws.com/123456789012/work');
    // The CLI publishes only where a topic is named (npm start names its local one).
    expect(loadCliConfig({}).alertTopicArn).toBeUndefined();
    // The drop function: its bucket and a topic, each named when missing or malformed.
    expect(() => loadDropConfig({})).toThrow(/ALERT_TOPIC_ARN[\s\S]*DROP_BUCKET|DROP_BUCKET[\s\S]*ALERT_TOPIC_ARN/);
    expect(() => loadDropConfig({ ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts', DROP_BUCKET: 'Not_A_Bucket' })).toThrow(/DROP_BUCKET: expected an S3 bucket name/);
    expect(loadDropConfig({ ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts', DROP_BUCKET: 'tradewatch-drop-123456789012-us-east-1' })).toMatchObject({
      dropBucket: 'tradewatch-drop-123456789012-us-east-1',
      region: 'us-east-1',
    });
  });
});
