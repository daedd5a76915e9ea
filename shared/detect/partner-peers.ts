import { detectAcross, RULE_PARTNER_WIDE, type AcrossReporters, type Anomaly, type DetectionFor, type SeriesInput } from '../domain/detection/index.js';
import { partnerGroupKey } from '../domain/detection/partner-signal.js';
import { groupBy } from '../domain/group-by.js';
import { parseSeriesId, seriesId, type SeriesKey } from '../domain/series.js';
import type { AlertHistory } from '../store/alert-repository.js';
import type { SeriesReader } from '../store/series-repository.js';
import { loadSeriesWithTurnover } from './load-series.js';
import { asPeerOnly, withLookback } from './lookback.js';
import { newsBy, readProgress, type ProgressSources } from './progress.js';

/** Peers read at once: a partner's other reporters load in a few round trips' time. */
const PEER_READS = { consistent: true, inFlight: 8 };

/** The stored flows a series is made of: itself, or for turnover its two flows. */
const storedFlows = (series: SeriesKey): SeriesKey[] =>
  series.flow === 'trade' ? (['export', 'import'] as const).map((flow) => ({ ...series, flow })) : [series];

/**
 * The other reporters' series to the partners of `scored` (same source, flow, commodity and
 * currency: their cross-reporter peers), with their turnover, loaded as peers only: one Query per
 * source and partner through the index by partner, then one per series.
 */
export async function loadPartnerPeers(series: SeriesReader, scored: readonly SeriesInput[], reporters: ReadonlySet<string>): Promise<SeriesInput[]> {
  const wanted = new Set(scored.flatMap((s) => storedFlows(s.series).map(partnerGroupKey)));
  const partners = new Map(scored.map((s) => [`${s.series.source}.${s.series.partner}`, { source: s.series.source, partner: s.series.partner }]));
  const listed = (await Promise.all([...partners.values()].map((filter) => series.listSeries(filter))))
    .flat()
    .filter((metadata) => !reporters.has(metadata.reporter) && wanted.has(partnerGroupKey(metadata)));
  return (await loadSeriesWithTurnover(series, listed, PEER_READS)).map(asPeerOnly);
}

export interface PeerDetectionInput extends ProgressSources {
  readonly series: SeriesReader;
  /** The alert records: an event already recorded is not scored again for another reporter's run. */
  readonly alerts?: Pick<AlertHistory, 'known'> | undefined;
  readonly detectionFor: DetectionFor;
  readonly lookbackMonths: number;
}

export interface RescoredPeers {
  /** Partner-wide events of other reporters' series opened within their lookback: news only. */
  readonly anomalies: readonly Anomaly[];
  /** The series loaded to score them in their reporters' context. */
  readonly context: readonly SeriesInput[];
}

/**
 * The other reporters' series to the same partners, scored again over their own lookback with the
 * partner signal this run completed: a partner-wide move that crossed only now (their reporter's
 * run came before enough peers had arrived) is called on them too, as their own next run would
 * call it, so the order in which reporters arrive does not decide what is alerted. Alerts are keyed
 * per event (series, start, rule), so an event found by both runs is alerted once.
 *
 * A first pass scores the peers as loaded; a series with a partner-wide event opened in its
 * lookback is then scored again among its reporter's own series of that flow and commodity (its
 * total, its pooled spread: what its reporter's run sees), and kept where it is news by that
 * reporter's progress. Quiet partners cost nothing beyond the first pass.
 */
export async function rescorePeers(input: PeerDetectionInput, peers: readonly SeriesInput[], across: AcrossReporters): Promise<RescoredPeers> {
  const opened: Anomaly[] = [];
  for (const [reporter, ofReporter] of groupBy(peers, (p) => p.series.reporter)) {
    const inputs = ofReporter.map((p) => withLookback(p, input.lookbackMonths));
    opened.push(...[...partnerWideOpenings(detectAcross(inputs, input.detectionFor(reporter), {}, across).anomalies).values()].flat());
  }
  // An event already alerted (or pending, or silenced) is its own reporter's to follow.
  const known = opened.length > 0 && input.alerts ? await input.alerts.known(opened.map((a) => a.dedupKey)) : new Set<string>();
  const candidates = new Map<string, Set<string>>();
  for (const a of opened) if (!known.has(a.dedupKey)) candidates.set(a.series.reporter, (candidates.get(a.series.reporter) ?? new Set()).add(a.seriesId));
  if (candidates.size === 0) return { anomalies: [], context: [] };

  const isNews = newsBy(await readProgress(input, candidates.keys()));
  const anomalies: Anomaly[] = [];
  const context: SeriesInput[] = [];
  for (const [reporter, ids] of candidates) {
    const groups = new Set([...ids].flatMap((id) => storedFlows(parseSeriesId(id)).map(reporterGroupKey)));
    const listed = (await input.series.listSeries({ reporter })).filter((metadata) => groups.has(reporterGroupKey(metadata)));
    const loaded = (await loadSeriesWithTurnover(input.series, listed, PEER_READS)).map((entry) =>
      ids.has(seriesId(entry.series)) ? withLookback(entry, input.lookbackMonths) : asPeerOnly(entry),
    );
    context.push(...loaded);
    const found = detectAcross(loaded, input.detectionFor(reporter), {}, across).anomalies;
    anomalies.push(...[...partnerWideOpenings(found).values()].flat().filter(isNews));
  }
  return { anomalies, context };
}

/** Per series, the anomalies of its partner-wide events that opened in range (their first bucket reported). */
function partnerWideOpenings(anomalies: readonly Anomaly[]): Map<string, Anomaly[]> {
  const opened = new Set(anomalies.filter((a) => a.phase === 'new' && a.explanation.rule === RULE_PARTNER_WIDE).map((a) => a.dedupKey));
  return groupBy(
    anomalies.filter((a) => opened.has(a.dedupKey)),
    (a) => a.seriesId,
  );
}

/** A reporter's peers: same source, flow, commodity and currency, any partner. */
const reporterGroupKey = (series: SeriesKey) => seriesId({ ...series, partner: '*' });
