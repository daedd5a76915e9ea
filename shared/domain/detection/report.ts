import { formatMoney } from '../format.js';
import { bucketOf } from '../period.js';
import type { SeriesKey } from '../series.js';
import type { Anomaly, AnomalyType, BaseEffect, EventPhase, Severity } from './anomaly.js';
import type { DetectionConfig } from './config.js';
import type { OpenEvent } from './event-state.js';
import { bucketLabel, formatPct, revisionCaveats, yearToDate, type DetectableObservation, type ExplainedObservations } from './explain.js';
import { periodOfIndex } from './monthly-values.js';
import type { ScoredSeries } from './scored-series.js';
import { severityOf } from './severity.js';
import { explainVolumePrice } from './volume-price.js';
import type { SpreadChoice } from './spread-choice.js';

/** What a bucket that opens, continues or ends an event is reported with. */
export interface Report {
  readonly series: { readonly key: SeriesKey; readonly id: string; readonly observations: ExplainedObservations };
  readonly scored: ScoredSeries;
  readonly b: number;
  readonly z: number;
  readonly choice: SpreadChoice;
  readonly event: OpenEvent;
  readonly phase: EventPhase;
  readonly type: AnomalyType;
  readonly rules: string[];
  /** z that severity is judged on (the sustained score for a sustained shift). */
  readonly evidenceZ: number;
  readonly baseEffect: BaseEffect | undefined;
  /** The reporter's total a year earlier, where known (for shares). */
  readonly totalPrevious: number | undefined;
}

/** The anomaly a reported bucket becomes: numbers, type, severity and every caveat a person needs. */
export function anomalyAt(r: Report, config: DetectionConfig): Anomaly {
  const { scored: s, b, choice, event, totalPrevious } = r;
  const zb = r.z;
  const end = s.start[b]! + s.months[b]! - 1;
  const months = s.months[b]!;
  const value = s.value[b]!;
  const previous = s.previous[b]!;
  const currency = r.series.key.currency;
  const money = (v: number) => formatMoney(v, currency);
  const change = Math.expm1(s.growth[b]!);
  const absoluteChange = value - previous;
  const share = totalPrevious ? previous / totalPrevious : undefined;
  const base = r.baseEffect;
  const severity = r.phase === 'ended' ? 'info' : severityWithBase(r, change, absoluteChange / months, config);
  const band = config.zThreshold * choice.spread;
  const caveats: string[] = [];
  if (months === 2) caveats.push('January and February are compared together (combined release, Lunar New Year)');
  if (previous < config.smallBaseCaveatFactor * config.minBasePerMonth * months) caveats.push(`small base: the comparison value is ${money(previous)}`);
  if (base) {
    caveats.push(
      `base effect: ${base.basePeriod} was itself unusual (z ${base.baseZ.toFixed(1)}); against ${base.twoYearLabel} the change is ${formatPct(base.twoYearChange)}` +
        (base.onlyBase ? ', within the usual range: the base alone makes this month look unusual' : ''),
    );
  }
  if (event.partnerMove) {
    const { moving, scored } = event.partnerMove;
    caveats.push(
      `partner-wide move: opened in ${event.start} when ${moving} of ${scored} other reporters' series to ${r.series.key.partner} ${event.sign > 0 ? 'rose' : 'fell'} beyond their own bounds too; ` +
        `this series alone was beyond the continuation bound (z ${(event.sign * config.continueZ).toFixed(1)}), not the alert bar of ${config.zThreshold}`,
    );
  }
  const observations = r.series.observations;
  caveats.push(...revisionCaveats(observations.revised, s.start[b]!, months, currency));
  const volumePrice = observations.hasQuantities ? volumePriceAt(observations.all, s.start[b]!, months, currency) : undefined;
  caveats.push(...(volumePrice?.caveats ?? []));
  if (choice.source === 'pooled') {
    caveats.push(`spread pooled from ${choice.peers} peer series of the same reporter and flow (own history: ${s.historyMonths[b]} months)`);
  } else if (choice.source === 'prior') {
    caveats.push(`short history (${s.historyMonths[b]} months) and no peer with enough: spread blended with the default prior for a series of this size`);
  }
  if (r.phase !== 'new') caveats.push(`event since ${event.start}, ${r.phase} (bucket ${event.buckets})`);
  const ytd = yearToDate(s, b);
  const bucket = bucketOf(periodOfIndex(s.start[b]!), s.mergeJanFeb);
  return {
    series: r.series.key,
    seriesId: r.series.id,
    bucketKey: bucket.key,
    bucketLabel: bucket.label,
    period: periodOfIndex(end),
    direction: event.sign > 0 ? 'up' : 'down',
    type: r.type,
    severity,
    dedupKey: event.key,
    eventKey: event.key,
    eventStart: event.start,
    eventBuckets: event.buckets,
    phase: r.phase,
    explanation: {
      value,
      comparisonValue: previous,
      comparisonLabel: bucketLabel(s, b, -12),
      change,
      absoluteChange,
      expectedRange: [previous * Math.exp(choice.centre - band), previous * Math.exp(choice.centre + band)],
      z: zb,
      historyLength: s.historyLength[b]!,
      historyMonths: s.historyMonths[b]!,
      typicalChange: Math.expm1(choice.centre),
      spreadSource: choice.source,
      spread: choice.spread,
      surprise: Math.expm1(s.growth[b]! - choice.centre),
      ...(base ? { baseEffect: base } : {}),
      ...(event.partnerMove ? { partnerMove: event.partnerMove } : {}),
      rule: event.rule,
      rules: r.rules,
      type: r.type,
      ...(share !== undefined ? { shareOfTotal: share } : {}),
      ...(ytd ? { yearToDate: ytd } : {}),
      ...(volumePrice?.split ? { volumePrice: volumePrice.split } : {}),
      caveats,
    },
  };
}

function volumePriceAt(observations: readonly DetectableObservation[], start: number, months: number, currency: string) {
  const bucketMonths = Array.from({ length: months }, (_, i) => periodOfIndex(start + i));
  return explainVolumePrice(observations, bucketMonths, bucketMonths.map((_, i) => periodOfIndex(start + i - 12)), currency);
}

/** Severity on the evidence; with a base effect, on the two-year comparison, never on the base alone. */
function severityWithBase(r: Report, change: number, absoluteChangePerMonth: number, config: DetectionConfig): Severity {
  const base = r.baseEffect;
  if (base?.onlyBase) return 'info';
  const z = base ? Math.sign(r.evidenceZ) * Math.min(Math.abs(r.evidenceZ), Math.abs(base.twoYearZ)) : r.evidenceZ;
  const share = r.totalPrevious ? absoluteChangePerMonth / r.totalPrevious : undefined;
  const judged = base ? Math.sign(change) * Math.min(Math.abs(change), Math.abs(base.twoYearChange)) : change;
  return severityOf({ z, change: judged, absoluteChangePerMonth, share, type: r.type }, config);
}
