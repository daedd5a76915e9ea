import { describe, expect, it } from 'vitest';
import { buildAlertMessage, readDeliveredAlert } from '../../../shared/alerts/alert-message.js';
import { filterPolicy } from '../../../shared/alerts/routing.js';
import { renderAlert } from '../../../shared/domain/alert-text.js';
import { detectAnomalies } from '../../../shared/domain/detection/index.js';
import { demoSeries } from '../../support/demo-series.js';

const { key, observations } = demoSeries('AZE', 'trade');
const anomaly = detectAnomalies({ series: key, observations }).anomalies[0]!;
const message = buildAlertMessage(anomaly, renderAlert(anomaly));

describe('the SNS alert message', () => {
  it('has one body per protocol: e-mail text, SMS text, and JSON for machines', () => {
    const structure = JSON.parse(message.structuredMessage) as Record<string, string>;
    expect(Object.keys(structure).sort()).toEqual(['default', 'email', 'lambda', 'sms', 'sqs']);
    expect(structure.sms).toBe('CN-AZ trade Jan-Feb 2024 +83% y/y (US$520m) CRITICAL');
    expect(structure.email).toContain('China trade with Azerbaijan, Jan-Feb 2024: +83% year on year');
    expect(JSON.parse(structure.default!)).toMatchObject({ kind: 'tradewatch.alert', seriesId: 'comtrade.CHN.AZE.trade.TOTAL.USD', severity: 'critical' });
  });

  it('carries the attributes subscribers filter on', () => {
    expect(message.attributes).toEqual({
      severity: 'critical',
      reporter: 'CHN',
      partner: 'AZE',
      flow: 'trade',
      source: 'comtrade',
      direction: 'up',
      rule: 'yoy-robust-z',
    });
  });

  it('is read back from an SNS envelope, a raw delivery, or a whole structured document', () => {
    const sqsBody = (JSON.parse(message.structuredMessage) as { sqs: string }).sqs;
    const envelope = JSON.stringify({ Type: 'Notification', Message: sqsBody });
    const whole = JSON.stringify({ Type: 'Notification', Message: message.structuredMessage });
    for (const body of [envelope, sqsBody, whole]) expect(readDeliveredAlert(body).dedupKey).toBe(anomaly.dedupKey);
    expect(() => readDeliveredAlert('{"hello": 1}')).toThrow();
  });
});

describe('routing', () => {
  it('sends a minimum severity and everything above it, optionally for some partners only', () => {
    expect(filterPolicy({ minSeverity: 'critical' })).toEqual({ severity: ['critical'] });
    expect(filterPolicy({ minSeverity: 'warning', partners: ['AZE', 'KAZ'] })).toEqual({
      severity: ['warning', 'critical'],
      partner: ['AZE', 'KAZ'],
    });
  });
});
