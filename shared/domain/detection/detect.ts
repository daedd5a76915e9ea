import { formatMoney } from '../format.js';
import { groupBy } from '../group-by.js';
import { bucketOf, monthName, type Period } from '../period.js';
import { median } from '../robust.js';
import { isCombinedWithNext, seriesId, type Observation, type Revision, type SeriesKey } from '../series.js';
import {
  RULE_CUSUM,
  RULE_LEVEL_SHIFT_RUN,
  RULE_YOY_ROBUST_Z,
  type Anomaly,
  type AnomalyType,
  type DetectionResult,
  type Gate,
  type HeldBack,
  type Severity,
  type YearToDate,
} from './anomaly.js';
import { defaultDetectionConfig, type DetectionConfig } from './config.js';
import { monthIndex, periodOfIndex, toMonthlyValues } from './monthly-values.js';
import { RollingRobust } from './rolling-robust.js';
import { bucketStartingAt, scoreSeries, type ScoredSeries } from './scored-series.js';
import { Slab } from './slab.js';

/** An observation as detection sees it: stored ones also carry their earlier values. */
export type DetectableObservation = Observation & { readonly revisions?: readonly Revision[] };

export interface SeriesInput {
  readonly series: SeriesKey;
  readonly observations: readonly DetectableObservation[];
  /** Overrides the window's evaluateFrom for this series (e.g. the first month an ingest changed). */
  readonly evaluateFrom?: Period | undefined;
}

export interface DetectionWindow {
  /** Only buckets ending at or after this month are evaluated (older ones still form the history). */
  readonly evaluateFrom?: Period | undefined;
  /** Only buckets ending at or before this month are evaluated. */
  readonly evaluateTo?: Period | undefined;
}

/** The partner code of a reporter's total with the world: the base for shares. */
export const WORLD = 'W00';

export function mergesJanFeb(series: SeriesKey, config: DetectionConfig): boolean {
  return config.janFebCombinedReporters.includes(series.reporter);
}

/** Peers share source, reporter, flow, commodity and currency: the same statistics, other partners. */
function peerGroupKey(series: SeriesKey): string {
  return seriesId({ ...series, partner: '*' });
}

type MutableResult = { -readonly [K in keyof DetectionResult]: DetectionResult[K] };

interface Prepared {
  readonly input: SeriesInput;
  readonly id: string;
  readonly scored: ScoredSeries;
}

/** Detection over one series; without peers a short history cannot borrow a pooled spread. */
export function detectAnomalies(
  input: SeriesInput & DetectionWindow,
  config: DetectionConfig = defaultDetectionConfig,
): DetectionResult {
  return detectAcross([input], config, input);
}

/**
 * Detection over many series at once. Series of the same reporter, flow and source are peers: a
 * series with under `minHistoryMonths` of history is scored with their pooled spread, and the
 * World series among them (partner W00) is the total that shares are measured against.
 */
export function detectAcross(
  inputs: readonly SeriesInput[],
  config: DetectionConfig = defaultDetectionConfig,
  window: DetectionWindow = {},
): DetectionResult {
  const rolling = new RollingRobust(config.historyWindow);
  const slab = new Slab();
  const groups = groupBy(inputs, (input) => peerGroupKey(input.series));
  const to = window.evaluateTo === undefined ? Infinity : monthIndex(window.evaluateTo);
  const result: MutableResult = { anomalies: [], heldBack: [], evaluated: 0 };
  // Group by group: peers are scored together, then their memory is reused for the next group.
  for (const group of groups.values()) {
    slab.reset();
    const peers = group.map((input): Prepared => ({
      input,
      id: seriesId(input.series),
      scored: scoreSeries(toMonthlyValues(bucketable(input.observations, mergesJanFeb(input.series, config)), slab), mergesJanFeb(input.series, config), config, rolling, slab),
    }));
    const total = peers.find((p) => p.input.series.partner === WORLD);
    for (const prepared of peers) {
      const evaluateFrom = prepared.input.evaluateFrom ?? window.evaluateFrom;
      const from = evaluateFrom === undefined ? -Infinity : monthIndex(evaluateFrom);
      evaluateSeries(prepared, peers, prepared === total ? undefined : total, { from, to }, config, result, slab);
    }
  }
  return result;
}

/**
 * A January published only inside February's value: with Jan+Feb merged it adds nothing of its
 * own to the bucket (February carries both); without merging, that February is not February alone,
 * so neither month is compared.
 */
function bucketable(observations: readonly DetectableObservation[], mergeJanFeb: boolean): readonly DetectableObservation[] {
  if (!observations.some(isCombinedWithNext)) return observations;
  if (mergeJanFeb) return observations.map((o) => (isCombinedWithNext(o) ? { ...o, value: 0, state: 'zero' as const } : o));
  const combinedYears = new Set(observations.filter(isCombinedWithNext).map((o) => o.period.slice(0, 4)));
  return observations.map((o) =>
    o.period.endsWith('-02') && combinedYears.has(o.period.slice(0, 4)) ? { ...o, value: null, state: 'combined' as const } : o,
  );
}

function pooledSpread(peers: readonly Prepared[], self: Prepared, start: number): { spread: number; peers: number } | undefined {
  const spreads: number[] = [];
  for (const peer of peers) {
    if (peer === self) continue;
    const b = bucketStartingAt(peer.scored, start);
    if (b < 0) continue;
    const spread = peer.scored.ownSpread[b]!;
    if (spread === spread) spreads.push(spread);
  }
  return spreads.length === 0 ? undefined : { spread: median(spreads), peers: spreads.length };
}

function evaluateSeries(
  prepared: Prepared,
  peers: readonly Prepared[],
  total: Prepared | undefined,
  range: { from: number; to: number },
  config: DetectionConfig,
  result: MutableResult,
  slab: Slab,
): void {
  const s = prepared.scored;
  const z = slab.float64(s.count).fill(NaN);
  let cusumUp = 0;
  let cusumDown = 0;
  for (let b = 0; b < s.count; b++) {
    const g = s.growth[b]!;
    if (g !== g) continue;
    const end = s.start[b]! + s.months[b]! - 1;
    const inRange = end >= range.from && end <= range.to;
    const change = Math.expm1(g);
    const candidate = Math.abs(change) >= config.growthFloor;

    if (s.historyMonths[b]! < config.minOwnHistoryMonths) {
      if (inRange && candidate) {
        holdBack(result, prepared, b, change, NaN, 'history', `only ${s.historyMonths[b]} months of y/y history; at least ${config.minOwnHistoryMonths} are needed to score`);
      }
      continue;
    }
    let spread = s.ownSpread[b]!;
    let pooledFrom = 0;
    if (spread !== spread) {
      const pooled = pooledSpread(peers, prepared, s.start[b]!);
      if (!pooled) {
        if (inRange && candidate) {
          holdBack(result, prepared, b, change, NaN, 'history', `only ${s.historyMonths[b]} months of y/y history (${config.minHistoryMonths} needed for its own spread) and no peer series of the same reporter and flow has enough to pool from`);
        }
        continue;
      }
      spread = pooled.spread;
      pooledFrom = pooled.peers;
    }
    const zb = (g - s.centre[b]!) / spread;
    z[b] = zb;
    cusumUp = Math.max(0, cusumUp + zb - config.cusumSlack);
    cusumDown = Math.min(0, cusumDown + zb + config.cusumSlack);
    if (!inRange) continue;
    result.evaluated++;
    if (Math.abs(zb) < config.zThreshold || !candidate) continue;
    judge({ prepared, b, z, spread, pooledFrom, change, cusumUp, cusumDown, total }, config, result);
  }
}

function holdBack(result: MutableResult, prepared: Prepared, b: number, change: number, z: number, gate: Gate, reason: string): void {
  const s = prepared.scored;
  result.heldBack.push({ seriesId: prepared.id, bucketKey: bucketKey(s, b), bucketLabel: label(s, b), gate, reason, change, z });
}

interface Flagged {
  readonly prepared: Prepared;
  readonly b: number;
  /** z of every bucket so far, for typing. */
  readonly z: Float64Array;
  readonly spread: number;
  readonly pooledFrom: number;
  readonly change: number;
  readonly cusumUp: number;
  readonly cusumDown: number;
  readonly total: Prepared | undefined;
}

/** A bucket beyond bounds and above the growth floor: the gates, then type, severity and explanation. */
function judge(flagged: Flagged, config: DetectionConfig, result: MutableResult): void {
  const { prepared, b, z, spread, pooledFrom, change, total } = flagged;
  const s = prepared.scored;
  const zb = z[b]!;
  const end = s.start[b]! + s.months[b]! - 1;
  const months = s.months[b]!;
  const value = s.value[b]!;
  const previous = s.previous[b]!;
  const currency = prepared.input.series.currency;
  const money = (v: number) => formatMoney(v, currency);
  const hold = (gate: Gate, reason: string) => holdBack(result, prepared, b, change, zb, gate, reason);
  if (previous < config.minBasePerMonth * months) {
    hold('base', `comparison value ${money(previous)} is under the minimum base of ${money(config.minBasePerMonth * months)} for ${months} month(s)`);
    return;
  }
  const totalPrevious = total ? totalPreviousAt(total, s.start[b]!) : undefined;
  const share = totalPrevious ? previous / totalPrevious : undefined;
  if (share !== undefined && share < config.minShareOfTotal) {
    hold('share', `${(share * 100).toFixed(3)} % of the reporter's total is under the minimum share of ${(config.minShareOfTotal * 100).toFixed(3)} %`);
    return;
  }
  const absoluteChange = value - previous;
  if (Math.abs(absoluteChange) < config.minAbsoluteChangePerMonth * months) {
    hold('change', `a change of ${money(absoluteChange)} is under the minimum of ${money(config.minAbsoluteChangePerMonth * months)} for ${months} month(s)`);
    return;
  }
  const { type, rules } = classify(z, b, zb, flagged.cusumUp, flagged.cusumDown, config);
  const severity = severityOf({ z: zb, change, absoluteChangePerMonth: Math.abs(absoluteChange) / months, share: totalPrevious ? Math.abs(absoluteChange) / totalPrevious : undefined, type }, config);
  const band = config.zThreshold * spread;
  const caveats: string[] = [];
  if (months === 2) caveats.push('January and February are compared together (combined release, Lunar New Year)');
  if (previous < config.smallBaseCaveatFactor * config.minBasePerMonth * months) caveats.push(`small base: the comparison value is ${money(previous)}`);
  caveats.push(...revisionCaveats(prepared.input.observations, s.start[b]!, months, currency));
  if (pooledFrom > 0) {
    caveats.push(`spread pooled from ${pooledFrom} peer series of the same reporter and flow (own history: ${s.historyMonths[b]} months)`);
  }
  const id = prepared.id;
  const key = bucketKey(s, b);
  const bucketLabel = label(s, b);
  const ytd = yearToDate(s, b);
  result.anomalies.push({
    series: prepared.input.series,
    seriesId: id,
    bucketKey: key,
    bucketLabel,
    period: periodOfIndex(end),
    direction: change >= 0 ? 'up' : 'down',
    type,
    severity,
    dedupKey: `${id}#${key}#${RULE_YOY_ROBUST_Z}`,
    explanation: {
      value,
      comparisonValue: previous,
      comparisonLabel: label(s, b, -12),
      change,
      absoluteChange,
      expectedRange: [previous * Math.exp(s.centre[b]! - band), previous * Math.exp(s.centre[b]! + band)],
      z: zb,
      historyLength: s.historyLength[b]!,
      historyMonths: s.historyMonths[b]!,
      typicalChange: Math.expm1(s.centre[b]!),
      spreadSource: pooledFrom > 0 ? 'pooled' : 'own',
      rule: RULE_YOY_ROBUST_Z,
      rules,
      type,
      ...(share !== undefined ? { shareOfTotal: share } : {}),
      ...(ytd ? { yearToDate: ytd } : {}),
      caveats,
    },
  });
}

function bucketKey(s: ScoredSeries, b: number): string {
  return bucketOf(periodOfIndex(s.start[b]!), s.mergeJanFeb).key;
}

function label(s: ScoredSeries, b: number, shiftMonths = 0): string {
  return bucketOf(periodOfIndex(s.start[b]! + shiftMonths), s.mergeJanFeb).label;
}

function totalPreviousAt(total: Prepared, start: number): number | undefined {
  const b = bucketStartingAt(total.scored, start);
  const previous = b < 0 ? NaN : total.scored.previous[b]!;
  return previous > 0 ? previous : undefined;
}

/** Level shift, temporary change or one-month spike, from the run of z beyond bounds up to `b`. */
function classify(
  z: Float64Array,
  b: number,
  zb: number,
  cusumUp: number,
  cusumDown: number,
  config: DetectionConfig,
): { type: AnomalyType; rules: string[] } {
  const sign = Math.sign(zb);
  let run = 1;
  for (let i = b - 1; i >= 0; i--) {
    const zi = z[i]!;
    if (!(Math.abs(zi) >= config.zThreshold) || Math.sign(zi) !== sign) break;
    run++;
  }
  const cusum = sign > 0 ? cusumUp : -cusumDown;
  if (run >= 2 && Math.abs(zb) < config.decayRatio * Math.abs(z[b - 1]!)) return { type: 'TC', rules: [RULE_YOY_ROBUST_Z] };
  if (run >= config.levelShiftRun) return { type: 'LS', rules: [RULE_YOY_ROBUST_Z, RULE_LEVEL_SHIFT_RUN] };
  if (run >= 2 && cusum >= config.cusumThreshold) return { type: 'LS', rules: [RULE_YOY_ROBUST_Z, RULE_CUSUM] };
  return { type: 'AO', rules: [RULE_YOY_ROBUST_Z] };
}

/** Points for magnitude, impact and persistence; the total decides the severity. */
export function severityOf(
  facts: { z: number; change: number; absoluteChangePerMonth: number; share: number | undefined; type: AnomalyType },
  config: DetectionConfig,
): Severity {
  const t = config.severity;
  let score = Math.abs(facts.z) >= t.strongZ ? 2 : 1;
  let impact = facts.absoluteChangePerMonth >= t.hugeChangePerMonth ? 2 : facts.absoluteChangePerMonth >= t.largeChangePerMonth ? 1 : 0;
  if (facts.share !== undefined && facts.share >= t.largeShareOfTotal) impact++;
  score += Math.min(impact, 2);
  if (Math.abs(facts.change) >= t.largeGrowth) score++;
  if (facts.type === 'LS') score++;
  return score >= t.criticalScore ? 'critical' : score >= t.warningScore ? 'warning' : 'info';
}

function yearToDate(s: ScoredSeries, b: number): YearToDate | undefined {
  const end = s.start[b]! + s.months[b]! - 1;
  const monthOfYear = end % 12;
  if (monthOfYear < 2) return undefined; // Jan or Jan-Feb: the bucket itself is the year to date
  const sum = (lastMonth: number) => {
    let total = 0;
    for (let m = lastMonth - monthOfYear; m <= lastMonth; m++) {
      const offset = m - s.monthly.firstMonth;
      total += offset >= 0 && offset < s.monthly.values.length ? s.monthly.values[offset]! : NaN;
    }
    return total;
  };
  const value = sum(end);
  const comparisonValue = sum(end - 12);
  if (!(value > 0 && comparisonValue > 0)) return undefined;
  const year = Math.floor(end / 12);
  return { label: `Jan-${monthName(monthOfYear + 1)} ${year}`, value, comparisonValue, change: value / comparisonValue - 1 };
}

function revisionCaveats(observations: readonly DetectableObservation[], start: number, months: number, currency: string): string[] {
  const caveats: string[] = [];
  for (const o of observations) {
    if (!o.revisions?.length) continue;
    const index = monthIndex(o.period);
    if (index < start || index >= start + months) continue;
    const first = o.revisions[0]!;
    const was = first.value === null ? first.state : formatMoney(first.value, currency);
    caveats.push(`revised value: ${o.period} was first published as ${was} (seen ${first.seenAt.slice(0, 10)}), revised ${o.revisions.length} time(s)`);
  }
  return caveats;
}
