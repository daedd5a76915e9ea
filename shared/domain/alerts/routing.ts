import * as z from '../../zod.js';
import { countryCodeSchema } from '../codes.js';
import { areaInputSchema } from '../countries.js';
import type { Anomaly } from '../detection/index.js';
import { RULE_LITTLE_BEFORE_MUCH_AFTER } from '../detection/little-before-much-after.js';
import { atLeast, severitySchema, type Severity } from '../severity.js';


/** Who gets alerts, and which: configured at deploy time. */
export const subscriberSchema = z.object({
  protocol: z.enum(['email', 'sms']),
  /** An e-mail address, or a phone number in E.164 (+4915112345678). */
  endpoint: z.string().check(z.minLength(3)),
  /** Defaults: warning for e-mail, critical for SMS (each text costs money). */
  minSeverity: z.optional(severitySchema),
  /** Only alerts about these partners; all when unset. */
  partners: z.optional(z.array(areaInputSchema).check(z.minLength(1))),
  /** More anomalies than this in one run go out as one digest (default 5 for e-mail, 3 for SMS). */
  digestAbove: z.optional(z.number().check(z.int(), z.minimum(1))),
});
export type Subscriber = z.infer<typeof subscriberSchema>;

/**
 * A route is what a group of subscribers receives: a minimum severity, optional partners, and
 * when to switch to a digest. Each SNS subscription filters on its route's id, and the job
 * publishes each route's messages itself, so a digest can replace individual alerts per route.
 */
export const routeSchema = z.object({
  id: z.string().check(z.regex(/^[a-z0-9-]+$/)),
  minSeverity: severitySchema,
  partners: z.optional(z.array(countryCodeSchema)),
  /** Only alerts about these reporters; all when unset (subscriptions added without a deploy may set it). */
  reporters: z.optional(z.array(z.string().check(z.minLength(1)))),
  /** Infinity: never a digest. */
  digestAbove: z.number().check(z.positive()),
  /** When the route's first subscriber joined (routes of stored subscriptions): an update of an alert created before is not its to get. */
  since: z.optional(z.iso.datetime()),
});
export type Route = z.infer<typeof routeSchema>;

/** Every alert, one message each, never digested: for machine subscribers (SQS, Lambda, HTTP). */
export const FEED_ROUTE: Route = { id: 'feed', minSeverity: 'info', digestAbove: Infinity };

export function defaultMinSeverity(protocol: Subscriber['protocol']): Severity {
  return protocol === 'sms' ? 'critical' : 'warning';
}

export function defaultDigestAbove(protocol: Subscriber['protocol']): number {
  return protocol === 'sms' ? 3 : 5;
}

export function routeOf(subscriber: Subscriber): Route {
  const minSeverity = subscriber.minSeverity ?? defaultMinSeverity(subscriber.protocol);
  const partners = subscriber.partners ? [...subscriber.partners].sort() : undefined;
  const digestAbove = subscriber.digestAbove ?? defaultDigestAbove(subscriber.protocol);
  const id = [subscriber.protocol, minSeverity, ...(partners ?? []), `d${digestAbove}`].join('-').toLowerCase();
  return { id, minSeverity, ...(partners ? { partners } : {}), digestAbove };
}

/** The distinct routes of the subscribers (subscribers with the same preferences share one), plus the feed. */
export function routesOf(subscribers: readonly Subscriber[]): Route[] {
  const routes = new Map<string, Route>([[FEED_ROUTE.id, FEED_ROUTE]]);
  for (const subscriber of subscribers) {
    const route = routeOf(subscriber);
    routes.set(route.id, route);
  }
  return [...routes.values()];
}

export function routeWants(route: Route, anomaly: Pick<Anomaly, 'severity' | 'series'>): boolean {
  return (
    atLeast(anomaly.severity, route.minSeverity) &&
    (!route.partners || route.partners.includes(anomaly.series.partner)) &&
    (!route.reporters || route.reporters.includes(anomaly.series.reporter))
  );
}

/** The SNS subscription filter policy (on message attributes) of a route. */
export function filterPolicy(route: Pick<Route, 'id'>): Record<string, string[]> {
  return { route: [route.id] };
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Most severe first, then the largest move. */
export function bySeverity(a: Anomaly, b: Anomaly): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || Math.abs(b.explanation.change) - Math.abs(a.explanation.change);
}

export type Delivery<T> =
  | { readonly route: Route; readonly kind: 'single'; readonly item: T }
  | { readonly route: Route; readonly kind: 'digest'; readonly items: readonly T[] };

/**
 * What each route gets from the items (alerts) due to it: one message each, or, past the route's
 * digest threshold, one digest listing them most severe first. Findings of a screening rule
 * (little before, much after) come by the dozen, one per HS code: two or more go as one digest of
 * their own, whatever the threshold (but to the feed).
 */
export function planDeliveries<T>(routes: readonly Route[], due: (route: Route) => T[], anomalyOf: (item: T) => Anomaly): Delivery<T>[] {
  const deliveries: Delivery<T>[] = [];
  const isScreening = (item: T) => anomalyOf(item).explanation.rule === RULE_LITTLE_BEFORE_MUCH_AFTER;
  for (const route of routes) {
    const items = due(route);
    const screening = items.filter(isScreening);
    const others = items.filter((item) => !isScreening(item));
    for (const [group, digestAbove] of [
      [others, route.digestAbove],
      // The feed (never a digest) still gets them one by one.
      [screening, Number.isFinite(route.digestAbove) ? 1 : route.digestAbove],
    ] as const) {
      if (group.length === 0) continue;
      if (group.length > digestAbove) {
        deliveries.push({ route, kind: 'digest', items: [...group].sort((a, b) => bySeverity(anomalyOf(a), anomalyOf(b))) });
      } else {
        for (const item of group) deliveries.push({ route, kind: 'single', item });
      }
    }
  }
  return deliveries;
}
