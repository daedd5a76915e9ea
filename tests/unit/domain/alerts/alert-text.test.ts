import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SMS_MAX_LENGTH, renderAlert, renderSms, seriesTitle, sparkline } from '../../../../shared/domain/alerts/alert-text.js';
import { formatChange, formatMoney } from '../../../../shared/domain/format.js';
import { detectAnomalies, type Anomaly } from '../../../../shared/domain/detection/index.js';
import { demoSeries } from '../../../support/demo-series.js';

function azerbaijanTrade(): Anomaly {
  const { key, observations } = demoSeries('AZE', 'trade');
  return detectAnomalies({ series: key, observations }).anomalies[0]!;
}

describe('alert wording', () => {
  it('writes the SMS the way a trader reads it', () => {
    expect(renderSms(azerbaijanTrade())).toBe('CN-AZ trade Jan-Feb 2024 +83% y/y (US$520m) vol +25% UV +47% CRITICAL');
  });

  it('puts every number in the e-mail: values, change, expected range, z, history, caveats, command', () => {
    const { email, subject } = renderAlert(azerbaijanTrade(), {
      recentValues: [1, 2, undefined, 4],
      recentRange: ['2023-11', '2024-02'],
    });
    expect(subject).toBe('[tradewatch critical] China trade with Azerbaijan, Jan-Feb 2024: +83% y/y');
    for (const part of [
      'Jan-Feb 2024: US$520m',
      'Jan-Feb 2023: US$284m',
      'Change: +83% (+US$236m)',
      'Expected range: US$',
      'Robust z-score: ',
      'over 22 earlier y/y comparisons',
      'Values in USD, source UN Comtrade',
      '2023-11 ▁▃ █ 2024-02',
      'January and February are compared together',
      'npx tradewatch series show comtrade.CHN.AZE.trade.TOTAL.USD',
    ]) {
      expect(email).toContain(part);
    }
  });

  it("names a world total as the reporter's total, in the subject, the e-mail and the SMS", () => {
    const anomaly = azerbaijanTrade();
    const total = { ...anomaly, series: { ...anomaly.series, partner: 'W00', flow: 'import' as const } };
    const rendered = renderAlert(total);
    expect(seriesTitle({ reporter: 'CHN', partner: 'W00', flow: 'import' })).toBe("China's total imports");
    expect(seriesTitle({ reporter: 'CHN', partner: 'WLD', flow: 'export' })).toBe("China's total exports");
    expect(rendered.subject).toMatch(/^\[tradewatch \w+\] China's total imports, Jan-Feb 2024:/);
    expect(rendered.email).not.toMatch(/World/);
    expect(rendered.sms).toMatch(/^CN total imp Jan-Feb 2024 /);
  });

  it('formats money with its currency and a sensible unit', () => {
    expect(formatMoney(520_000_000, 'USD')).toBe('US$520m');
    expect(formatMoney(41_000_000_000, 'USD')).toBe('US$41.00bn');
    expect(formatMoney(12_300_000, 'EUR')).toBe('EUR 12.3m');
    expect(formatMoney(-236_000_000, 'USD')).toBe('-US$236m');
    expect(formatChange(0.8301)).toBe('+83%');
    expect(formatChange(-0.046)).toBe('-4.6%');
  });

  it('draws gaps in a sparkline as blanks, not as zero', () => {
    expect(sparkline([1, undefined, 8])).toBe('▁ █');
    expect(sparkline([])).toBe('');
  });

  it('keeps every SMS within 160 characters, whatever the values and severity', () => {
    const base = azerbaijanTrade();
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e15, noNaN: true }),
        fc.double({ min: -0.999, max: 1e6, noNaN: true }),
        fc.constantFrom('info', 'warning', 'critical'),
        fc.constantFrom('export', 'import', 'trade'),
        fc.constantFrom('GBR', 'BIH', 'COD', 'ZZZ'),
        (value, change, severity, flow, partner) => {
          const anomaly = {
            ...base,
            severity,
            series: { ...base.series, flow, partner },
            explanation: { ...base.explanation, value, change },
          } as Anomaly;
          expect(renderSms(anomaly).length).toBeLessThanOrEqual(SMS_MAX_LENGTH);
        },
      ),
      { numRuns: 500 },
    );
  });
});
