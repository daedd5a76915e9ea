/**
 * Put in place of `@smithy/core/event-streams` in the Lambda bundles by `infra/bundling.ts`. The
 * SDK loads event-stream support lazily, only for operations that stream events; none of the
 * operations tradewatch calls (DynamoDB, SNS, SQS, Secrets Manager, S3 objects) does. A bundler without code
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

/**
 * The S3 client resolves its event-stream marshaller eagerly, when it is built (for
 * SelectObjectContent, which tradewatch never calls): it gets one that says so if it is ever used.
 */
export function resolveEventStreamSerdeConfig<T extends object>(input: T): T & { eventStreamMarshaller: { serialize: () => never; deserialize: () => never } } {
  return Object.assign(input, { eventStreamMarshaller: { serialize: notBundled, deserialize: notBundled } });
}
