import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, SubscribeCommand, UnsubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { filterPolicy } from '../domain/alerts/routing.js';
import { subscriptionId, subscriptionRoute, type NewSubscription, type Subscription, type SubscriptionState } from '../domain/alerts/subscription.js';
import type { SubscriptionRepository } from '../store/subscription-repository.js';

/** What managing subscribers needs: the table's subscriptions and the alert topic. */
export interface SubscriptionAdminDependencies {
  readonly subscriptions: Pick<SubscriptionRepository, 'list' | 'get' | 'putIntent' | 'record' | 'remove'>;
  readonly sns: SNSClient;
  readonly topicArn: string;
  readonly now: () => Date;
}

/** The endpoint is subscribed already with other filters: SNS keeps one subscription per endpoint on a topic. */
export class SubscriptionConflictError extends Error {
  constructor(readonly existing: Subscription) {
    super(`${existing.endpoint} is subscribed already (id ${existing.id}) with other filters: unsubscribe it first`);
    this.name = 'SubscriptionConflictError';
  }
}

export const NOT_YET_SUBSCRIBED = 'not subscribed at SNS yet: subscribe again with the same filters to finish';
export const EMAIL_PENDING = 'AWS has sent a confirmation message to this address: nothing is delivered until its link is followed (the link expires after a few days; subscribe again then)';
export const SMS_SANDBOX =
  'while the AWS account is in the SNS SMS sandbox, texts reach only phone numbers verified under Text messaging (SMS) > Sandbox destination phone numbers in the SNS console; request production access to text any number. Each text costs money (the SmsSpend alarm watches it)';

/** SNS errors that are the request's fault, not a passing failure: the subscription is recorded failed with SNS's reason. */
const REFUSALS = new Set(['InvalidParameter', 'InvalidParameterException', 'InvalidParameterValue', 'FilterPolicyLimitExceeded', 'FilterPolicyLimitExceededException', 'SubscriptionLimitExceeded', 'SubscriptionLimitExceededException', 'OptedOut', 'OptedOutException']);

const sameFilters = (a: Pick<Subscription, 'route'>, b: Pick<Subscription, 'route'>) => a.route === b.route;

/**
 * Subscribes an e-mail address or phone number to the alert topic, filtered on its route. Retry-
 * safe: the intent is stored first (its id follows from the endpoint), then SNS Subscribe (which
 * answers the same subscription for the same endpoint and attributes), then its ARN and state are
 * recorded; a crash anywhere leaves what the same call, made again, completes into one subscription.
 */
export async function subscribe(deps: SubscriptionAdminDependencies, input: NewSubscription): Promise<{ subscription: Subscription; created: boolean }> {
  const route = subscriptionRoute(input);
  const intent: Subscription = {
    id: subscriptionId(input),
    protocol: input.protocol,
    endpoint: input.endpoint,
    minSeverity: input.minSeverity,
    ...(input.reporters ? { reporters: input.reporters } : {}),
    ...(input.partners ? { partners: input.partners } : {}),
    route: route.id,
    state: 'pending-confirmation',
    createdAt: deps.now().toISOString(),
    note: NOT_YET_SUBSCRIBED,
  };
  const { subscription: stored, created } = await deps.subscriptions.putIntent(intent);
  if (!sameFilters(stored, intent)) throw new SubscriptionConflictError(stored);
  if (stored.subscriptionArn && stored.state !== 'failed') return { subscription: stored, created };

  let subscriptionArn: string | undefined;
  try {
    const answer = await deps.sns.send(
      new SubscribeCommand({
        TopicArn: deps.topicArn,
        Protocol: input.protocol,
        Endpoint: input.endpoint,
        Attributes: { FilterPolicy: JSON.stringify(filterPolicy(route)) },
        ReturnSubscriptionArn: true,
      }),
    );
    subscriptionArn = answer.SubscriptionArn;
  } catch (error) {
    if (!REFUSALS.has((error as Error).name)) throw error; // passing: the intent stays, and the same call finishes it
    const failed = await deps.subscriptions.record(stored.id, { state: 'failed', note: `SNS refused it: ${(error as Error).message}` });
    return { subscription: failed ?? stored, created };
  }
  const state = await stateAtSns(deps.sns, input.protocol, subscriptionArn);
  const recorded = await deps.subscriptions.record(stored.id, { state, subscriptionArn: realArn(subscriptionArn), note: noteFor(input.protocol, state) });
  return { subscription: recorded ?? { ...stored, state }, created };
}

/** Every stored subscription, those awaiting confirmation asked of SNS again (a failed check keeps what is stored). */
export async function listSubscriptions(deps: SubscriptionAdminDependencies): Promise<Subscription[]> {
  const all = await deps.subscriptions.list();
  return Promise.all(
    all.map(async (subscription) => {
      if (subscription.state !== 'pending-confirmation' || !subscription.subscriptionArn) return subscription;
      const state = await stateAtSns(deps.sns, subscription.protocol, subscription.subscriptionArn).catch(() => subscription.state);
      if (state === subscription.state) return subscription;
      return (await deps.subscriptions.record(subscription.id, { state, subscriptionArn: subscription.subscriptionArn, note: noteFor(subscription.protocol, state) })) ?? subscription;
    }),
  );
}

/**
 * Removes the SNS subscription, then the item: a crash between leaves the item, and the same call
 * finishes (a subscription SNS no longer has counts as removed). An intent whose Subscribe answer
 * was never recorded is found on the topic by its endpoint and filter policy.
 */
export async function unsubscribe(deps: SubscriptionAdminDependencies, id: string): Promise<boolean> {
  const subscription = await deps.subscriptions.get(id);
  if (!subscription) return false;
  const arns = subscription.subscriptionArn ? [subscription.subscriptionArn] : await arnsOnTopic(deps, subscription);
  for (const arn of arns) {
    try {
      await deps.sns.send(new UnsubscribeCommand({ SubscriptionArn: arn }));
    } catch (error) {
      if (!/NotFound/.test((error as Error).name)) throw error;
    }
  }
  await deps.subscriptions.remove(id);
  return true;
}

async function arnsOnTopic(deps: SubscriptionAdminDependencies, subscription: Subscription): Promise<string[]> {
  const policy = JSON.stringify(filterPolicy({ id: subscription.route }));
  const arns: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await deps.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: deps.topicArn, ...(NextToken ? { NextToken } : {}) }));
    for (const candidate of page.Subscriptions ?? []) {
      if (candidate.Protocol !== subscription.protocol || candidate.Endpoint !== subscription.endpoint || !realArn(candidate.SubscriptionArn)) continue;
      const { Attributes } = await deps.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: candidate.SubscriptionArn }));
      if (Attributes?.FilterPolicy && JSON.stringify(JSON.parse(Attributes.FilterPolicy)) === policy) arns.push(candidate.SubscriptionArn!);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return arns;
}

/** SNS answers `pending confirmation` instead of an ARN when it was not asked to return one. */
const realArn = (arn: string | undefined) => (arn?.startsWith('arn:') ? arn : undefined);

/** SMS needs no confirmation; an e-mail subscription is pending until its link is followed. */
async function stateAtSns(sns: SNSClient, protocol: Subscription['protocol'], arn: string | undefined): Promise<SubscriptionState> {
  if (protocol === 'sms') return 'confirmed';
  if (!realArn(arn)) return 'pending-confirmation';
  try {
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }));
    return Attributes?.PendingConfirmation === 'false' ? 'confirmed' : 'pending-confirmation';
  } catch (error) {
    // SNS deletes e-mail subscriptions never confirmed.
    if (/NotFound/.test((error as Error).name)) return 'failed';
    throw error;
  }
}

function noteFor(protocol: Subscription['protocol'], state: SubscriptionState): string | undefined {
  if (protocol === 'sms') return SMS_SANDBOX;
  if (state === 'pending-confirmation') return EMAIL_PENDING;
  if (state === 'failed') return 'SNS no longer has this subscription (never confirmed): unsubscribe it and subscribe again';
  return undefined;
}
