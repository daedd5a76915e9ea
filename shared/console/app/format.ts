import { formatChange, formatMoneyIn, moneyUnit } from '../../domain/format.js';

export { formatChange };

/** Three significant figures in the amount's own unit: `US$89.3bn`, `US$520m`, `US$5.62bn`. */
export function money(value: number | null | undefined, currency: string): string {
  if (value === null || value === undefined) return '–';
  const unit = moneyUnit(Math.abs(value));
  const scaled = Math.abs(value) / unit.divisor;
  return formatMoneyIn(value, currency, unit, unit.divisor === 1 ? 0 : scaled >= 100 ? 0 : scaled >= 10 ? 1 : 2);
}

/** `2024-03-20 08:04 UTC`. */
export function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function commaList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
