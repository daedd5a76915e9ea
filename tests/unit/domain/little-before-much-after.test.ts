import { describe, expect, it } from 'vitest';
import { renderAlert, renderDigest } from '../../../shared/domain/alerts/alert-text.js';
import { FEED_ROUTE, planDeliveries, routeOf } from '../../../shared/domain/alerts/routing.js';
import {
  littleBeforeMuchAfter,
  littleBeforeMuchAfterSchema,
  patternWindows,
  RULE_LITTLE_BEFORE_MUCH_AFTER,
  type Anomaly,
} from '../../../shared/domain/detection/index.js';
import { periodRange } from '../../../shared/domain/period.js';
import type { Observation, SeriesKey } from '../../../shared/domain/series.js';

const rule = littleBeforeMuchAfterSchema.parse({ date: '2022-03' });
const chips = (partner: string, commodity = '854231'): SeriesKey => ({ source: 'comtrade', reporter: 'EUU', partner, flow: 'export', commodity, currency: 'USD' });

/** `before` a month until 2022-02, `after` a month from 2022-03 to `to`. */
function series(before: number, after: number, from = '2020-01', to = '2023-06'): Observation[] {
  return periodRange(from, to).map((period) => {
    const value = period < '2022-03' ? before : after;
    return value === 0 ? { period, value: 0, state: 'zero' as const } : { period, value, state: 'published' as const };
  });
}

describe('little before, much after', () => {
  it('compares the 12 months before the date with the latest 12 after it, as monthly means, with both totals', () => {
    const windows = patternWindows(series(20_000, 1_400_000), rule, undefined)!;
    expect(windows.base).toMatchObject({ from: '2021-03', to: '2022-02', label: 'Mar 2021-Feb 2022', months: 12, total: 240_000, perMonth: 20_000 });
    expect(windows.after).toMatchObject({ from: '2022-07', to: '2023-06', months: 12, total: 16_800_000, perMonth: 1_400_000 });
    expect(windows.ratio).toBe(70);
  });

  it('flags a partner whose monthly mean grew by the ratio and passed the floor, once per series and date', () => {
    const found = littleBeforeMuchAfter(chips('KGZ'), series(20_000, 1_400_000), rule, undefined)!;
    expect(found).toMatchObject({ dedupKey: 'comtrade.EUU.KGZ.export.854231.USD#2022-03#little-before-much-after', direction: 'up', severity: 'warning', period: '2023-06' });
    expect(found.explanation.rule).toBe(RULE_LITTLE_BEFORE_MUCH_AFTER);
    // A later release moves the after window, not the event.
    const later = littleBeforeMuchAfter(chips('KGZ'), series(20_000, 1_400_000, '2020-01', '2023-09'), rule, undefined)!;
    expect(later.dedupKey).toBe(found.dedupKey);
  });

  it('leaves alone a partner that already took much, one below the ratio, and one below the floor', () => {
    expect(littleBeforeMuchAfter(chips('KAZ'), series(2_000_000, 6_000_000), rule, undefined)).toBeUndefined();
    expect(littleBeforeMuchAfter(chips('ARM'), series(100_000, 450_000), rule, undefined)).toBeUndefined();
    expect(littleBeforeMuchAfter(chips('GEO'), series(0, 90_000), rule, undefined)).toBeUndefined();
  });

  it('reads months without a row as nothing traded only where the source was asked, and a suppressed base month as unknown', () => {
    const onlyAfter = series(0, 500_000).filter((o) => o.period >= '2022-05');
    // Nobody asked before May 2022: nothing can be said of the base.
    expect(patternWindows(onlyAfter, rule, undefined)).toBeUndefined();
    const asked = littleBeforeMuchAfter(chips('UZB'), onlyAfter, rule, '2019-01')!;
    expect(asked.explanation.littleBeforeMuchAfter).toMatchObject({ base: { total: 0, months: 12 } });
    expect(asked.explanation.littleBeforeMuchAfter?.ratio).toBeUndefined();
    expect(Number.isFinite(asked.explanation.change)).toBe(true);
    const suppressed = series(20_000, 1_400_000).map((o) => (o.period === '2021-08' ? { period: o.period, value: null, state: 'suppressed' as const } : o));
    expect(patternWindows(suppressed, rule, '2019-01')).toBeUndefined();
  });

  it('waits for minAfterMonths known months after the date', () => {
    expect(patternWindows(series(0, 9e6, '2020-01', '2022-04'), rule, '2019-01')).toBeUndefined();
    expect(patternWindows(series(0, 9e6, '2020-01', '2022-05'), rule, '2019-01')?.after.months).toBe(3);
  });

  it('counts a January published inside its Jan-Feb release as part of February', () => {
    const combined = series(20_000, 1_400_000).map((o) =>
      o.period === '2022-01' ? { period: o.period, value: null, state: 'combined' as const } : o.period === '2022-02' ? { ...o, value: 40_000 } : o,
    );
    expect(patternWindows(combined, rule, undefined)?.base.total).toBe(240_000);
  });

  it("explains itself with both windows' totals in the e-mail, the subject and the SMS", () => {
    const found = littleBeforeMuchAfter(chips('KGZ'), series(20_000, 1_400_000), rule, undefined)!;
    const { subject, email, sms } = renderAlert(found);
    expect(subject).toBe('[tradewatch warning] ×70 since 2022-03: European Union (27) exports to Kyrgyzstan, HS 854231');
    expect(email).toContain('European Union (27) exports to Kyrgyzstan, HS 854231 (CHPL tier 1): little before 2022-03, much after');
    expect(email).toContain('Monthly mean after against before: ×70 (the rule asks for ×5 or more)');
    expect(email).toContain('Before, Mar 2021-Feb 2022: US$240.0k (US$20.0k a month)');
    expect(email).toContain('After, Jul 2022-Jun 2023: US$16.8m (US$1.4m a month over 12 months)');
    expect(email).toContain('(the rule asks for ×5 or more)');
    expect(sms).toContain('since 2022-07: US$1.4m/mo vs US$20.0k before');
  });

  it('goes out as one digest per route when several codes are found in one release, singly to the feed', () => {
    const found = ['854231', '854232', '854233'].map((code) => littleBeforeMuchAfter(chips('KGZ', code), series(20_000, 1_400_000), rule, undefined)!);
    const email = routeOf({ protocol: 'email', endpoint: 'a@example.org', minSeverity: 'info', digestAbove: 50 });
    const plan = planDeliveries<Anomaly>([FEED_ROUTE, email], () => found, (a) => a);
    expect(plan.filter((d) => d.route.id === email.id).map((d) => d.kind)).toEqual(['digest']);
    expect(plan.filter((d) => d.route.id === FEED_ROUTE.id).map((d) => d.kind)).toEqual(['single', 'single', 'single']);
    const digest = renderDigest(found);
    expect(digest.subject).toBe('[tradewatch digest] 3 series took little before 2022-03 and much after (3 warning)');
    expect(digest.email).toContain('HS 854232 (CHPL tier 1): US$240.0k in Mar 2021-Feb 2022 (US$20.0k a month), US$16.8m in Jul 2022-Jun 2023');
  });
});
