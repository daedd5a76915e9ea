import * as z from '../../zod.js';
import { groupBy } from '../group-by.js';
import { periodSchema, type Period } from '../period.js';
import { seriesId } from '../series.js';
import type { Anomaly, AnomalyType, Gate, HeldBack } from './anomaly.js';
import { backtest } from './backtest.js';
import type { DetectionConfig } from './config.js';
import type { SeriesInput } from './detect.js';
import { monthIndex } from './monthly-values.js';

const labelSchema = z.object({
  id: z.string().check(z.minLength(1)),
  /** `event`: detection must call it; `context`: a known shock, alerts in it are not noise; `base-effect`: alerts in it must name the base. */
  kind: z._default(z.enum(['event', 'context', 'base-effect']), 'event'),
  rule: z.optional(z.string()),
  /** Series ids; `*` stands for any one part (`csv.*.RUS.export.*.*`). */
  series: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  direction: z.enum(['up', 'down', 'any']),
  window: z.object({ from: periodSchema, to: periodSchema }).check(z.refine((w) => w.from <= w.to, { message: 'from is after to' })),
  /** The type the event should have by its second bucket (e.g. LS for a break). */
  expectType: z.optional(z.enum(['AO', 'LS', 'TC'])),
});

/** A file of labelled events: the judge of `tradewatch evaluate`. */
export const labelFileSchema = z.object({
  dataSet: z.optional(z.string()),
  description: z.optional(z.string()),
  provenance: z.optional(z.array(z.string())),
  kinds: z.optional(z.record(z.string(), z.string())),
  events: z.array(labelSchema),
});
export type LabelFile = z.infer<typeof labelFileSchema>;
export type Label = z.infer<typeof labelSchema>;

/** One labelled series in one event: was it called, how late, as what. */
export interface EventOutcome {
  readonly label: string;
  readonly seriesId: string;
  readonly direction: 'up' | 'down';
  readonly window: { readonly from: Period; readonly to: Period };
  readonly hit: boolean;
  readonly firstAlert?: Period;
  /** Months from the window's start to the first alert (0: called in the first month). */
  readonly lagMonths?: number;
  /** The alert's event type by its second bucket. */
  readonly type?: AnomalyType;
  readonly typeAsExpected?: boolean;
  /** Gates that held this series back inside the window (why a miss was missed). */
  readonly heldBackBy: readonly Gate[];
}

export interface LabelSummary {
  readonly id: string;
  readonly series: number;
  readonly hits: number;
  readonly recall: number;
  /** Hits whose type was the expected one, where the label expects one. */
  readonly typedAsExpected?: number;
  readonly meanLagMonths?: number;
  readonly maxLagMonths?: number;
}

export interface BaseEffectSummary {
  readonly id: string;
  readonly alerts: number;
  /** Alerts whose explanation names the base (a structured baseEffect). */
  readonly namingBase: number;
  /** Critical alerts that rest on the base alone: should be none. */
  readonly criticalOnBaseOnly: number;
  readonly critical: number;
}

export interface NoiseSummary {
  /** Events (an ongoing event counted once) with no bucket inside a labelled window of their series and direction. */
  readonly eventsOutside: number;
  readonly seriesYearsOutside: number;
  readonly perSeriesYearOutside: number;
  readonly events: number;
  readonly seriesYears: number;
  readonly perSeriesYear: number;
  readonly outside: readonly { readonly seriesId: string; readonly eventStart: string; readonly direction: string; readonly type: AnomalyType; readonly severity: string }[];
}

export interface Evaluation {
  readonly outcomes: readonly EventOutcome[];
  readonly labels: readonly LabelSummary[];
  readonly baseEffects: readonly BaseEffectSummary[];
  readonly noise: NoiseSummary;
  readonly alerts: number;
  readonly heldBack: { readonly total: number; readonly byGate: Readonly<Partial<Record<Gate, number>>>; readonly inEventWindows: readonly HeldBack[] };
}

/** `csv.*.RUS.export.*.*` matches every reporter's exports to Russia. */
export function matchesSeries(pattern: string, id: string): boolean {
  if (!pattern.includes('*')) return pattern === id;
  const p = pattern.split('.');
  const parts = id.split('.');
  return p.length === parts.length && p.every((part, i) => part === '*' || part === parts[i]);
}

const inWindow = (period: Period, label: Label) => period >= label.window.from && period <= label.window.to;
const directionFits = (direction: string, label: Label) => label.direction === 'any' || label.direction === direction;

/**
 * Replays the series as live runs would have seen them (the backtest) and judges what fired against
 * labelled events: recall and lag per event, base effects named, and alerts outside every label
 * per series-year, an event (one dedup key) counted once however many months it lasts.
 */
export function evaluate(inputs: readonly SeriesInput[], labels: LabelFile, config: DetectionConfig): Evaluation {
  const summary = backtest(inputs, () => config);
  const alerts = summary.fired.filter((a) => a.phase !== 'ended');
  const bySeries = groupBy(alerts, (a) => a.seriesId);
  const byEvent = groupBy(alerts, (a) => a.eventKey);
  const ids = inputs.map((i) => seriesId(i.series));
  const labelsOf = new Map(ids.map((id) => [id, labels.events.filter((l) => l.series.some((p) => matchesSeries(p, id)))]));

  const outcomes: EventOutcome[] = [];
  for (const label of labels.events.filter((l) => l.kind === 'event')) {
    for (const id of ids.filter((i) => label.series.some((p) => matchesSeries(p, i)))) {
      const first = (bySeries.get(id) ?? []).find((a) => inWindow(a.period, label) && directionFits(a.direction, label));
      const heldBackBy = [...new Set(summary.heldBack.filter((h) => h.seriesId === id && inWindow(h.bucketKey.slice(0, 7), label)).map((h) => h.gate))];
      const base = { label: label.id, seriesId: id, direction: label.direction === 'down' ? ('down' as const) : ('up' as const), window: label.window, heldBackBy };
      if (!first) {
        outcomes.push({ ...base, hit: false });
        continue;
      }
      const type = typeBySecondBucket(byEvent.get(first.eventKey)!);
      outcomes.push({
        ...base,
        hit: true,
        firstAlert: first.period,
        lagMonths: Math.max(0, monthIndex(first.period) - monthIndex(label.window.from)),
        type,
        ...(label.expectType ? { typeAsExpected: type === label.expectType } : {}),
      });
    }
  }

  return {
    outcomes,
    labels: summarizeLabels(labels, outcomes),
    baseEffects: labels.events.filter((l) => l.kind === 'base-effect').map((label) => baseEffectSummary(label, alerts)),
    noise: noise(inputs, byEvent, labelsOf, config),
    alerts: alerts.length,
    heldBack: {
      total: summary.heldBack.length,
      byGate: summary.heldBackByGate,
      inEventWindows: summary.heldBack.filter((h) => (labelsOf.get(h.seriesId) ?? []).some((l) => l.kind === 'event' && inWindow(h.bucketKey.slice(0, 7), l))),
    },
  };
}

/** A break is typed once it has lasted: the type its second bucket carried (or its first, if it had one only). */
function typeBySecondBucket(records: readonly Anomaly[]): AnomalyType {
  return records.slice(0, 2).some((r) => r.type === 'LS') ? 'LS' : (records[1] ?? records[0]!).type;
}

function summarizeLabels(labels: LabelFile, outcomes: readonly EventOutcome[]): LabelSummary[] {
  return labels.events
    .filter((l) => l.kind === 'event')
    .map((label) => {
      const mine = outcomes.filter((o) => o.label === label.id);
      const hits = mine.filter((o) => o.hit);
      const lags = hits.map((o) => o.lagMonths!);
      return {
        id: label.id,
        series: mine.length,
        hits: hits.length,
        recall: mine.length > 0 ? hits.length / mine.length : 0,
        ...(label.expectType ? { typedAsExpected: hits.filter((o) => o.typeAsExpected).length } : {}),
        ...(lags.length > 0 ? { meanLagMonths: lags.reduce((a, b) => a + b, 0) / lags.length, maxLagMonths: Math.max(...lags) } : {}),
      };
    });
}

function baseEffectSummary(label: Label, alerts: readonly Anomaly[]): BaseEffectSummary {
  const inside = alerts.filter((a) => inWindow(a.period, label) && directionFits(a.direction, label) && label.series.some((p) => matchesSeries(p, a.seriesId)));
  return {
    id: label.id,
    alerts: inside.length,
    namingBase: inside.filter((a) => a.explanation.baseEffect).length,
    criticalOnBaseOnly: inside.filter((a) => a.severity === 'critical' && a.explanation.baseEffect?.onlyBase).length,
    critical: inside.filter((a) => a.severity === 'critical').length,
  };
}

function noise(
  inputs: readonly SeriesInput[],
  byEvent: ReadonlyMap<string, readonly Anomaly[]>,
  labelsOf: ReadonlyMap<string, readonly Label[]>,
  config: DetectionConfig,
): NoiseSummary {
  const outside = [...byEvent.values()].filter((records) => {
    const mine = labelsOf.get(records[0]!.seriesId) ?? [];
    return !records.some((r) => mine.some((l) => inWindow(r.period, l) && directionFits(r.direction, l)));
  });
  let seriesYears = 0;
  let seriesYearsOutside = 0;
  for (const input of inputs) {
    const mine = labelsOf.get(seriesId(input.series)) ?? [];
    const months = input.observations.map((o) => o.period).sort();
    if (months.length === 0) continue;
    const firstScored = monthIndex(months[0]!) + 12 + config.minOwnHistoryMonths;
    for (const period of months) {
      if (monthIndex(period) < firstScored) continue;
      seriesYears += 1 / 12;
      if (!mine.some((l) => inWindow(period, l))) seriesYearsOutside += 1 / 12;
    }
  }
  return {
    eventsOutside: outside.length,
    seriesYearsOutside,
    perSeriesYearOutside: seriesYearsOutside > 0 ? outside.length / seriesYearsOutside : 0,
    events: byEvent.size,
    seriesYears,
    perSeriesYear: seriesYears > 0 ? byEvent.size / seriesYears : 0,
    outside: outside.map((records) => {
      const first = records[0]!;
      return { seriesId: first.seriesId, eventStart: first.eventStart, direction: first.direction, type: first.type, severity: first.severity };
    }),
  };
}
