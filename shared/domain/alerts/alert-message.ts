import * as z from '../../zod.js';
import { severitySchema } from '../severity.js';
import type { RenderedAlert } from './alert-text.js';
import type { Anomaly } from '../detection/index.js';


/**
 * What machine subscribers (SQS, Lambda, HTTP, email-json) receive: the texts the human channels
 * get, plus the numbers.
 */
export const alertPayloadSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.enum(['tradewatch.alert', 'tradewatch.update']),
    route: z.string(),
    dedupKey: z.string(),
    seriesId: z.string(),
    period: z.string(),
    severity: severitySchema,
    subject: z.string(),
    email: z.string(),
    sms: z.string(),
    change: z.number(),
    value: z.number(),
    comparisonValue: z.number(),
    currency: z.string(),
    /** A mirror series' alert (`...~mirror`): `value` and `comparisonValue` are then the ratio; here are both sides. */
    mirror: z.optional(
      z.object({
        reporterValue: z.number(),
        partnerValue: z.number(),
        partnerAtReporterBasis: z.number(),
        previousReporterValue: z.number(),
        previousPartnerValue: z.number(),
        margin: z.number(),
      }),
    ),
  }),
  z.object({
    kind: z.literal('tradewatch.digest'),
    route: z.string(),
    dedupKeys: z.array(z.string()),
    severity: severitySchema,
    subject: z.string(),
    email: z.string(),
    sms: z.string(),
  }),
]);
export type AlertPayload = z.infer<typeof alertPayloadSchema>;

export interface AlertMessage {
  readonly subject: string;
  /** An SNS `MessageStructure: 'json'` document: one body per protocol. */
  readonly structuredMessage: string;
  /** Message attributes: `route` for tradewatch's own subscriptions, the rest for anyone's filter policies. */
  readonly attributes: Record<string, string>;
}

function structured(payload: AlertPayload): string {
  const machineBody = JSON.stringify(payload);
  return JSON.stringify({ default: machineBody, sqs: machineBody, lambda: machineBody, email: payload.email, sms: payload.sms });
}

export function buildAlertMessage(anomaly: Anomaly, rendered: RenderedAlert, route: string, update = false): AlertMessage {
  const payload: AlertPayload = {
    kind: update ? 'tradewatch.update' : 'tradewatch.alert',
    route,
    dedupKey: anomaly.dedupKey,
    seriesId: anomaly.seriesId,
    period: anomaly.period,
    severity: anomaly.severity,
    subject: rendered.subject,
    email: rendered.email,
    sms: rendered.sms,
    change: anomaly.explanation.change,
    value: anomaly.explanation.value,
    comparisonValue: anomaly.explanation.comparisonValue,
    currency: anomaly.series.currency,
    ...(anomaly.mirror
      ? {
          mirror: {
            reporterValue: anomaly.mirror.current.reporterValue,
            partnerValue: anomaly.mirror.current.partnerValue,
            partnerAtReporterBasis: anomaly.mirror.current.partnerAtReporterBasis,
            previousReporterValue: anomaly.mirror.previous.reporterValue,
            previousPartnerValue: anomaly.mirror.previous.partnerValue,
            margin: anomaly.mirror.margin,
          },
        }
      : {}),
  };
  return {
    subject: rendered.subject,
    structuredMessage: structured(payload),
    attributes: {
      route,
      kind: payload.kind,
      severity: anomaly.severity,
      reporter: anomaly.series.reporter,
      partner: anomaly.series.partner,
      flow: anomaly.series.flow,
      source: anomaly.series.source,
      type: anomaly.type,
      direction: anomaly.direction,
    },
  };
}

/** One message standing for several anomalies (given most severe first). */
export function buildDigestMessage(anomalies: readonly Anomaly[], rendered: RenderedAlert, route: string): AlertMessage {
  const top = anomalies[0];
  if (!top) throw new RangeError('a digest needs at least one anomaly');
  const payload: AlertPayload = {
    kind: 'tradewatch.digest',
    route,
    dedupKeys: anomalies.map((a) => a.dedupKey),
    severity: top.severity,
    subject: rendered.subject,
    email: rendered.email,
    sms: rendered.sms,
  };
  return {
    subject: rendered.subject,
    structuredMessage: structured(payload),
    attributes: { route, kind: payload.kind, severity: top.severity },
  };
}

/**
 * Reads an alert back from an SQS subscriber's message body: an SNS envelope (or a raw delivery)
 * holding the `sqs` body. Emulators that deliver the whole structured document are handled too.
 */
export function readDeliveredAlert(sqsBody: string): AlertPayload {
  let message: unknown = JSON.parse(sqsBody);
  if (isRecord(message) && message.Type === 'Notification' && typeof message.Message === 'string') {
    message = JSON.parse(message.Message);
  }
  if (isRecord(message) && typeof message.sqs === 'string') {
    message = JSON.parse(message.sqs);
  }
  return alertPayloadSchema.parse(message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
