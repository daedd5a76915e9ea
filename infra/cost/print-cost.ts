/**
 * `npm run cost`: monthly US$ for the default watchlist and for a global HS2 watchlist, itemised
 * by service, computed from the code's own request counts (see cost-model.ts for every price and
 * assumption).
 */
import { DEFAULT_WATCHLIST, watchlistSchema, type Watchlist } from '../../shared/plan/watchlist.js';
import { WATCHLIST_PRESETS } from '../../shared/plan/watchlist-presets.js';
import { monthlyCost, type CostLine } from './cost-model.js';
import { stackAlarmCount } from './stack-alarms.js';

const ALARMS = stackAlarmCount();
const REPORTERS = 150; // reporters that publish monthly data to UN Comtrade, roughly

// The README's global watchlist, read by the same schema the functions use, so only a plan that runs is priced.
const everyone = watchlistSchema.parse({ entries: [{ reporter: '*', partners: '*', commodity: 'AG2' }] });
const global: Watchlist = { ...everyone, entries: everyone.entries.slice(0, REPORTERS) };

function print(title: string, lines: CostLine[]): void {
  const total = lines.reduce((sum, l) => sum + l.usd, 0);
  console.log(`${title}: about US$${total.toFixed(2)} a month`);
  for (const line of lines) console.log(`  ${line.service.padEnd(22)} US$${line.usd.toFixed(2).padStart(9)}  ${line.what}`);
  console.log('');
}

print('Default watchlist (China x 9 partners, total trade, 24 trailing months)', monthlyCost(DEFAULT_WATCHLIST, ALARMS));
// The same with "mirror": true: the nine partners' own reports of their trade with China (9 more reporters, each one call a month-chunk).
const mirrored = watchlistSchema.parse({ entries: [{ reporter: 'CHN', partners: DEFAULT_WATCHLIST.entries[0]!.partners, janFebCombined: true, mirror: true }] });
print('Default watchlist with mirrors (the same, plus each partner\'s own report of its trade with China)', monthlyCost(mirrored, ALARMS));
print('CHPL transit preset (EU, US, China, Türkiye, UAE x 11 transit partners x 50 CHPL codes, exports)', monthlyCost(watchlistSchema.parse(WATCHLIST_PRESETS['chpl-transit']), ALARMS));
print(`Global HS2 watchlist (${REPORTERS} reporters x every partner x 97 HS chapters)`, monthlyCost(global, ALARMS));
console.log('List prices for us-east-1; free tiers not deducted. Upstream: a free UN Comtrade key allows about 500 calls a day,');
console.log('so the global watchlist needs a premium key or several days per monthly refresh.');
