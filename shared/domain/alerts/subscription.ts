import { createHash } from 'node:crypto';
import * as z from '../../zod.js';
import { areaInputSchema } from '../countries.js';
import { severitySchema } from '../severity.js';
import { defaultDigestAbove, defaultMinSeverity, type Route } from './routing.js';

/** An E.164 phone number, as SNS takes it for SMS. */
const E164 = /^\+[1-9]\d{6,14}$/;

const sortedAreas = z.pipe(z.array(areaInputSchema).check(z.minLength(1), z.maxLength(50)), z.transform((codes: string[]) => [...new Set(codes)].sort()));

/**
 * A subscriber added without a deploy (console, API, `tradewatch subscribe`): an e-mail address or
 * a phone number, a severity floor (default warning for e-mail, critical for SMS) and optional
 * reporter and partner filters.
 */
export const newSubscriptionSchema = z.pipe(
  z.object({
    protocol: z.enum(['email', 'sms']),
    endpoint: z.string().check(z.trim(), z.minLength(3), z.maxLength(254)),
    minSeverity: z.optional(severitySchema),
    reporters: z.optional(sortedAreas),
    partners: z.optional(sortedAreas),
  }),
  z.transform((input, ctx) => {
    const endpoint = input.protocol === 'email' ? input.endpoint.toLowerCase() : input.endpoint.replace(/[\s()-]/g, '');
    if (input.protocol === 'email' && !z.email().safeParse(endpoint).success) ctx.issues.push({ code: 'custom', input: input.endpoint, path: ['endpoint'], message: 'expected an e-mail address' });
    if (input.protocol === 'sms' && !E164.test(endpoint)) ctx.issues.push({ code: 'custom', input: input.endpoint, path: ['endpoint'], message: 'expected a phone number in E.164 form, e.g. +4915112345678' });
    return { ...input, endpoint, minSeverity: input.minSeverity ?? defaultMinSeverity(input.protocol) };
  }),
);
export type NewSubscription = z.output<typeof newSubscriptionSchema>;

export const SUBSCRIPTION_STATES = ['pending-confirmation', 'confirmed', 'failed'] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

/** A subscription as stored and answered: what was asked, its route, and where its SNS subscription stands. */
export const subscriptionSchema = z.object({
  id: z.string(),
  protocol: z.enum(['email', 'sms']),
  endpoint: z.string(),
  minSeverity: severitySchema,
  reporters: z.optional(z.array(z.string())),
  partners: z.optional(z.array(z.string())),
  /** The route its SNS filter policy names ({"route":[route]}). */
  route: z.string(),
  state: z.enum(SUBSCRIPTION_STATES),
  /** Absent until SNS answered the Subscribe call. */
  subscriptionArn: z.optional(z.string()),
  createdAt: z.iso.datetime(),
  note: z.optional(z.string()),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

/** One subscription per endpoint (SNS keeps one per protocol and endpoint on a topic): its id follows from it, so a retried subscribe finds its own intent. */
export function subscriptionId(subscription: Pick<NewSubscription, 'protocol' | 'endpoint'>): string {
  return createHash('sha1').update(`${subscription.protocol}:${subscription.endpoint}`).digest('hex').slice(0, 12);
}

/** Route ids are message attribute values and filter policy values: long filter lists are named by a digest. */
const MAX_ROUTE_ID = 80;

/**
 * The route of a stored subscription: its own family (`sub-…`), so a deploy-time route never
 * changes with it, and subscriptions with the same filters share one.
 */
export function subscriptionRoute(subscription: Pick<NewSubscription, 'protocol' | 'minSeverity' | 'reporters' | 'partners'>): Route {
  const digestAbove = defaultDigestAbove(subscription.protocol);
  const filters = [...(subscription.reporters ? ['r', ...subscription.reporters] : []), ...(subscription.partners ? ['p', ...subscription.partners] : [])];
  let id = ['sub', subscription.protocol, subscription.minSeverity, ...filters, `d${digestAbove}`].join('-').toLowerCase().replace(/[^a-z0-9-]/g, '');
  if (id.length > MAX_ROUTE_ID) id = ['sub', subscription.protocol, subscription.minSeverity, createHash('sha1').update(filters.join(',')).digest('hex').slice(0, 12), `d${digestAbove}`].join('-');
  return {
    id,
    minSeverity: subscription.minSeverity,
    ...(subscription.partners ? { partners: subscription.partners } : {}),
    ...(subscription.reporters ? { reporters: subscription.reporters } : {}),
    digestAbove,
  };
}

export const isSubscriptionRoute = (routeId: string) => routeId.startsWith('sub-');

/**
 * The routes the stored subscriptions need, each from when its earliest live subscriber joined.
 * Failed subscriptions (SNS refused them) have no subscriber to route to.
 */
export function routesOfSubscriptions(subscriptions: readonly Subscription[]): Route[] {
  const routes = new Map<string, Route>();
  for (const subscription of subscriptions) {
    if (subscription.state === 'failed') continue;
    // The id its SNS filter policy was made with, as stored.
    const route = { ...subscriptionRoute(subscription), id: subscription.route, since: subscription.createdAt };
    const known = routes.get(route.id);
    if (!known || route.since < known.since!) routes.set(route.id, route);
  }
  return [...routes.values()];
}
