import { demoSeriesInputs } from '../../shared/demo/demo-figures.js';
import { seriesId, type StoredFlow } from '../../shared/domain/series.js';

/** The demo data set's observations for one partner and flow (or trade turnover). */
export function demoSeries(partner: string, flow: StoredFlow | 'trade') {
  const id = seriesId({ source: 'comtrade', reporter: 'CHN', partner, flow, commodity: 'TOTAL', currency: 'USD' });
  const found = demoSeriesInputs().find((input) => seriesId(input.series) === id);
  if (!found) throw new RangeError(`no demo series ${id}`);
  return { key: found.series, observations: found.observations };
}

export const DEMO_PARTNERS = ['KAZ', 'KGZ', 'UZB', 'TJK', 'TKM', 'AZE', 'GEO', 'ARM', 'TUR'] as const;
