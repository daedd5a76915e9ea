import dataSet from './china-neighbours.json' with { type: 'json' };
import { quantitiesField } from '../domain/quantities.js';
import { seriesId, type Observation, type SeriesKey } from '../domain/series.js';
import { withTurnover, type SeriesWithObservations } from '../domain/turnover.js';
import { demoCommodityRecords, demoDataSetSchema, demoPartnerRecords, demoRecords, type DemoDataSet, type DemoRecord } from './demo-data.js';

/** The bundled illustrative data set, validated. */
export function loadDemoDataSet(): DemoDataSet {
  return demoDataSetSchema.parse(dataSet);
}

export function loadDemoFigures() {
  return demoRecords(loadDemoDataSet());
}

/** The partners' own reports of their trade with China (the mirror side), apart from China's figures. */
export function loadDemoPartnerFigures() {
  return demoPartnerRecords(loadDemoDataSet());
}

/** The reporter's illustrative HS6 series (integrated circuits), apart from its totals. */
export function loadDemoCommodityFigures() {
  return demoCommodityRecords(loadDemoDataSet());
}

/** The data set as series inputs, stored flows and their derived trade turnover. */
export function demoSeriesInputs(): SeriesWithObservations[] {
  const figures = loadDemoFigures();
  const byId = new Map<string, { series: SeriesKey; observations: Observation[] }>();
  for (const figure of figures) {
    const series: SeriesKey = { source: 'comtrade', reporter: figure.reporter, partner: figure.partner, flow: figure.flow, commodity: 'TOTAL', currency: 'USD' };
    const id = seriesId(series);
    const entry = byId.get(id) ?? { series, observations: [] };
    const quantities = figure.netWeightKg === undefined ? undefined : { netWeight: { kg: figure.netWeightKg, estimated: false } };
    entry.observations.push({ period: figure.period, value: figure.value, state: 'published', ...quantitiesField(quantities) });
    byId.set(id, entry);
  }
  return withTurnover([...byId.values()]);
}

/** When the bundled data set counts as published, for as-of queries on it. */
export const DEMO_RELEASED_AT = '2024-03-20T00:00:00.000Z';

/**
 * The demo's second release: a month later China revises December 2023 exports to Türkiye (a
 * partner in no default group, so the groups' totals keep their published figures). `npm start`
 * ingests both releases, so `--as-of` and the revisions column have something to show.
 */
export const DEMO_REVISION = { partner: 'TUR', flow: 'export', period: '2023-12', factor: 1.015, releasedAt: '2024-04-20T00:00:00.000Z' } as const;

const isRevised = (figure: Pick<DemoRecord, 'partner' | 'flow' | 'period'>) =>
  figure.partner === DEMO_REVISION.partner && figure.flow === DEMO_REVISION.flow && figure.period === DEMO_REVISION.period;

/** The data set as the second release serves it: the revised month changed, the rest as first published. */
export function loadRevisedDemoFigures(): DemoRecord[] {
  return loadDemoFigures().map((figure) => (isRevised(figure) ? { ...figure, value: Math.round(figure.value * DEMO_REVISION.factor) } : figure));
}

/** The stored flows of the data set as the store holds them after both releases: the revised month with its first vintage kept. */
export function demoObservationLoader() {
  const revised = new Map(loadRevisedDemoFigures().filter(isRevised).map((f) => [seriesId({ source: 'comtrade', reporter: f.reporter, partner: f.partner, flow: f.flow, commodity: 'TOTAL', currency: 'USD' }), f.value]));
  const byId = new Map(
    demoSeriesInputs()
      .filter((input) => input.series.flow !== 'trade')
      .map((input) => {
        const id = seriesId(input.series);
        return [
          id,
          input.observations.map((o) =>
            revised.has(id) && o.period === DEMO_REVISION.period
              ? { ...o, value: revised.get(id)!, firstSeenAt: DEMO_RELEASED_AT, lastChangedAt: DEMO_REVISION.releasedAt, revisions: [{ value: o.value, state: o.state, ...quantitiesField(o.quantities), seenAt: DEMO_RELEASED_AT }] }
              : { ...o, firstSeenAt: DEMO_RELEASED_AT, lastChangedAt: DEMO_RELEASED_AT, revisions: [] },
          ),
        ];
      }),
  );
  for (const figure of [...loadDemoPartnerFigures(), ...loadDemoCommodityFigures()]) {
    const id = seriesId({ source: 'comtrade', reporter: figure.reporter, partner: figure.partner, flow: figure.flow, commodity: figure.cmdCode ?? 'TOTAL', currency: 'USD' });
    byId.set(id, [...(byId.get(id) ?? []), { period: figure.period, value: figure.value, state: 'published' as const, firstSeenAt: DEMO_RELEASED_AT, lastChangedAt: DEMO_RELEASED_AT, revisions: [] }]);
  }
  return async (id: string) => byId.get(id) ?? [];
}
