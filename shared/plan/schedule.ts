import * as z from '../zod.js';

/**
 * When the scheduled runs fire: the daily run at `hour:minute` in `timeZone`, the monthly refresh
 * at the same time on `monthlyRefreshDay`. The stack builds its schedules from this, and
 * `tradewatch status` tells the next runs from it.
 */
export const runScheduleSchema = z.object({
  /** Daily run time in `timeZone`: China customs publishes around the 7th-20th of the month. */
  hour: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(23)), 10),
  minute: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(59)), 0),
  timeZone: z._default(
    z.string().check(z.refine((zone) => isTimeZone(zone), 'expected an IANA time zone such as Asia/Shanghai')),
    'Asia/Shanghai',
  ),
  /** Day of the month of the full refresh of the trailing window (revisions without a new release date). */
  monthlyRefreshDay: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(28)), 25),
});
export type RunSchedule = z.infer<typeof runScheduleSchema>;
export const DEFAULT_RUN_SCHEDULE: RunSchedule = { hour: 10, minute: 0, timeZone: 'Asia/Shanghai', monthlyRefreshDay: 25 };

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The next daily run and the next monthly refresh strictly after `now`. */
export function nextScheduledRuns(schedule: RunSchedule, now: Date): { daily: Date; monthlyRefresh: Date } {
  const today = localDate(now, schedule.timeZone);
  let daily: Date | undefined;
  let monthlyRefresh: Date | undefined;
  // The refresh day comes round within 31 days; each candidate day's run time is placed in the zone.
  for (let offset = 0; offset <= 32 && !(daily && monthlyRefresh); offset++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const at = zonedInstant(schedule.timeZone, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), schedule.hour, schedule.minute);
    if (at <= now) continue;
    daily ??= at;
    if (!monthlyRefresh && day.getUTCDate() === schedule.monthlyRefreshDay) monthlyRefresh = at;
  }
  return { daily: daily!, monthlyRefresh: monthlyRefresh! };
}

function localDate(instant: Date, timeZone: string): { year: number; month: number; day: number } {
  const parts = wallClock(instant, timeZone);
  return { year: parts.year, month: parts.month, day: parts.day };
}

/** The wall-clock fields `instant` shows in `timeZone`, from the platform's time zone data. */
function wallClock(instant: Date, timeZone: string) {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
  const field = (type: string) => Number(format.formatToParts(instant).find((part) => part.type === type)!.value);
  return { year: field('year'), month: field('month'), day: field('day'), hour: field('hour'), minute: field('minute') };
}

/** The instant a wall-clock time in `timeZone` names (the zone's offset read at that time, checked once more across a DST change). */
function zonedInstant(timeZone: string, year: number, month: number, day: number, hour: number, minute: number): Date {
  const wanted = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const shown = wallClock(new Date(guess), timeZone);
    guess += wanted - Date.UTC(shown.year, shown.month - 1, shown.day, shown.hour, shown.minute);
  }
  return new Date(guess);
}
