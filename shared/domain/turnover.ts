import { comparableValue, type Observation } from './series.js';

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
    result.push({ period: exported.period, value: total, state: total === 0 ? 'zero' : 'published' });
  }
  return result.sort((a, b) => a.period.localeCompare(b.period));
}
