/**
 * Writes countries.json, the compact table the code imports, from UN Comtrade's reference list of
 * reporters (comtrade-reporters.json, as downloaded): only entries still in force, no groups, and
 * only the fields tradewatch reads. Keeps every function bundle about 45 KB lighter.
 *   npx tsx shared/domain/reference/slim-countries.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface ReporterEntry {
  reporterCode: number;
  reporterCodeIsoAlpha2: string;
  reporterCodeIsoAlpha3: string;
  text: string;
  isGroup: boolean;
  entryExpiredDate?: string;
}

const here = new URL('.', import.meta.url);
const source = JSON.parse(readFileSync(new URL('comtrade-reporters.json', here), 'utf8')) as { results: ReporterEntry[] };
const rows = source.results
  .filter((entry) => !entry.entryExpiredDate && !entry.isGroup)
  .map((entry) => [entry.reporterCode, entry.reporterCodeIsoAlpha2, entry.reporterCodeIsoAlpha3, entry.text]);
writeFileSync(new URL('countries.json', here), `${JSON.stringify(rows).replace(/\],\[/g, '],\n[')}\n`);
