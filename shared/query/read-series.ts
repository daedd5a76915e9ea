import { sumSeries } from '../domain/derived.js';
import type { Groups } from '../domain/groups.js';
import { isGroupCode, parseSeriesId, seriesId, type Observation, type StoredObservation } from '../domain/series.js';
import { turnover } from '../domain/turnover.js';
import { observationAsOf } from '../domain/vintage.js';

/** Where stored observations come from: the store, or the bundled demo data. */
export type ObservationLoader = (seriesId: string) => Promise<readonly StoredObservation[]>;

export class UnknownSeriesError extends Error {
  constructor(id: string, why: string) {
    super(`${id}: ${why}`);
    this.name = 'UnknownSeriesError';
  }
}

/**
 * Any series by id, stored or derived: trade turnover (flow `trade`) and groups of partners are
 * computed from the stored flows. With `asOf`, each month is the vintage known then (months not
 * yet seen are left out).
 */
export async function readSeries(id: string, load: ObservationLoader, groups: Groups, asOf?: string): Promise<Observation[]> {
  const key = parseSeriesId(id);
  if (isGroupCode(key.partner)) {
    const group = groups[key.partner];
    if (!group) throw new UnknownSeriesError(id, `no group ${key.partner} is configured (groups: ${Object.keys(groups).join(', ') || 'none'})`);
    const parts = await Promise.all(group.members.map((partner) => readSeries(seriesId({ ...key, partner }), load, groups, asOf)));
    return sumSeries(parts.filter((p) => p.length > 0));
  }
  if (key.flow === 'trade') {
    const [exports, imports] = await Promise.all(
      (['export', 'import'] as const).map((flow) => readSeries(seriesId({ ...key, flow }), load, groups, asOf)),
    );
    return turnover(exports!, imports!);
  }
  return storedAsOf(await load(id), asOf);
}

/** A stored series' months as known at `asOf` (each at its vintage then, with the revisions made by then); all of them without it. */
export function storedAsOf(stored: readonly StoredObservation[], asOf: string | undefined): Observation[] {
  if (!asOf) return [...stored];
  return stored.filter((o) => o.firstSeenAt <= asOf).map((o) => ({ ...observationAsOf(o, asOf), revisions: revisionsKnownAt(o, asOf) }));
}

/** The earlier vintages a month had at `time`: those already replaced by then (each by the next vintage, the last by the current value). */
function revisionsKnownAt(observation: StoredObservation, time: string): StoredObservation['revisions'] {
  const replacedAt = (i: number) => observation.revisions[i + 1]?.seenAt ?? observation.lastChangedAt;
  return observation.revisions.filter((_, i) => replacedAt(i) <= time);
}
