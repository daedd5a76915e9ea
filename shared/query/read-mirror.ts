import { mirrorMonths, parseMirrorId, partnerSideKey, valuationOf, type MirrorMonth } from '../domain/mirror.js';
import { seriesId } from '../domain/series.js';
import { observationAsOf } from '../domain/vintage.js';
import { UnknownSeriesError, type ObservationLoader } from './read-series.js';

/** A mirror series as the CLI and the API serve it: both sides, the basis they are compared on, month by month. */
export interface MirrorView {
  readonly seriesId: string;
  /** The stored series (the reporter's report) and its partner's report of the same flow. */
  readonly reporterSeriesId: string;
  readonly partnerSeriesId: string;
  readonly reporterValuation: 'FOB' | 'CIF';
  readonly partnerValuation: 'FOB' | 'CIF';
  /** The CIF/FOB margin the partner's figure is brought to the reporter's valuation by. */
  readonly margin: number;
  readonly items: readonly MirrorMonth[];
}

export interface MirrorRequest {
  readonly margin: number;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** What was known then: each side's vintage at that time. */
  readonly asOf?: string | undefined;
}

/**
 * The mirror of a stored series (`<id>~mirror`), computed on read from both sides. A side that is
 * not stored is an UnknownSeriesError naming it (and how to have it fetched), never an empty side.
 */
export async function readMirror(id: string, load: ObservationLoader, request: MirrorRequest): Promise<MirrorView> {
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
  const asOf = request.asOf;
  const known = (observations: typeof reporter) => (asOf ? observations.filter((o) => o.firstSeenAt <= asOf).map((o) => observationAsOf(o, asOf)) : observations);
  const inRange = (period: string) => (!request.from || period >= request.from) && (!request.to || period <= request.to);
  return {
    seriesId: id,
    reporterSeriesId,
    partnerSeriesId,
    reporterValuation: valuationOf(key.flow),
    partnerValuation: valuationOf(partnerKey.flow),
    margin: request.margin,
    items: mirrorMonths(known(reporter), known(partner), { reporterFlow: key.flow, margin: request.margin }).filter((m) => inRange(m.period)),
  };
}
