import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../../shared/domain/instant.js';
import { parseAsOf } from '../../../shared/cli/commands/query.js';

describe('a time as a person writes it', () => {
  it('reads a bare date as the start or the end of that day, UTC', () => {
    expect((parseInstant('2024-04-30', 'start') as Date).toISOString()).toBe('2024-04-30T00:00:00.000Z');
    expect((parseInstant('2024-04-30', 'end') as Date).toISOString()).toBe('2024-04-30T23:59:59.999Z');
  });

  it('takes an ISO time with its zone as it is', () => {
    expect((parseInstant('2024-04-30T12:00:00+02:00', 'end') as Date).toISOString()).toBe('2024-04-30T10:00:00.000Z');
  });

  it('refuses dates that are not in the calendar instead of rolling them over', () => {
    expect(parseInstant('2024-02-30', 'end')).toBe('2024-02-30 is not a date in the calendar');
    expect(parseInstant('2023-02-29', 'start')).toBe('2023-02-29 is not a date in the calendar');
    expect(parseInstant('2024-02-29', 'start')).toBeInstanceOf(Date);
    expect(parseInstant('2024-13-01T00:00:00Z', 'start')).toBe('2024-13-01 is not a date in the calendar');
  });

  it('refuses what is not a date or a zoned time', () => {
    for (const text of ['garbage', '2024-4-30', '2024-04-30T12:00', '1714470000']) expect(parseInstant(text, 'start')).toMatch(/^expected a date/);
  });

  it('is what --as-of reads: the end of the day, as the API does', () => {
    expect(parseAsOf('2024-04-30')).toBe('2024-04-30T23:59:59.999Z');
    expect(() => parseAsOf('2024-02-30')).toThrow(/--as-of "2024-02-30": 2024-02-30 is not a date in the calendar/);
  });
});
