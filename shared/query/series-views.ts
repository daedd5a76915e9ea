import * as z from '../zod.js';
import { annualTotals, changeOnYear, yearToDateSeries, type AnnualTotal, type ChangeOnYear } from '../domain/derived.js';
import type { DetectionFor } from '../domain/detection/index.js';
import type { Observation, SeriesKey } from '../domain/series.js';
import { unitValueSeries, type UnitValueMonth, type UnitValueSeries } from '../domain/unit-value.js';

/** How a series can be read: its months, year to date, change on a year earlier, annual totals, value per kg (or unit). */
export const seriesViewSchema = z.enum(['monthly', 'ytd', 'yoy', 'annual', 'unit-value']);
export type SeriesViewName = z.infer<typeof seriesViewSchema>;

export type SeriesView =
  | { readonly view: 'monthly'; readonly items: Observation[] }
  | { readonly view: 'ytd'; readonly items: Observation[] }
  | { readonly view: 'yoy'; readonly items: ChangeOnYear[] }
  | { readonly view: 'annual'; readonly items: AnnualTotal[] }
  | ({ readonly view: 'unit-value'; readonly items: UnitValueMonth[] } & Pick<UnitValueSeries, 'measure' | 'unit'>);

export interface ViewRequest {
  readonly series: SeriesKey;
  /** Detection settings per reporter: y/y change is shown on the buckets detection compares. */
  readonly detectionFor: DetectionFor;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/**
 * One view of a series' months, cut to the range (a year counts as its December, a Jan-Feb
 * bucket as its February). The API and the CLI both read through here.
 */
export function seriesView(all: readonly Observation[], view: SeriesViewName, range: ViewRequest): SeriesView {
  const inRange = (period: string) => (!range.from || period >= range.from) && (!range.to || period <= range.to);
  switch (view) {
    case 'monthly':
      return { view, items: all.filter((o) => inRange(o.period)) };
    case 'ytd':
      return { view, items: yearToDateSeries(all).filter((o) => inRange(o.period)) };
    case 'yoy':
      return { view, items: changeOnYear({ series: range.series, observations: all }, range.detectionFor(range.series.reporter)).filter((c) => inRange(c.period)) };
    case 'annual':
      return { view, items: annualTotals(all).filter((t) => inRange(`${t.year}-12`)) };
    case 'unit-value':
      // The measure (per kg, or per unit where the unit is the same throughout) is chosen over the window shown.
      return { view, ...unitValueSeries(all.filter((o) => inRange(o.period))) };
  }
}
