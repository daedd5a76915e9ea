import type { DetectionConfig } from '../domain/detection/index.js';
import { parseMirrorId, partnerSideKey, valuationOf } from '../domain/mirror.js';
import { mirrorView, type MirrorViewItems, type MirrorViewName } from '../domain/mirror-views.js';
import { seriesId, type Observation, type SeriesKey, type StoredFlow } from '../domain/series.js';
import { storedAsOf, UnknownSeriesError, type ObservationLoader } from './read-series.js';

/** A mirror series as the CLI and the API serve it: both sides, the basis they are compared on, in one view. */
export type MirrorView = {
  readonly seriesId: string;
  /** The stored series (the reporter's report) and its partner's report of the same flow. */
  readonly reporterSeriesId: string;
  readonly partnerSeriesId: string;
  readonly reporterValuation: 'FOB' | 'CIF';
  readonly partnerValuation: 'FOB' | 'CIF';
  /** The CIF/FOB margin the partner's figure is brought to the reporter's valuation by. */
  readonly margin: number;
} & MirrorViewItems;

export interface MirrorRequest {
  readonly margin: number;
  /** monthly by default. */
  readonly view?: MirrorViewName | undefined;
  /** The reporter's detection settings: the y/y view compares the buckets detection compares. */
  readonly detection: DetectionConfig;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** What was known then: each side's vintage at that time. */
  readonly asOf?: string | undefined;
}

/** Both sides of a mirror as stored (or as known at `asOf`). */
export interface MirrorSides {
  readonly key: SeriesKey & { flow: StoredFlow };
  readonly partnerKey: SeriesKey & { flow: StoredFlow };
  readonly reporter: readonly Observation[];
  readonly partner: readonly Observation[];
}

/**
 * Loads both sides of `<id>~mirror`. A side that is not stored is an UnknownSeriesError naming it
 * (and how to have it fetched), never an empty side.
 */
export async function loadMirrorSides(id: string, load: ObservationLoader, asOf?: string): Promise<MirrorSides> {
  let key: ReturnType<typeof parseMirrorId>;
  try {
    key = parseMirrorId(id);
  } catch (error) {
    throw new UnknownSeriesError(id, (error as Error).message);
  }
  const partnerKey = partnerSideKey(key);
  const reporterSeriesId = seriesId(key);
  const partnerSeriesId = seriesId(partnerKey);
  const [reporter, partner] = await Promise.all([load(reporterSeriesId), load(partnerSeriesId)]);
  if (reporter.length === 0) throw new UnknownSeriesError(id, `the reporter's side, ${reporterSeriesId}, is not stored`);
  if (partner.length === 0) {
    throw new UnknownSeriesError(
      id,
      `the partner's side, ${partnerSeriesId} (${key.partner}'s own report of the flow), is not stored: set "mirror": true on the watchlist entry of ${key.reporter}, or ingest --reporters ${key.partner} --partners ${key.reporter} --flows ${partnerKey.flow}`,
    );
  }
  return { key, partnerKey, reporter: storedAsOf(reporter, asOf), partner: storedAsOf(partner, asOf) };
}

/** The mirror of a stored series (`<id>~mirror`), computed on read from both sides, in one view. */
export async function readMirror(id: string, load: ObservationLoader, request: MirrorRequest): Promise<MirrorView> {
  const { key, partnerKey, reporter, partner } = await loadMirrorSides(id, load, request.asOf);
  const view = request.view ?? 'monthly';
  return {
    seriesId: id,
    reporterSeriesId: seriesId(key),
    partnerSeriesId: seriesId(partnerKey),
    reporterValuation: valuationOf(key.flow),
    partnerValuation: valuationOf(partnerKey.flow),
    margin: request.margin,
    ...mirrorView(reporter, partner, view, { series: key, margin: request.margin, detection: request.detection, from: request.from, to: request.to }),
  };
}
