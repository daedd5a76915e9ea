import type { SeriesInput } from '../domain/detection/index.js';
import { addMonths } from '../domain/period.js';

/** evaluateFrom for a series loaded only as a peer: never evaluated itself. */
export const PEER_ONLY = '9999-12';

export const isScored = (input: SeriesInput): boolean => input.evaluateFrom !== PEER_ONLY;

export const asPeerOnly = (input: SeriesInput): SeriesInput => ({ ...input, evaluateFrom: PEER_ONLY });

/** The series scored over the buckets ending in its last `lookbackMonths` months (none if it has no months). */
export function withLookback(entry: SeriesInput, lookbackMonths: number): SeriesInput {
  const latest = entry.observations.at(-1)?.period;
  return { ...entry, evaluateFrom: latest ? addMonths(latest, -(lookbackMonths - 1)) : PEER_ONLY };
}
