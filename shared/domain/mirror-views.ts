import { annualTotals, changeOnYear, yearToDateSeries, type ChangeOnYear } from './derived.js';
import type { DetectionConfig } from './detection/index.js';
import { atReporterBasis, mirrorMonths, pairMonths, type MirrorMonth } from './mirror.js';
import type { Observation, SeriesKey, StoredFlow } from './series.js';

/**
 * A mirror read the ways a stored series is read: month by month, year to date, change on a year
 * earlier, annual totals. Each side is summed or compared on its own first (its own combined
 * January, its own complete years), then the two are set side by side on the reporter's basis.
 */
export type MirrorViewName = 'monthly' | 'ytd' | 'yoy' | 'annual';

/** One side's change on a year: its value and the same bucket's a year earlier (the partner's at the reporter's basis). */
export interface SideChange {
  readonly value: number;
  readonly previous: number;
  readonly change: number;
}

/** One bucket's change on a year earlier, both sides, and what it did to the ratio. */
export interface MirrorChangeOnYear {
  /** The last month of the bucket. */
  readonly period: string;
  /** `2024-03`, or `2024-01..02` where January and February are one bucket. */
  readonly bucket: string;
  readonly label: string;
  /** Null where the side has no comparison for this bucket. */
  readonly reporter: SideChange | null;
  readonly partnerAtReporterBasis: SideChange | null;
  /** The partner's figure over the reporter's, now and a year earlier; null where either side is missing. */
  readonly ratio: number | null;
  readonly previousRatio: number | null;
}

/** One complete year of each side: a year only one side has all twelve months of is marked, never summed short. */
export interface MirrorYear extends Omit<MirrorMonth, 'period' | 'covers'> {
  readonly year: number;
}

export type MirrorViewItems =
  | { readonly view: 'monthly'; readonly items: MirrorMonth[] }
  | { readonly view: 'ytd'; readonly items: MirrorMonth[] }
  | { readonly view: 'yoy'; readonly items: MirrorChangeOnYear[] }
  | { readonly view: 'annual'; readonly items: MirrorYear[] };

export interface MirrorViewOptions {
  /** The stored series the mirror stands on (the reporter's side). */
  readonly series: SeriesKey & { flow: StoredFlow };
  readonly margin: number;
  /** The reporter's detection settings: y/y change is shown on the buckets detection compares (Jan-Feb where the reporter combines them). */
  readonly detection: DetectionConfig;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/** A mirror in one view, cut to the range (a year counts as its December, a bucket as its last month). */
export function mirrorView(reporter: readonly Observation[], partner: readonly Observation[], view: MirrorViewName, options: MirrorViewOptions): MirrorViewItems {
  const inRange = (period: string) => (!options.from || period >= options.from) && (!options.to || period <= options.to);
  const basis = { reporterFlow: options.series.flow, margin: options.margin };
  switch (view) {
    case 'monthly':
      return { view, items: mirrorMonths(reporter, partner, basis).filter((m) => inRange(m.period)) };
    case 'ytd':
      return { view, items: pairMonths(yearToDateSeries(reporter), yearToDateSeries(partner), basis).filter((m) => inRange(m.period)) };
    case 'annual': {
      const asDecembers = (observations: readonly Observation[]) => annualTotals(observations).map((t) => ({ period: `${t.year}-12`, value: t.value, state: 'published' as const }));
      const years = pairMonths(asDecembers(reporter), asDecembers(partner), basis).filter((m) => inRange(m.period));
      return { view, items: years.map(({ period, covers: _covers, ...rest }) => ({ year: Number(period.slice(0, 4)), ...rest })) };
    }
    case 'yoy':
      return { view, items: mirrorChangeOnYear(reporter, partner, options).filter((c) => inRange(c.period)) };
  }
}

/**
 * Each side's change on a year earlier over the reporter's comparison buckets: both sides are
 * bucketed alike (the reporter's Jan-Feb, also where only the partner publishes the two as one).
 */
function mirrorChangeOnYear(reporter: readonly Observation[], partner: readonly Observation[], options: MirrorViewOptions): MirrorChangeOnYear[] {
  const { series, detection, margin } = options;
  const merge = detection.janFebCombinedReporters.includes(series.reporter) || [...reporter, ...partner].some((o) => o.state === 'combined');
  const config: DetectionConfig = { ...detection, janFebCombinedReporters: merge ? [series.reporter] : [] };
  const reporterChanges = new Map(changeOnYear({ series, observations: reporter }, config).map((c) => [c.bucket, c]));
  // The partner's figures at the reporter's basis, bucketed as the reporter's.
  const atBasis = partner.map((o) => (o.value === null ? o : { ...o, value: atReporterBasis(o.value, series.flow, margin) }));
  const partnerChanges = new Map(changeOnYear({ series, observations: atBasis }, config).map((c) => [c.bucket, c]));
  const buckets = [...new Map([...reporterChanges.values(), ...partnerChanges.values()].map((c) => [c.bucket, c])).values()].sort((a, b) => a.period.localeCompare(b.period));
  const side = (c: ChangeOnYear | undefined): SideChange | null => (c ? { value: c.value, previous: c.previous, change: c.change } : null);
  return buckets.map(({ bucket, period, label }) => {
    const r = reporterChanges.get(bucket);
    const p = partnerChanges.get(bucket);
    const both = r && p && r.value > 0;
    return {
      period,
      bucket,
      label,
      reporter: side(r),
      partnerAtReporterBasis: side(p),
      ratio: both ? p.value / r.value : null,
      previousRatio: both ? p.previous / r.previous : null,
    };
  });
}
