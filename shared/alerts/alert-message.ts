import * as z from 'zod';
import type { RenderedAlert } from '../domain/alert-text.js';
import type { Anomaly } from '../domain/detection/index.js';

/**
 * What machine subscribers (SQS, Lambda, HTTP, email-json) receive: the texts the human channels
 * get, plus the anomaly's numbers.
 */
export const alertPayloadSchema = z.object({
  kind: z.literal('tradewatch.alert'),
  dedupKey: z.string(),
  seriesId: z.string(),
  period: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  subject: z.string(),
  email: z.string(),
  sms: z.string(),
  change: z.number(),
  value: z.number(),
  comparisonValue: z.number(),
  currency: z.string(),
});
export type AlertPayload = z.infer<typeof alertPayloadSchema>;

export interface AlertMessage {
  readonly subject: string;
  /** An SNS `MessageStructure: 'json'` document: one body per protocol. */
  readonly structuredMessage: string;
  /** Message attributes, for subscription filter policies. */
  readonly attributes: Record<string, string>;
}

export function buildAlertMessage(anomaly: Anomaly, rendered: RenderedAlert): AlertMessage {
  const payload: AlertPayload = {
    kind: 'tradewatch.alert',
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
  };
  const machineBody = JSON.stringify(payload);
  return {
    subject: rendered.subject,
    structuredMessage: JSON.stringify({
      default: machineBody,
      sqs: machineBody,
      lambda: machineBody,
      email: rendered.email,
      sms: rendered.sms,
    }),
    attributes: {
      severity: anomaly.severity,
      reporter: anomaly.series.reporter,
      partner: anomaly.series.partner,
      flow: anomaly.series.flow,
      source: anomaly.series.source,
      direction: anomaly.direction,
      rule: anomaly.explanation.rule,
    },
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
