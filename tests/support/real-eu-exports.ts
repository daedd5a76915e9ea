import { readFileSync } from 'node:fs';
import type { ComextFigure } from '../../shared/local/comext-server.js';

/** The project's copy of real Comext figures (EU exports, 2019-01..2024-08, in euros; `EUU` the EU27): see tests/fixtures/real/README.md. */
const FILE = new URL('../fixtures/real/eu-exports-2019-2024.csv', import.meta.url);

/** One reporter's real monthly exports to a partner, through `through`, as a local Comext server serves them. */
export function realEuExports(reporter: string, partner: string, through = '2024-08'): ComextFigure[] {
  const [header, ...lines] = readFileSync(FILE, 'utf8').trim().split(/\r?\n/);
  if (header !== 'reporter,partner,flow,period,value,currency,unit') throw new Error(`unexpected header in ${FILE.pathname}: ${header}`);
  return lines
    .map((line) => line.split(','))
    .filter(([r, p, flow, period]) => r === reporter && p === partner && flow === 'export' && period! <= through)
    .map(([, , , period, value]) => ({ reporter, partner, flow: 'export' as const, period: period!, value: Number(value) }));
}
