/** How amounts and changes are written wherever a person reads them. */

/** `US$0.52bn`, `US$284m`, `US$12.3k`: currency first, so an alert never hides which one. */
export function formatMoney(value: number, currency: string): string {
  const symbol = currency === 'USD' ? 'US$' : `${currency} `;
  const magnitude = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  if (magnitude >= 1e9) return `${sign}${symbol}${(magnitude / 1e9).toFixed(2)}bn`;
  if (magnitude >= 1e6) return `${sign}${symbol}${(magnitude / 1e6).toFixed(magnitude >= 1e8 ? 0 : 1)}m`;
  if (magnitude >= 1e3) return `${sign}${symbol}${(magnitude / 1e3).toFixed(1)}k`;
  return `${sign}${symbol}${magnitude.toFixed(0)}`;
}

/** `+83%`, `-4.6%`: one decimal below 10 %, none above. */
export function formatChange(change: number): string {
  const pct = change * 100;
  const digits = Math.abs(pct) < 10 ? 1 : 0;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(digits)}%`;
}
