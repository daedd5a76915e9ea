import * as z from '../zod.js';
import { countryCodeSchema } from './codes.js';
import { periodSchema } from './period.js';
import { quantitiesSchema, type Quantities } from './quantities.js';

/**
 * Where a figure comes from. Partner-reported figures differ 2-4x from the reporter's own, so the
 * source is part of a series' identity and series from different sources are never merged.
 */
export const sourceSchema = z.enum(['comtrade', 'imf-imts', 'eurostat-comext', 'csv']);
export type Source = z.infer<typeof sourceSchema>;

/** What a source publishes: China's exports to, or imports from, the partner. */
export const storedFlowSchema = z.enum(['export', 'import']);
export type StoredFlow = z.infer<typeof storedFlowSchema>;

/** `trade` (turnover) is exports + imports, derived on read and never stored. */
export const flowSchema = z.enum(['export', 'import', 'trade']);
export type Flow = z.infer<typeof flowSchema>;

/** A partner: a country (ISO alpha-3), or a configured group of them (4 to 20 letters, e.g. CENTRALASIA), derived on read. */
const partnerSchema = z.string().check(
  z.regex(/^([A-Z0-9]{3}|[A-Z][A-Z0-9]{3,19})$/, 'expected an ISO 3166 alpha-3 code (e.g. KAZ) or a group name (e.g. CENTRALASIA)'),
);

export function isGroupCode(partner: string): boolean {
  return partner.length > 3;
}

/**
 * The identity of a monthly series. Values are stored in whole units of `currency` (a CSV import
 * that declares thousands or millions is converted on the way in).
 */
export const seriesKeySchema = z.object({
  source: sourceSchema,
  reporter: countryCodeSchema,
  partner: partnerSchema,
  flow: flowSchema,
  commodity: z.string().check(z.regex(/^(TOTAL|\d{2,6})$/, 'expected TOTAL or an HS code of 2 to 6 digits')),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code, e.g. USD')),
});
export type SeriesKey = z.infer<typeof seriesKeySchema>;

const SERIES_ID_FIELDS = ['source', 'reporter', 'partner', 'flow', 'commodity', 'currency'] as const;

/** `comtrade.CHN.AZE.export.TOTAL.USD`: readable, URL-safe, and the store's partition key. */
export function seriesId(key: SeriesKey): string {
  return SERIES_ID_FIELDS.map((field) => key[field]).join('.');
}

export function parseSeriesId(id: string): SeriesKey {
  const parts = id.split('.');
  if (parts.length !== SERIES_ID_FIELDS.length) {
    throw new RangeError(
      `"${id}" is not a series id: expected ${SERIES_ID_FIELDS.join('.')}, e.g. comtrade.CHN.AZE.export.TOTAL.USD`,
    );
  }
  const candidate = Object.fromEntries(SERIES_ID_FIELDS.map((field, i) => [field, parts[i]]));
  const parsed = seriesKeySchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RangeError(`"${id}" is not a series id: ${issue?.path.join('.')} ${issue?.message}`);
  }
  return parsed.data;
}

/**
 * What a source said about one month. A month that is not yet released, or suppressed for
 * confidentiality, is never read as zero: only `zero` means zero. `combined` is a month published
 * only together with the next one (China's January, inside its Jan+Feb release): no value of its
 * own, the next month's value covers both.
 */
export const observationStateSchema = z.enum(['published', 'zero', 'suppressed', 'not-released', 'combined']);
export type ObservationState = z.infer<typeof observationStateSchema>;

/**
 * The largest value the store keeps exactly: lib-dynamodb's marshaller refuses any number beyond
 * Number.MAX_SAFE_INTEGER (about 9e15, far above any month of trade in any currency) rather than
 * round it.
 */
export const MAX_STORABLE_VALUE = Number.MAX_SAFE_INTEGER;
/** DynamoDB's smallest positive number: anything nearer zero, except zero itself, does not store. */
export const MIN_STORABLE_POSITIVE_VALUE = 1e-130;

/**
 * Why a trade value cannot be stored, or undefined when it can: finite, not negative, and within
 * what DynamoDB and lib-dynamodb store exactly. The one check every source applies before a value
 * reaches the store, and the store applies again.
 */
export function storableValueProblem(value: number): string | undefined {
  if (!Number.isFinite(value)) return 'not a finite number';
  if (value < 0) return 'a trade value cannot be negative';
  if (value > MAX_STORABLE_VALUE) return `too large to store exactly (at most ${MAX_STORABLE_VALUE}, Number.MAX_SAFE_INTEGER)`;
  if (value > 0 && value < MIN_STORABLE_POSITIVE_VALUE) return `too small to store (DynamoDB keeps no positive number below ${MIN_STORABLE_POSITIVE_VALUE})`;
  return undefined;
}

/** A trade value the store can keep exactly (see storableValueProblem). */
export const storableValue = z.number().check(
  z.superRefine((value, ctx) => {
    const problem = storableValueProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', input: value, message: problem });
  }),
);

export const observationSchema = z.object({
  period: periodSchema,
  /** null unless the state is `published` or `zero`. */
  value: z.nullable(storableValue),
  state: observationStateSchema,
  /** Net weight and quantity, where the source gives them (absent on months stored before they were kept). */
  quantities: z.optional(quantitiesSchema),
});
export type Observation = z.infer<typeof observationSchema>;

/** A value that was replaced by a later publication of the same month. */
export interface Revision {
  readonly value: number | null;
  readonly state: ObservationState;
  readonly quantities?: Quantities;
  /** When this value was first seen. */
  readonly seenAt: string;
}

/** An observation as the store holds it: the current value plus what was known before. */
export interface StoredObservation extends Observation {
  readonly firstSeenAt: string;
  readonly lastChangedAt: string;
  readonly revisions: readonly Revision[];
}

/** True for a January published only inside its Jan+Feb release. */
export function isCombinedWithNext(observation: Observation | undefined): boolean {
  return observation?.state === 'combined';
}

/** A value that can be compared: published (or a true zero). */
export function comparableValue(observation: Observation | undefined): number | undefined {
  if (!observation) return undefined;
  if (observation.state === 'published' && observation.value !== null) return observation.value;
  if (observation.state === 'zero') return 0;
  return undefined;
}
