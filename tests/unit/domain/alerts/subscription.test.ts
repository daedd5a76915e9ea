import { describe, expect, it } from 'vitest';
import { FEED_ROUTE, routeOf, routeWants } from '../../../../shared/domain/alerts/routing.js';
import { isSubscriptionRoute, newSubscriptionSchema, routesOfSubscriptions, subscriptionId, subscriptionRoute, type Subscription } from '../../../../shared/domain/alerts/subscription.js';

const anomaly = (reporter: string, partner: string, severity: 'info' | 'warning' | 'critical') => ({ severity, series: { source: 'comtrade' as const, reporter, partner, flow: 'trade' as const, commodity: 'TOTAL', currency: 'USD' } });

describe('subscriptions added without a deploy', () => {
  it('normalize what they are given: the address in lower case, a number without spaces, filters sorted, the default floor per protocol', () => {
    expect(newSubscriptionSchema.parse({ protocol: 'email', endpoint: ' Analyst@Example.org ', partners: ['kaz', 'AZE', 'KAZ'] })).toEqual({ protocol: 'email', endpoint: 'analyst@example.org', minSeverity: 'warning', partners: ['AZE', 'KAZ'] });
    expect(newSubscriptionSchema.parse({ protocol: 'sms', endpoint: '+49 (151) 1234-5678' })).toEqual({ protocol: 'sms', endpoint: '+4915112345678', minSeverity: 'critical' });
    expect(newSubscriptionSchema.safeParse({ protocol: 'sms', endpoint: '0151 12345678' }).error?.issues[0]).toMatchObject({ path: ['endpoint'], message: expect.stringContaining('E.164') });
    expect(newSubscriptionSchema.safeParse({ protocol: 'email', endpoint: 'nobody' }).error?.issues[0]).toMatchObject({ path: ['endpoint'] });
  });

  it('get routes of their own family, which deploy-time routes never share, and filter on reporter as on partner and severity', () => {
    const route = subscriptionRoute(newSubscriptionSchema.parse({ protocol: 'email', endpoint: 'a@example.org', minSeverity: 'critical', reporters: ['CHN'], partners: ['AZE'] }));
    expect(route).toEqual({ id: 'sub-email-critical-r-chn-p-aze-d5', minSeverity: 'critical', reporters: ['CHN'], partners: ['AZE'], digestAbove: 5 });
    expect(isSubscriptionRoute(route.id)).toBe(true);
    expect(isSubscriptionRoute(routeOf({ protocol: 'email', endpoint: 'a@example.org' }).id)).toBe(false);
    expect(isSubscriptionRoute(FEED_ROUTE.id)).toBe(false);
    expect(routeWants(route, anomaly('CHN', 'AZE', 'critical'))).toBe(true);
    expect(routeWants(route, anomaly('TUR', 'AZE', 'critical'))).toBe(false);
    expect(routeWants(route, anomaly('CHN', 'KAZ', 'critical'))).toBe(false);
    expect(routeWants(route, anomaly('CHN', 'AZE', 'warning'))).toBe(false);
  });

  it('name a long filter list by a digest, keeping the route id short enough for a message attribute', () => {
    const partners = ['KAZ', 'KGZ', 'UZB', 'TJK', 'TKM', 'AZE', 'GEO', 'ARM', 'TUR', 'RUS', 'BLR', 'UKR', 'MDA', 'MNG', 'IRN', 'AFG', 'PAK', 'IND', 'CHN', 'USA', 'DEU'];
    const route = subscriptionRoute(newSubscriptionSchema.parse({ protocol: 'email', endpoint: 'a@example.org', partners }));
    expect(route.id).toMatch(/^sub-email-warning-[0-9a-f]{12}-d5$/);
    expect(route.partners).toHaveLength(partners.length);
  });

  it('share a route when their filters are the same, dated from the earliest live subscriber; failed ones route nowhere', () => {
    const base = { protocol: 'email', minSeverity: 'warning', route: 'sub-email-warning-d5', state: 'confirmed' } as const;
    const subscriptions: Subscription[] = [
      { ...base, id: subscriptionId({ protocol: 'email', endpoint: 'b@example.org' }), endpoint: 'b@example.org', createdAt: '2024-05-02T00:00:00.000Z' },
      { ...base, id: subscriptionId({ protocol: 'email', endpoint: 'a@example.org' }), endpoint: 'a@example.org', createdAt: '2024-05-01T00:00:00.000Z' },
      { ...base, id: 'x', endpoint: 'c@example.org', route: 'sub-email-info-d5', minSeverity: 'info', state: 'failed', createdAt: '2024-04-01T00:00:00.000Z' },
    ];
    expect(routesOfSubscriptions(subscriptions)).toEqual([{ id: 'sub-email-warning-d5', minSeverity: 'warning', digestAbove: 5, since: '2024-05-01T00:00:00.000Z' }]);
    expect(subscriptionId({ protocol: 'email', endpoint: 'a@example.org' })).not.toBe(subscriptionId({ protocol: 'sms', endpoint: 'a@example.org' }));
  });
});
