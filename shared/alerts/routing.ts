import * as z from 'zod';
import type { Severity } from '../domain/detection/index.js';

export const SEVERITIES = ['info', 'warning', 'critical'] as const satisfies readonly Severity[];

/** Who gets alerts, and which. */
export const subscriberSchema = z.object({
  protocol: z.enum(['email', 'sms']),
  /** An e-mail address, or a phone number in E.164 (+4915112345678). */
  endpoint: z.string().min(3),
  /** Defaults: warning for e-mail, critical for SMS (each text costs money). */
  minSeverity: z.enum(SEVERITIES).optional(),
  /** Only alerts about these partners (ISO alpha-3); all when unset. */
  partners: z.array(z.string().regex(/^[A-Z0-9]{3}$/)).optional(),
});
export type Subscriber = z.infer<typeof subscriberSchema>;

export function defaultMinSeverity(protocol: Subscriber['protocol']): Severity {
  return protocol === 'sms' ? 'critical' : 'warning';
}

/** The SNS subscription filter policy (on message attributes) that routes a subscriber's alerts. */
export function filterPolicy(route: { minSeverity: Severity; partners?: readonly string[] | undefined }): Record<string, string[]> {
  const policy: Record<string, string[]> = { severity: SEVERITIES.slice(SEVERITIES.indexOf(route.minSeverity)) };
  if (route.partners && route.partners.length > 0) policy.partner = [...route.partners];
  return policy;
}
