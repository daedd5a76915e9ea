import * as z from '../zod.js';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** An ISO time: date, hours and minutes, optional seconds and fraction, and a zone (Z or ±hh:mm). */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function realDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A point in time as a person writes it: a calendar date (`2024-04-30`, which must exist: no
 * 2024-02-30 rolling over to March) or an ISO time with its zone. A bare date means the start or
 * the end of that day (UTC), as the caller says: "as of" and "until" a date include the whole day,
 * "since" a date starts with it. Every command and API parameter reads times through here.
 */
export function parseInstant(value: string, day: 'start' | 'end'): Date | string {
  const text = value.trim();
  const date = DAY.exec(text) ?? ISO_TIME.exec(text);
  if (!date) return 'expected a date (YYYY-MM-DD) or an ISO time with a zone (2024-04-30T12:00:00Z)';
  if (!realDate(Number(date[1]), Number(date[2]), Number(date[3]))) return `${text.slice(0, 10)} is not a date in the calendar`;
  const parsed = DAY.test(text) ? new Date(`${text}T${day === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`) : new Date(text);
  return Number.isNaN(parsed.getTime()) ? `"${text}" is not a time` : parsed;
}

/** The same as a zod schema that yields the ISO time (UTC). */
export const instantSchema = (day: 'start' | 'end') =>
  z.pipe(
    z.string(),
    z.transform((value, ctx) => {
      const parsed = parseInstant(value, day);
      if (typeof parsed === 'string') {
        ctx.issues.push({ code: 'custom', input: value, message: parsed });
        return z.NEVER;
      }
      return parsed.toISOString();
    }),
  );
