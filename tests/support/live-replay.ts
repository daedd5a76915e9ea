import { readFileSync } from 'node:fs';
import { runDetectAndAlert } from '../../shared/alerts/alert-job.js';
import type { AlertPublisher } from '../../shared/alerts/sns-publisher.js';
import { seriesFromCsv } from '../../shared/cli/commands/evaluate.js';
import { markAllHandled } from '../../shared/detect/mark-handled.js';
import type { Route } from '../../shared/domain/alerts/routing.js';
import type { Anomaly, DetectionConfig, SeriesInput } from '../../shared/domain/detection/index.js';
import { labelFileSchema, matchesSeries, type Label } from '../../shared/domain/detection/evaluate.js';
import { periodRange, type Period } from '../../shared/domain/period.js';
import type { createStore } from '../../shared/wiring.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/real/${name}`, import.meta.url), 'utf8');

/** The 153 real EU series and their labelled events (tests/fixtures/real). */
export const realEuSeries = () => seriesFromCsv(fixture('eu-exports-2019-2024.csv'));
export const realEuLabels = () => labelFileSchema.parse(JSON.parse(fixture('eu-exports-2019-2024.events.json')));

/** Every reporter's exports to these partners, through `through`. */
export function exportsTo(all: readonly SeriesInput[], partners: readonly string[], through: Period): SeriesInput[] {
  return all
    .filter((s) => s.series.flow === 'export' && partners.includes(s.series.partner))
    .map((s) => ({ ...s, observations: s.observations.filter((o) => o.period <= through) }));
}

/** Per series of the label, the first month an alert its way (not an end) fell in its window: what `evaluate` counts as a call. */
export function firstCalls(anomalies: readonly Anomaly[], label: Label): Map<string, string> {
  const first = new Map<string, string>();
  for (const a of inLabel(anomalies, label)) {
    const known = first.get(a.seriesId);
    if (!known || a.period < known) first.set(a.seriesId, a.period);
  }
  return first;
}

/** The events (sorted keys) of the label's alerts: its series, its direction, in its window, not an end. */
export const eventKeys = (anomalies: readonly Anomaly[], label: Label) => [...new Set(inLabel(anomalies, label).map((a) => a.eventKey))].sort();

const inLabel = (anomalies: readonly Anomaly[], label: Label) =>
  anomalies.filter(
    (a) =>
      label.series.some((p) => matchesSeries(p, a.seriesId)) &&
      (label.direction === 'any' || a.direction === label.direction) &&
      a.phase !== 'ended' &&
      a.period >= label.window.from &&
      a.period <= label.window.to,
  );

export interface LiveReplay {
  readonly store: ReturnType<typeof createStore>;
  readonly publisher: AlertPublisher;
  readonly routes: readonly Route[];
  readonly config: DetectionConfig;
  readonly series: readonly SeriesInput[];
  /** The first month replayed; the months before it are stored as an initial load, handled and never alerted. */
  readonly from: Period;
  readonly to: Period;
  /** The order the reporters' figures arrive in, each month. */
  readonly order: readonly string[];
}

const SEEN_AT = '2024-11-16T00:00:00.000Z';

/**
 * The live path as production runs it: each month, each reporter's figures stored in turn, each
 * followed by that reporter's own detect-and-alert run (a scheduled Comext run's work items).
 * Returns the anomalies the runs called as news.
 */
export async function replayLive(replay: LiveReplay): Promise<Anomaly[]> {
  const { store } = replay;
  const byReporter = new Map<string, SeriesInput[]>();
  for (const s of replay.series) byReporter.set(s.series.reporter, [...(byReporter.get(s.series.reporter) ?? []), s]);
  const save = (s: SeriesInput, months: (period: string) => boolean) =>
    store.series.saveObservations(
      s.series,
      s.observations.filter((o) => months(o.period)).map((o) => ({ period: o.period, value: o.value, state: o.state ?? ('published' as const) })),
      SEEN_AT,
    );
  for (const s of replay.series) await save(s, (p) => p < replay.from);
  await markAllHandled(store.series, store.detection, [...byReporter.keys()]);

  const called: Anomaly[] = [];
  for (const month of periodRange(replay.from, replay.to)) {
    for (const reporter of replay.order) {
      for (const s of byReporter.get(reporter) ?? []) await save(s, (p) => p === month);
      const summary = await runDetectAndAlert({
        ...store,
        reporters: [reporter],
        publisher: replay.publisher,
        routes: replay.routes,
        detectionFor: () => replay.config,
        lookbackMonths: 3,
        now: () => new Date(`${month}-25T02:00:00.000Z`),
      });
      if (summary.failed.length > 0) throw new Error(`${reporter} ${month}: ${summary.failed[0]!.error}`);
      called.push(...summary.anomalies);
    }
  }
  return called;
}
