import { loadDemoFigures } from '../../shared/demo/demo-figures.js';
import type { Observation, SeriesKey, StoredFlow } from '../../shared/domain/series.js';
import { turnover } from '../../shared/domain/turnover.js';

/** The demo data set's observations for one partner and flow (or trade turnover). */
export function demoSeries(partner: string, flow: StoredFlow | 'trade'): { key: SeriesKey; observations: Observation[] } {
  const figures = loadDemoFigures();
  const of = (f: StoredFlow): Observation[] =>
    figures
      .filter((r) => r.partner === partner && r.flow === f)
      .map((r) => ({ period: r.period, value: r.value, state: 'published' }));
  const key: SeriesKey = { source: 'comtrade', reporter: 'CHN', partner, flow, commodity: 'TOTAL', currency: 'USD' };
  return { key, observations: flow === 'trade' ? turnover(of('export'), of('import')) : of(flow) };
}

export const DEMO_PARTNERS = ['KAZ', 'KGZ', 'UZB', 'TJK', 'TKM', 'AZE', 'GEO', 'ARM', 'TUR'] as const;
