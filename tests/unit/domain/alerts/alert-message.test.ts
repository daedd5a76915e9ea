import { describe, expect, it } from 'vitest';
import { buildAlertMessage, buildDigestMessage, readDeliveredAlert } from '../../../../shared/domain/alerts/alert-message.js';
import { FEED_ROUTE, filterPolicy, planDeliveries, routeOf, routesOf, routeWants } from '../../../../shared/domain/alerts/routing.js';
import { SMS_MAX_LENGTH, renderAlert, renderDigest } from '../../../../shared/domain/alerts/alert-text.js';
import { detectAnomalies, type Anomaly } from '../../../../shared/domain/detection/index.js';
import { demoSeries } from '../../../support/demo-series.js';

const { key, observations } = demoSeries('AZE', 'trade');
const anomaly = detectAnomalies({ series: key, observations }).anomalies[0]!;
const message = buildAlertMessage(anomaly, renderAlert(anomaly), 'email-warning-d5');

/** The Azerbaijan anomaly dressed as another partner and severity. */
const variant = (partner: string, severity: Anomaly['severity'], change = 0.5): Anomaly => ({
  ...anomaly,
  severity,
  dedupKey: `${partner}-${severity}-${change}`,
  series: { ...anomaly.series, partner },
  explanation: { ...anomaly.explanation, change },
});

describe('the SNS alert message', () => {
  it('has one body per protocol: e-mail text, SMS text, and JSON for machines', () => {
    const structure = JSON.parse(message.structuredMessage) as Record<string, string>;
    expect(Object.keys(structure).sort()).toEqual(['default', 'email', 'lambda', 'sms', 'sqs']);
    expect(structure.sms).toBe('CN-AZ trade Jan-Feb 2024 +83% y/y (US$520m) vol +25% UV +47% CRITICAL');
    expect(structure.email).toContain('China trade with Azerbaijan, Jan-Feb 2024: +83% year on year');
    expect(JSON.parse(structure.default!)).toMatchObject({ kind: 'tradewatch.alert', route: 'email-warning-d5', seriesId: 'comtrade.CHN.AZE.trade.TOTAL.USD' });
  });

  it('carries the route the subscriptions filter on, and attributes anyone else can filter on', () => {
    expect(message.attributes).toEqual({
      route: 'email-warning-d5',
      kind: 'tradewatch.alert',
      severity: 'critical',
      reporter: 'CHN',
      partner: 'AZE',
      flow: 'trade',
      source: 'comtrade',
      type: 'AO',
      direction: 'up',
    });
  });

  it('is read back from an SNS envelope, a raw delivery, or a whole structured document', () => {
    const sqsBody = (JSON.parse(message.structuredMessage) as { sqs: string }).sqs;
    const envelope = JSON.stringify({ Type: 'Notification', Message: sqsBody });
    const whole = JSON.stringify({ Type: 'Notification', Message: message.structuredMessage });
    for (const body of [envelope, sqsBody, whole]) expect(readDeliveredAlert(body)).toMatchObject({ dedupKey: anomaly.dedupKey });
    expect(() => readDeliveredAlert('{"hello": 1}')).toThrow();
  });

  it('marks an update as such, in the subject, the e-mail and the SMS', () => {
    const update = { previousSeverity: 'warning' as const, previousDirection: 'up' as const, previousChange: 0.41, reason: 'revision' as const };
    const rendered = renderAlert(anomaly, {}, update);
    expect(rendered.subject).toMatch(/^\[tradewatch updated, critical\]/);
    expect(rendered.email).toMatch(/^UPDATE: the agency revised these figures\. Earlier: \+41%, WARNING \(jump\); now as below\./);
    expect(rendered.sms).toBe('UPDATED CN-AZ trade Jan-Feb 2024 +83% y/y (US$520m) vol +25% UV +47% CRITICAL');
    expect(buildAlertMessage(anomaly, rendered, 'feed', true).attributes.kind).toBe('tradewatch.update');
  });

  it('words an event that moved on, or ended, as such rather than as a revision', () => {
    const told = { previousSeverity: 'warning' as const, previousDirection: 'down' as const, previousChange: -0.4, reason: 'event' as const };
    const later = { ...anomaly, type: 'LS' as const, phase: 'deepening' as const, eventStart: '2022-03', eventBuckets: 3 };
    expect(renderAlert(later, {}, told).email).toMatch(/^UPDATE: the event goes on, deepening \(3 buckets since 2022-03\), now typed persistent level shift \(LS\)\. Earlier: -40%, WARNING \(drop\)/);
    const ended = { ...later, phase: 'ended' as const, eventBuckets: 6 };
    expect(renderAlert(ended, {}, told).email).toMatch(/^UPDATE: this event has ended \(6 buckets since 2022-03\): year-on-year change is back within its usual range\./);
  });
});

describe('digests', () => {
  const many = [variant('KAZ', 'warning', 0.3), variant('UZB', 'critical', 0.6), variant('TUR', 'info', 0.26), variant('GEO', 'critical', 1.2)];

  it('lists the anomalies most severe first, with a tally, and keeps the SMS within 160 characters', () => {
    const sorted = planDeliveries([{ ...routeOf({ protocol: 'sms', endpoint: '+1' }), minSeverity: 'info', digestAbove: 2 }], () => many, (a) => a)[0]!;
    expect(sorted.kind).toBe('digest');
    const anomalies = sorted.kind === 'digest' ? sorted.items : [];
    expect(anomalies.map((a) => a.series.partner)).toEqual(['GEO', 'UZB', 'KAZ', 'TUR']);
    const digest = renderDigest(anomalies);
    expect(digest.subject).toBe('[tradewatch digest] 4 anomalies in this release (2 critical, 1 warning, 1 info)');
    expect(digest.email.split('\n').slice(2, 6).map((l) => l.trim().split(' ')[0])).toEqual(['CRITICAL', 'CRITICAL', 'WARNING', 'INFO']);
    expect(digest.sms.length).toBeLessThanOrEqual(SMS_MAX_LENGTH);
    expect(digest.sms).toMatch(/^tradewatch: 4 anomalies \(2 critical, 1 warning, 1 info\)\. CN-GE trade Jan-Feb 2024 \+120% y\/y/);
    const built = buildDigestMessage(anomalies, digest, 'sms-critical-d3');
    expect(built.attributes).toEqual({ route: 'sms-critical-d3', kind: 'tradewatch.digest', severity: 'critical' });
    expect(readDeliveredAlert(JSON.parse(built.structuredMessage).sqs)).toMatchObject({ kind: 'tradewatch.digest', dedupKeys: anomalies.map((a) => a.dedupKey) });
  });
});

describe('routing', () => {
  it('gives each group of subscribers with the same preferences one route, plus the feed', () => {
    const routes = routesOf([
      { protocol: 'email', endpoint: 'a@example.org' },
      { protocol: 'email', endpoint: 'b@example.org' },
      { protocol: 'sms', endpoint: '+4915112345678' },
      { protocol: 'email', endpoint: 'kz@example.org', minSeverity: 'info', partners: ['KAZ'], digestAbove: 10 },
    ]);
    expect(routes.map((r) => r.id)).toEqual(['feed', 'email-warning-d5', 'sms-critical-d3', 'email-info-kaz-d10']);
    expect(filterPolicy(routes[1]!)).toEqual({ route: ['email-warning-d5'] });
  });

  it('sends a route its minimum severity and up, for its partners only', () => {
    const kz = routeOf({ protocol: 'email', endpoint: 'kz@example.org', minSeverity: 'info', partners: ['KAZ'] });
    const sms = routeOf({ protocol: 'sms', endpoint: '+1' });
    expect(routeWants(kz, variant('KAZ', 'info'))).toBe(true);
    expect(routeWants(kz, variant('AZE', 'critical'))).toBe(false);
    expect(routeWants(sms, variant('AZE', 'warning'))).toBe(false);
    expect(routeWants(sms, variant('AZE', 'critical'))).toBe(true);
    expect(routeWants(FEED_ROUTE, variant('TUR', 'info'))).toBe(true);
  });

  it('digests per route: a busy route gets one message, a quiet one its alerts singly, the feed never a digest', () => {
    const email = routeOf({ protocol: 'email', endpoint: 'a@example.org', minSeverity: 'info', digestAbove: 2 });
    const sms = routeOf({ protocol: 'sms', endpoint: '+1' });
    const due = [variant('KAZ', 'warning'), variant('UZB', 'critical'), variant('TUR', 'info')];
    const plan = planDeliveries([FEED_ROUTE, email, sms], (route) => due.filter((a) => routeWants(route, a)), (a) => a);
    expect(plan.map((d) => `${d.route.id}:${d.kind}`)).toEqual(['feed:single', 'feed:single', 'feed:single', `${email.id}:digest`, `${sms.id}:single`]);
  });
});
