/** How amounts and changes are written wherever a person reads them. */

export interface MoneyUnit {
  readonly divisor: number;
  readonly suffix: string;
}

const MONEY_UNITS: readonly MoneyUnit[] = [
  { divisor: 1e9, suffix: 'bn' },
  { divisor: 1e6, suffix: 'm' },
  { divisor: 1e3, suffix: 'k' },
  { divisor: 1, suffix: '' },
];

/** The unit an amount of this size is written in: bn from a billion, m from a million, k from a thousand. */
export function moneyUnit(magnitude: number): MoneyUnit {
  return MONEY_UNITS.find((unit) => Math.abs(magnitude) >= unit.divisor) ?? MONEY_UNITS[MONEY_UNITS.length - 1]!;
}

function currencySymbol(currency: string): string {
  return currency === 'USD' ? 'US$' : `${currency} `;
}

/** An amount in a given unit and number of decimals: `US$2.5bn`, `-US$40m`; zero is `US$0` in any unit. */
export function formatMoneyIn(value: number, currency: string, unit: MoneyUnit, decimals: number): string {
  if (value === 0) return `${currencySymbol(currency)}0`;
  const sign = value < 0 ? '-' : '';
  return `${sign}${currencySymbol(currency)}${(Math.abs(value) / unit.divisor).toFixed(decimals)}${unit.suffix}`;
}

/** `US$0.52bn`, `US$284m`, `US$12.3k`: currency first, so an alert never hides which one. */
export function formatMoney(value: number, currency: string): string {
  const magnitude = Math.abs(value);
  const unit = moneyUnit(magnitude);
  const decimals = unit.suffix === 'bn' ? 2 : unit.suffix === 'm' ? (magnitude >= 1e8 ? 0 : 1) : unit.suffix === 'k' ? 1 : 0;
  return formatMoneyIn(value, currency, unit, decimals);
}

/** `+83%`, `-4.6%`: one decimal below 10 %, none above. */
export function formatChange(change: number): string {
  const pct = change * 100;
  const digits = Math.abs(pct) < 10 ? 1 : 0;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(digits)}%`;
}

/** A value per kg or per unit, three significant figures: `US$2.35/kg`, `US$41.2k/u`. */
export function formatUnitValue(value: number, currency: string, unit: string): string {
  const money = Math.abs(value) >= 1000 ? formatMoney(value, currency) : formatMoneyIn(value, currency, { divisor: 1, suffix: '' }, Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value) || 1))));
  return `${money}/${unit}`;
}

/** A net weight: `850 kg`, `12.4 t`, `412.0k t`, `1.25m t`. */
export function formatWeight(kg: number): string {
  if (Math.abs(kg) < 1000) return `${Math.round(kg)} kg`;
  const tonnes = kg / 1000;
  if (Math.abs(tonnes) >= 1e6) return `${(tonnes / 1e6).toFixed(2)}m t`;
  if (Math.abs(tonnes) >= 1e3) return `${(tonnes / 1e3).toFixed(1)}k t`;
  return `${tonnes.toFixed(1)} t`;
}

/** A quantity in its own unit: `1.2m u`, `35.0k l`, `120 u`. */
export function formatQuantity(amount: number, unit: string): string {
  const magnitude = Math.abs(amount);
  const text = magnitude >= 1e6 ? `${(amount / 1e6).toFixed(2)}m` : magnitude >= 1e3 ? `${(amount / 1e3).toFixed(1)}k` : `${Math.round(amount)}`;
  return `${text} ${unit}`;
}

/** A CIF/FOB margin as the texts give it: `6 %`, `7.5 %`. */
export function formatMargin(margin: number): string {
  return `${Number((margin * 100).toFixed(1))} %`;
}
