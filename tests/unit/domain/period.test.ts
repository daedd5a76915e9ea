import { describe, expect, it } from 'vitest';
import { addMonths, bucketOf, parsePeriod, periodRange, previousYearBucket } from '../../../shared/domain/period.js';

describe('periods', () => {
  it('adds months across year ends, both ways', () => {
    expect(addMonths('2023-11', 3)).toBe('2024-02');
    expect(addMonths('2024-02', -14)).toBe('2022-12');
    expect(addMonths('2024-01', -1)).toBe('2023-12');
  });

  it('lists a range with both ends included', () => {
    expect(periodRange('2023-11', '2024-02')).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
    expect(periodRange('2021-01', '2024-02')).toHaveLength(38);
  });

  it('rejects malformed months with the value in the message', () => {
    expect(() => parsePeriod('2024-13')).toThrow(/"2024-13"/);
    expect(() => parsePeriod('202401')).toThrow(/YYYY-MM/);
  });

  it('merges January and February into one bucket when asked, and only then', () => {
    const merged = bucketOf('2024-02', true);
    expect(merged).toMatchObject({ key: '2024-01..02', label: 'Jan-Feb 2024', months: ['2024-01', '2024-02'] });
    expect(bucketOf('2024-01', true).key).toBe(merged.key);
    expect(bucketOf('2024-02', false)).toMatchObject({ key: '2024-02', label: 'Feb 2024', months: ['2024-02'] });
    expect(bucketOf('2024-03', true)).toMatchObject({ key: '2024-03', months: ['2024-03'] });
  });

  it('finds the same bucket a year earlier', () => {
    expect(previousYearBucket(bucketOf('2024-02', true), true).key).toBe('2023-01..02');
    expect(previousYearBucket(bucketOf('2024-07', true), true).key).toBe('2023-07');
  });
});
