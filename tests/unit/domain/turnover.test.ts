import { describe, expect, it } from 'vitest';
import { turnover } from '../../../shared/domain/turnover.js';

describe('trade turnover', () => {
  it('adds exports and imports month by month', () => {
    expect(
      turnover(
        [{ period: '2024-01', value: 100, state: 'published' }],
        [{ period: '2024-01', value: 50, state: 'published' }],
      ),
    ).toEqual([{ period: '2024-01', value: 150, state: 'published' }]);
  });

  it('leaves a month unknown when one side is not released or suppressed, never half the total', () => {
    const result = turnover(
      [
        { period: '2024-01', value: 100, state: 'published' },
        { period: '2024-02', value: null, state: 'suppressed' },
      ],
      [
        { period: '2024-01', value: null, state: 'not-released' },
        { period: '2024-02', value: 10, state: 'published' },
      ],
    );
    expect(result).toEqual([
      { period: '2024-01', value: null, state: 'not-released' },
      { period: '2024-02', value: null, state: 'suppressed' },
    ]);
  });

  it('keeps a true zero as zero', () => {
    expect(
      turnover([{ period: '2024-01', value: 0, state: 'zero' }], [{ period: '2024-01', value: 0, state: 'zero' }]),
    ).toEqual([{ period: '2024-01', value: 0, state: 'zero' }]);
  });
});
