import { quantitiesField, sumQuantities } from './quantities.js';
import { comparableValue, seriesId, type Observation, type SeriesKey } from './series.js';

/**
 * Trade turnover (exports + imports) month by month. A month is known only when both flows are:
 * a missing side makes the month unknown, never half the total.
 */
export function turnover(exports: readonly Observation[], imports: readonly Observation[]): Observation[] {
  const importsByPeriod = new Map(imports.map((o) => [o.period, o]));
  const result: Observation[] = [];
  for (const exported of exports) {
    const imported = importsByPeriod.get(exported.period);
    if (!imported) continue;
    const x = comparableValue(exported);
    const m = comparableValue(imported);
    if (x === undefined || m === undefined) {
      const missing = x === undefined ? exported : imported;
      result.push({ period: exported.period, value: null, state: missing.state });
      continue;
    }
    const total = x + m;
    // Tonnes traded both ways: the weight of turnover, where both flows are weighed.
    const quantities = sumQuantities([
      { value: x, quantities: exported.quantities },
      { value: m, quantities: imported.quantities },
    ]);
    result.push({ period: exported.period, value: total, state: total === 0 ? 'zero' : 'published', ...quantitiesField(quantities) });
  }
  return result.sort((a, b) => a.period.localeCompare(b.period));
}

/** A series with its observations, stored or derived. */
export interface SeriesWithObservations<O extends Observation = Observation> {
  readonly series: SeriesKey;
  readonly observations: readonly O[];
}

/**
 * The given series plus, for every partner with both flows from the same source, its trade
 * turnover series (flow `trade`).
 */
export function withTurnover<O extends Observation>(stored: readonly SeriesWithObservations<O>[]): SeriesWithObservations[] {
  const pairs = new Map<string, { export?: SeriesWithObservations<O>; import?: SeriesWithObservations<O> }>();
  for (const entry of stored) {
    if (entry.series.flow === 'trade') continue;
    const pair = seriesId({ ...entry.series, flow: 'trade' });
    pairs.set(pair, { ...pairs.get(pair), [entry.series.flow]: entry });
  }
  const derived: SeriesWithObservations[] = [];
  for (const pair of pairs.values()) {
    if (!pair.export || !pair.import) continue;
    derived.push({ series: { ...pair.export.series, flow: 'trade' }, observations: turnover(pair.export.observations, pair.import.observations) });
  }
  return [...stored, ...derived];
}
