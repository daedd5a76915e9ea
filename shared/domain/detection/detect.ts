import { formatMoney } from '../format.js';
import { groupBy } from '../group-by.js';
import type { Period } from '../period.js';
import { seriesId, type SeriesKey } from '../series.js';
import {
  RULE_CUSUM,
  RULE_LEVEL_SHIFT_RUN,
  RULE_PARTNER_WIDE,
  RULE_SUSTAINED,
  RULE_YOY_ROBUST_Z,
  type BaseEffect,
  type DetectionResult,
  type Gate,
} from './anomaly.js';
import { baseEffectAt } from './base-effect.js';
import { defaultDetectionConfig, type DetectionConfig } from './config.js';
import { openingType, phaseOf, QUIET_BUCKETS_TO_END, sustainedScore, typeInEvent, type OpenEvent, type Sustained } from './event-state.js';
import { bucketKey, bucketLabel, ExplainedObservations, formatPct, type DetectableObservation } from './explain.js';
import { monthIndex } from './monthly-values.js';
import { movesAmong, partnerPeersOf, twoYearZ, type PartnerMove, type PartnerPeers, type PartnerSignal } from './partner-signal.js';
import { mergesJanFeb, scoreInput } from './prepare.js';
import { anomalyAt, type Report } from './report.js';
import { RollingRobust } from './rolling-robust.js';
import { bucketStartingAt, type ScoredSeries } from './scored-series.js';
import { Slab } from './slab.js';
import { chooseSpread, type Pooled, type SpreadChoice } from './spread-choice.js';

export type { DetectableObservation } from './explain.js';
export { mergesJanFeb };

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

/** What detection may know beyond the series it is given. */
export interface AcrossReporters {
  /**
   * Every reporter's moves to each partner (built by `partnerSignal` over all series of a backtest
   * or an evaluation, or in a live run over its reporters' series and the other reporters' series
   * to the same partners): lets a series whose own move is only beyond the continuation bound be
   * called when enough of its cross-reporter peers moved the same way (`partnerShare`).
   */
  readonly partnerSignal?: PartnerSignal | undefined;
}

/** The partner code of a reporter's total with the world: the base for shares. */
export const WORLD = 'W00';

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

/** Detection over one series; without peers a short history is scored with the prior spread. */
export function detectAnomalies(
  input: SeriesInput & DetectionWindow,
  config: DetectionConfig = defaultDetectionConfig,
): DetectionResult {
  return detectAcross([input], config, input);
}

/**
 * Detection over many series at once. Series of the same reporter, flow and source are peers: a
 * series with under `minHistoryMonths` of history is scored with their pooled spread, and the
 * World series among them (partner W00) is the total that shares are measured against. With a
 * partner signal (`across`), moves across reporters to the same partner count as evidence too.
 */
export function detectAcross(
  inputs: readonly SeriesInput[],
  config: DetectionConfig = defaultDetectionConfig,
  window: DetectionWindow = {},
  across: AcrossReporters = {},
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
      scored: scoreInput(input, config, rolling, slab),
    }));
    const scoredPeers = peers.map((p) => p.scored);
    const pooled = new Map<number, Pooled | null>();
    const total = peers.find((p) => p.input.series.partner === WORLD);
    for (const prepared of peers) {
      const evaluateFrom = prepared.input.evaluateFrom ?? window.evaluateFrom;
      const from = evaluateFrom === undefined ? -Infinity : monthIndex(evaluateFrom);
      new SeriesEvaluation(prepared, scoredPeers, pooled, prepared === total ? undefined : total, { from, to }, config, result, slab, across.partnerSignal).run();
    }
  }
  return result;
}

/** Pass two over one series: scores each bucket, opens, follows and closes its events. */
class SeriesEvaluation {
  private readonly s: ScoredSeries;
  private readonly z: Float64Array;
  /** The log growth each scored bucket was expected to have. */
  private readonly expected: Float64Array;
  /** Direction (+1/-1) of each bucket that was a real fall or rise beyond bounds (alerted or held back by a money gate); else 0. */
  private readonly unusual: Int8Array;
  private readonly floor: number;
  private event: OpenEvent | undefined;
  /** The last bucket of the last event that ended. */
  private lastEventEnd = -1;
  private readonly sustained: Sustained = { score: 0, buckets: 0 };
  private readonly series: Report['series'];
  /** CUSUM of z up [0] and down [1]: kept in a typed array, as a double field costs a boxed store per bucket. */
  private readonly cusum = new Float64Array(2);
  private peersInSignal: PartnerPeers | null | undefined;

  constructor(
    private readonly prepared: Prepared,
    private readonly peers: readonly ScoredSeries[],
    private readonly pooled: Map<number, Pooled | null>,
    private readonly total: Prepared | undefined,
    private readonly range: { from: number; to: number },
    private readonly config: DetectionConfig,
    private readonly result: MutableResult,
    slab: Slab,
    private readonly partnerSignal: PartnerSignal | undefined,
  ) {
    this.s = prepared.scored;
    this.z = slab.float64(this.s.count).fill(NaN);
    this.expected = slab.float64(this.s.count).fill(NaN);
    this.unusual = slab.int8(this.s.count).fill(0);
    this.floor = Math.log1p(config.growthFloor);
    this.series = { key: prepared.input.series, id: prepared.id, observations: new ExplainedObservations(prepared.input.observations) };
  }

  run(): void {
    const { s, z, config } = this;
    for (let b = 0; b < s.count; b++) {
      const g = s.growth[b]!;
      if (Number.isNaN(g)) continue;
      const end = s.start[b]! + s.months[b]! - 1;
      const inRange = end >= this.range.from && end <= this.range.to;
      // The hot path: a series with its own spread needs no choice object unless it is reported.
      const own = s.ownSpread[b]!;
      const choice = !Number.isNaN(own) || s.historyMonths[b]! < config.minOwnHistoryMonths ? undefined : chooseSpread(s, b, this.peers, config, this.pooled);
      if (Number.isNaN(own) && !choice) {
        const deviation = Number.isNaN(s.centre[b]!) ? g : g - s.centre[b]!;
        if (inRange && Math.abs(deviation) >= this.floor) {
          this.holdBack(b, NaN, 'history', `only ${s.historyMonths[b]} months of y/y history; at least ${config.minOwnHistoryMonths} are needed to score`);
        }
        continue;
      }
      const centre = choice ? choice.centre : s.centre[b]!;
      const zb = (g - centre) / (choice ? choice.spread : own);
      z[b] = zb;
      this.expected[b] = centre;
      const cusum = this.cusum;
      cusum[0] = Math.max(0, cusum[0]! + zb - config.cusumSlack);
      cusum[1] = Math.min(0, cusum[1]! + zb + config.cusumSlack);
      if (inRange) this.result.evaluated++;
      if (this.event && this.follow(b, inRange)) continue;
      this.open(b, inRange);
    }
  }

  /** The spread a scored bucket was judged against, with where it came from. */
  private choiceAt(b: number): SpreadChoice {
    const own = this.s.ownSpread[b]!;
    return !Number.isNaN(own) ? { centre: this.s.centre[b]!, spread: own, source: 'own', peers: 0 } : chooseSpread(this.s, b, this.peers, this.config, this.pooled)!;
  }

  /** A bucket while an event is open: continues it (true), or counts towards its end. */
  private follow(b: number, inRange: boolean): boolean {
    const { z, config } = this;
    const event = this.event!;
    const zb = z[b]!;
    if (event.sign * zb >= config.continueZ) {
      event.quiet = 0;
      event.buckets++;
      event.type = typeInEvent(event, zb, z[b - 1]!, config);
      this.unusual[b] = event.sign;
      const phase = phaseOf(event, zb, config);
      if (inRange) {
        const choice = this.choiceAt(b);
        const baseEffect = baseEffectAt(this.s, b, z, this.unusual, choice, config, event.onBase);
        this.report({ b, choice, event, phase, type: event.type, rules: this.rules(event), evidenceZ: zb, baseEffect });
      }
      return true;
    }
    event.quiet++;
    const reversed = event.sign * zb <= -config.zThreshold;
    if (event.quiet < QUIET_BUCKETS_TO_END && !reversed) return true;
    this.event = undefined;
    this.lastEventEnd = b;
    if (inRange && event.buckets >= 2) {
      event.buckets++;
      this.report({ b, choice: this.choiceAt(b), event, phase: 'ended', type: event.type, rules: this.rules(event), evidenceZ: zb, baseEffect: undefined });
    }
    return false;
  }

  /** A bucket with no event open: beyond bounds (alone or as a sustained run) and through the gates opens one. */
  private open(b: number, inRange: boolean): void {
    const { z, config } = this;
    const zb = z[b]!;
    const sign = zb >= 0 ? 1 : -1;
    const single = Math.abs(zb) >= config.zThreshold;
    const run = this.sustained;
    const score = !single && sign * zb >= 1 ? sustainedScore(z, b, sign, config, this.lastEventEnd, run) : -Infinity;
    let sustained = score >= config.sustainedZ;
    // With a partner-wide move under way, the series' own evidence is judged against the continuation bound.
    const partnerMove = single || sustained || sign * zb < 1 ? undefined : this.partnerWide(b, sign, score);
    if (partnerMove?.sustained) sustained = true;
    if (!single && !sustained && !partnerMove) return;
    this.openThroughGates(b, inRange, sign, sustained, partnerMove);
  }

  /**
   * A bucket beyond bounds: held back by the first gate it fails, else it opens an event. Apart
   * from `open` because its closures would make every call of `open` allocate, on every bucket.
   */
  private openThroughGates(b: number, inRange: boolean, sign: 1 | -1, sustained: boolean, partnerMove: PartnerMove | undefined): void {
    const { s, z, config } = this;
    const zb = z[b]!;
    const run = this.sustained;
    const choice = this.choiceAt(b);
    const buckets = sustained ? run.buckets : 1;
    const hold = (gate: Gate, reason: string) => {
      if (inRange) this.holdBack(b, zb, gate, reason);
    };
    // The surprise (distance from the typical growth) and the change, over the run for a sustained shift.
    let surprise = 0;
    let growth = 0;
    for (let i = b - buckets + 1; i <= b; i++) {
      surprise += s.growth[i]! - this.expected[i]!;
      growth += s.growth[i]!;
    }
    surprise /= buckets;
    growth /= buckets;
    const months = s.months[b]!;
    const previous = s.previous[b]!;
    const currency = this.prepared.input.series.currency;
    const money = (v: number) => formatMoney(v, currency);
    if (sign * s.growth[b]! <= 0) {
      hold('direction', `${formatPct(Math.expm1(s.growth[b]!))} y/y is ${sign > 0 ? 'no rise' : 'no fall'}, though ${sign > 0 ? 'above' : 'below'} the typical growth of ${formatPct(Math.expm1(choice.centre))}: a change of pace, not a ${sign > 0 ? 'jump' : 'drop'}`);
      return;
    }
    // Small both as a change and as a departure from the typical growth: a turn always has a large departure.
    if (Math.abs(surprise) < this.floor && Math.abs(growth) < this.floor) {
      hold(
        'floor',
        `${formatPct(Math.expm1(growth))} y/y, ${formatPct(Math.expm1(surprise))} against the typical growth of ${formatPct(Math.expm1(choice.centre))}: both under the floor of ${formatPct(config.growthFloor)}` +
          (sustained ? ` (means over ${buckets} buckets)` : ''),
      );
      return;
    }
    // A real fall or rise well beyond bounds: a later bucket compared with it has a base effect, alerted or not.
    this.unusual[b] = sign;
    const absoluteChange = s.value[b]! - previous;
    if (previous < config.minBasePerMonth * months && Math.abs(absoluteChange) < config.minBasePerMonth * months) {
      hold('base', `comparison value ${money(previous)} is under the minimum base of ${money(config.minBasePerMonth * months)} for ${months} month(s)`);
      return;
    }
    const totalPrevious = this.totalPreviousAt(s.start[b]!);
    const share = totalPrevious ? previous / totalPrevious : undefined;
    if (share !== undefined && share < config.minShareOfTotal) {
      hold('share', `${(share * 100).toFixed(3)} % of the reporter's total is under the minimum share of ${(config.minShareOfTotal * 100).toFixed(3)} %`);
      return;
    }
    if (Math.abs(absoluteChange) < config.minAbsoluteChangePerMonth * months) {
      hold('change', `a change of ${money(absoluteChange)} is under the minimum of ${money(config.minAbsoluteChangePerMonth * months)} for ${months} month(s)`);
      return;
    }
    const rule = partnerMove ? RULE_PARTNER_WIDE : sustained ? RULE_SUSTAINED : RULE_YOY_ROBUST_Z;
    const startKey = bucketKey(s, b);
    // A sustained run has a base effect when any of its buckets has one.
    let baseEffect: BaseEffect | undefined;
    for (let i = b; i > b - buckets && !baseEffect; i--) baseEffect = baseEffectAt(s, i, z, this.unusual, choice, config);
    const event: OpenEvent = {
      sign,
      key: `${this.prepared.id}#${startKey}#${rule}`,
      start: startKey,
      rule,
      buckets: 1,
      peakAbsZ: Math.abs(zb),
      type: openingType(sustained, zb, z[b - 1] ?? NaN, config),
      quiet: 0,
      onBase: baseEffect !== undefined,
      ...(partnerMove ? { partnerMove: { moving: partnerMove.moving, scored: partnerMove.scored } } : {}),
    };
    this.event = event;
    if (inRange) {
      const evidenceZ = sustained ? sign * run.score : zb;
      this.report({ b, choice, event, phase: 'new', type: event.type, rules: this.rules(event), evidenceZ, baseEffect });
    }
  }

  /**
   * A move that enough of the series' cross-reporter peers made the same way over the last
   * partnerMonths months (see `partnerMoveAt`), where the series' own evidence reaches the
   * continuation bound rather than the alert bar: this bucket beyond continueZ, or a sustained run
   * scoring at least continueZ; its y/y growth that way, and its change against two years earlier
   * that way too (a rebound from last year's trough is not a move). Their count, else undefined.
   */
  private partnerWide(b: number, sign: 1 | -1, score: number): (PartnerMove & { sustained: boolean }) | undefined {
    const { config, s } = this;
    if (!this.partnerSignal || sign * s.growth[b]! <= 0) return undefined;
    const zb = this.z[b]!;
    const single = sign * zb >= config.continueZ;
    if (!single && score < config.continueZ) return undefined;
    const peers = this.crossReporterPeers(this.partnerSignal);
    const moves = peers && movesAmong(peers, s.start[b]!, sign, config.partnerMonths);
    if (!moves || moves.scored < config.partnerMinSeries * config.partnerMonths || moves.moving < config.partnerShare * moves.scored) return undefined;
    const choice = this.choiceAt(b);
    if (sign * twoYearZ(s, b, choice.centre, choice.spread) < 0) return undefined;
    return { ...moves, sustained: !single };
  }

  /** The series' place in the partner signal, looked up on first use (null: its partner is not in the signal). */
  private crossReporterPeers(signal: PartnerSignal): PartnerPeers | undefined {
    if (this.peersInSignal === undefined) this.peersInSignal = partnerPeersOf(signal, this.prepared.input.series, this.prepared.id) ?? null;
    return this.peersInSignal ?? undefined;
  }

  private rules(event: OpenEvent): string[] {
    const rules = [event.rule];
    if (event.type === 'LS') {
      if (event.rule !== RULE_SUSTAINED) rules.push(RULE_LEVEL_SHIFT_RUN);
      const cusum = event.sign > 0 ? this.cusum[0]! : -this.cusum[1]!;
      if (cusum >= this.config.cusumThreshold) rules.push(RULE_CUSUM);
    }
    return rules;
  }

  private report(r: Omit<Report, 'series' | 'scored' | 'z' | 'totalPrevious'>): void {
    const { s } = this;
    const report: Report = {
      series: this.series,
      scored: s,
      b: r.b,
      z: this.z[r.b]!,
      choice: r.choice,
      event: r.event,
      phase: r.phase,
      type: r.type,
      rules: r.rules,
      evidenceZ: r.evidenceZ,
      baseEffect: r.baseEffect,
      totalPrevious: this.totalPreviousAt(s.start[r.b]!),
    };
    this.result.anomalies.push(anomalyAt(report, this.config));
  }

  private holdBack(b: number, z: number, gate: Gate, reason: string): void {
    const s = this.s;
    this.result.heldBack.push({ seriesId: this.prepared.id, bucketKey: bucketKey(s, b), bucketLabel: bucketLabel(s, b), gate, reason, change: Math.expm1(s.growth[b]!), z });
  }

  private totalPreviousAt(start: number): number | undefined {
    if (!this.total) return undefined;
    const b = bucketStartingAt(this.total.scored, start);
    const previous = b < 0 ? NaN : this.total.scored.previous[b]!;
    return previous > 0 ? previous : undefined;
  }
}
