/**
 * Put in place of `@smithy/core/event-streams` in the Lambda bundles by `infra/bundling.ts`. The
 * SDK loads event-stream support lazily, only for operations that stream events; none of the
 * operations tradewatch calls (DynamoDB, SNS, SQS, Secrets Manager) does. A bundler without code
 * splitting would still inline the ~15 KB module into every function, so it is left out, and
 * this says so plainly should an operation ever ask for it.
 */
function notBundled(): never {
  throw new Error('Event-stream support is not in this function bundle (see infra/bundling.ts): no tradewatch operation streams events.');
}

export const eventStreamSerdeProvider = notBundled;

export class EventStreamSerde {
  constructor() {
    notBundled();
  }
}
