/**
 * `npm run cost`: monthly US$ for the default watchlist and for a global HS2 watchlist, itemised
 * by service, computed from the code's own request counts (see cost-model.ts for every price and
 * assumption).
 */
import rows from '../../shared/domain/reference/countries.json' with { type: 'json' };
import { DEFAULT_WATCHLIST, type Watchlist } from '../../shared/plan/watchlist.js';
import { everyPartnerOf, monthlyCost, type CostLine } from './cost-model.js';
import { stackAlarmCount } from './stack-alarms.js';

const ALARMS = stackAlarmCount();
const countries = (rows as [number, string, string, string][]).map(([, , iso3]) => iso3);
const REPORTERS = 150; // reporters that publish monthly data to UN Comtrade, roughly

const global: Pick<Watchlist, 'entries' | 'monthsBack'> = {
  monthsBack: 24,
  entries: countries.slice(0, REPORTERS).map((reporter) => ({ reporter, partners: everyPartnerOf(reporter, countries), flows: ['export', 'import'], commodity: 'AG2' })),
};

function print(title: string, lines: CostLine[]): void {
  const total = lines.reduce((sum, l) => sum + l.usd, 0);
  console.log(`${title}: about US$${total.toFixed(2)} a month`);
  for (const line of lines) console.log(`  ${line.service.padEnd(22)} US$${line.usd.toFixed(2).padStart(9)}  ${line.what}`);
  console.log('');
}

print('Default watchlist (China x 9 partners, total trade, 24 trailing months)', monthlyCost(DEFAULT_WATCHLIST, ALARMS));
print(`Global HS2 watchlist (${REPORTERS} reporters x every partner x 97 HS chapters)`, monthlyCost(global, ALARMS));
console.log('List prices for us-east-1; free tiers not deducted. Upstream: a free UN Comtrade key allows about 500 calls a day,');
console.log('so the global watchlist needs a premium key or several days per monthly refresh.');
