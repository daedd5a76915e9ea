import dataSet from './china-neighbours.json' with { type: 'json' };
import { seriesId, type Observation, type SeriesKey } from '../domain/series.js';
import { withTurnover, type SeriesWithObservations } from '../domain/turnover.js';
import { demoDataSetSchema, demoRecords, type DemoDataSet } from './demo-data.js';

/** The bundled illustrative data set, validated. */
export function loadDemoDataSet(): DemoDataSet {
  return demoDataSetSchema.parse(dataSet);
}

export function loadDemoFigures() {
  return demoRecords(loadDemoDataSet());
}

/** The data set as series inputs, stored flows and their derived trade turnover. */
export function demoSeriesInputs(): SeriesWithObservations[] {
  const figures = loadDemoFigures();
  const byId = new Map<string, { series: SeriesKey; observations: Observation[] }>();
  for (const figure of figures) {
    const series: SeriesKey = { source: 'comtrade', reporter: figure.reporter, partner: figure.partner, flow: figure.flow, commodity: 'TOTAL', currency: 'USD' };
    const id = seriesId(series);
    const entry = byId.get(id) ?? { series, observations: [] };
    entry.observations.push({ period: figure.period, value: figure.value, state: 'published' });
    byId.set(id, entry);
  }
  return withTurnover([...byId.values()]);
}

/** When the bundled data set counts as published, for as-of queries on it. */
export const DEMO_RELEASED_AT = '2024-03-20T00:00:00.000Z';

/** The stored flows of the data set as the store would hand them out (one vintage each). */
export function demoObservationLoader() {
  const byId = new Map(
    demoSeriesInputs()
      .filter((input) => input.series.flow !== 'trade')
      .map((input) => [
        seriesId(input.series),
        input.observations.map((o) => ({ ...o, firstSeenAt: DEMO_RELEASED_AT, lastChangedAt: DEMO_RELEASED_AT, revisions: [] })),
      ]),
  );
  return async (id: string) => byId.get(id) ?? [];
}
