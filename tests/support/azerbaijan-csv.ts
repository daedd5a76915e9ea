import type { AlertPayload } from '../../shared/domain/alerts/alert-message.js';
import { demoSeries } from './demo-series.js';

/**
 * China's exports to and imports from Azerbaijan, 2021-01..2024-02, as China customs publishes
 * them (January and February as one value), in the import CSV format: the demo's figures, with
 * Jan–Feb 2024 trade +83 % on a year earlier.
 */
export function azerbaijanCsv(): string {
  const lines = ['reporter,partner,flow,period,value,currency,unit'];
  for (const flow of ['export', 'import'] as const) {
    for (const o of demoSeries('AZE', flow).observations) {
      if (o.state === 'combined') continue;
      const period = o.period.endsWith('-02') && demoSeries('AZE', flow).observations.some((m) => m.period === `${o.period.slice(0, 4)}-01` && m.state === 'combined') ? `${o.period.slice(0, 4)}-01..02` : o.period;
      lines.push(`CHN,AZE,${flow},${period},${o.value},USD,one`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The CSV series whose Jan–Feb 2024 jump is the alert: China–Azerbaijan trade turnover. */
export const AZERBAIJAN_TRADE = 'csv.CHN.AZE.trade.TOTAL.USD';

/** The alerts a route received, by dedup key (a digest counts for each alert it lists). */
export function alertKeys(messages: readonly AlertPayload[]): string[] {
  return messages.flatMap((m) => (m.kind === 'tradewatch.digest' ? m.dedupKeys : [m.dedupKey]));
}
