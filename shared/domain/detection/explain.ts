import { formatMoney, formatWeight } from '../format.js';
import { bucketOf, monthName } from '../period.js';
import type { Observation, Revision } from '../series.js';
import type { YearToDate } from './anomaly.js';
import { monthIndex, periodOfIndex } from './monthly-values.js';
import type { ScoredSeries } from './scored-series.js';

/** An observation as detection sees it: stored ones also carry their earlier values. */
export type DetectableObservation = Observation & { readonly revisions?: readonly Revision[] };

export function bucketKey(s: ScoredSeries, b: number, shiftMonths = 0): string {
  return bucketOf(periodOfIndex(s.start[b]! + shiftMonths), s.mergeJanFeb).key;
}

export function bucketLabel(s: ScoredSeries, b: number, shiftMonths = 0): string {
  return bucketOf(periodOfIndex(s.start[b]! + shiftMonths), s.mergeJanFeb).label;
}

export function yearToDate(s: ScoredSeries, b: number): YearToDate | undefined {
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

/**
 * A series' observations with what explanations look up in them, gathered on first use: once per
 * series, not once per anomaly (a long series with many anomalies would be scanned again for each).
 */
export class ExplainedObservations {
  private revisedOnes: readonly DetectableObservation[] | undefined;
  private withQuantities: boolean | undefined;

  constructor(readonly all: readonly DetectableObservation[]) {}

  /** The observations that carry earlier values. */
  get revised(): readonly DetectableObservation[] {
    this.revisedOnes ??= this.all.filter((o) => (o.revisions?.length ?? 0) > 0);
    return this.revisedOnes;
  }

  /** Whether any month has a weight or quantity stored: without one, no volume and price split is tried. */
  get hasQuantities(): boolean {
    this.withQuantities ??= this.all.some((o) => o.quantities !== undefined);
    return this.withQuantities;
  }
}

export function revisionCaveats(observations: readonly DetectableObservation[], start: number, months: number, currency: string): string[] {
  const caveats: string[] = [];
  for (const o of observations) {
    if (!o.revisions?.length) continue;
    const index = monthIndex(o.period);
    if (index < start || index >= start + months) continue;
    const first = o.revisions[0]!;
    if (o.revisions.every((r) => r.value === o.value && r.state === o.state)) {
      const kg = first.quantities?.netWeight?.kg;
      caveats.push(`revised quantities: ${o.period} first published with a net weight of ${kg === undefined ? 'none' : formatWeight(kg)} (seen ${first.seenAt.slice(0, 10)}), its value unchanged`);
      continue;
    }
    const was = first.value === null ? first.state : formatMoney(first.value, currency);
    caveats.push(`revised value: ${o.period} was first published as ${was} (seen ${first.seenAt.slice(0, 10)}), revised ${o.revisions.length} time(s)`);
  }
  return caveats;
}

/** `+23 %`, `-4.0 %`: one decimal below 10 %, none above. */
export function formatPct(fraction: number): string {
  const pct = fraction * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(Math.abs(pct) < 10 ? 1 : 0)} %`;
}
