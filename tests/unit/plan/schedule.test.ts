import { describe, expect, it } from 'vitest';
import { nextScheduledRuns, runScheduleSchema } from '../../../shared/plan/schedule.js';

const iso = (runs: { daily: Date; monthlyRefresh: Date }) => ({ daily: runs.daily.toISOString(), monthlyRefresh: runs.monthlyRefresh.toISOString() });

describe('the next scheduled runs', () => {
  it('places the run time in its time zone, strictly after now', () => {
    const shanghai = runScheduleSchema.parse({});
    expect(iso(nextScheduledRuns(shanghai, new Date('2024-03-25T01:59:00Z')))).toEqual({ daily: '2024-03-25T02:00:00.000Z', monthlyRefresh: '2024-03-25T02:00:00.000Z' });
    expect(iso(nextScheduledRuns(shanghai, new Date('2024-03-25T02:00:00Z')))).toEqual({ daily: '2024-03-26T02:00:00.000Z', monthlyRefresh: '2024-04-25T02:00:00.000Z' });
  });

  it('follows daylight saving time where the zone has it', () => {
    const berlin = runScheduleSchema.parse({ hour: 9, minute: 30, timeZone: 'Europe/Berlin', monthlyRefreshDay: 1 });
    // Clocks go forward on 2024-03-31: 09:30 is 08:30 UTC before, 07:30 UTC after.
    expect(iso(nextScheduledRuns(berlin, new Date('2024-03-30T12:00:00Z')))).toEqual({ daily: '2024-03-31T07:30:00.000Z', monthlyRefresh: '2024-04-01T07:30:00.000Z' });
    expect(nextScheduledRuns(berlin, new Date('2024-03-29T12:00:00Z')).daily.toISOString()).toBe('2024-03-30T08:30:00.000Z');
  });

  it('refuses a time zone the platform does not know', () => {
    expect(runScheduleSchema.safeParse({ timeZone: 'Mars/Olympus' }).error?.issues[0]?.message).toBe('expected an IANA time zone such as Asia/Shanghai');
  });
});
