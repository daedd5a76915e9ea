import { quantitiesField } from './quantities.js';
import type { Observation, StoredObservation } from './series.js';

/**
 * What was known of a month at `time` (ISO): the vintage current then, or `not-released` if the
 * month had not been seen yet.
 */
export function observationAsOf(observation: StoredObservation, time: string): Observation {
  if (observation.firstSeenAt > time) return { period: observation.period, value: null, state: 'not-released' };
  if (observation.lastChangedAt <= time) return { period: observation.period, value: observation.value, state: observation.state, ...quantitiesField(observation.quantities) };
  // The revisions are the earlier vintages, oldest first, each with when it was first seen.
  let known = observation.revisions[0]!;
  for (const revision of observation.revisions) if (revision.seenAt <= time) known = revision;
  return { period: observation.period, value: known.value, state: known.state, ...quantitiesField(known.quantities) };
}

export function hasRevisions(observations: readonly Observation[]): boolean {
  return observations.some((o) => ((o as Partial<StoredObservation>).revisions?.length ?? 0) > 0);
}
