import { describe, expect, it } from 'vitest';
import { PageStartOutOfRangeError, sortKeyCondition } from '../../../shared/store/seek-page.js';

describe('the sort-key condition of a page', () => {
  it('reads a first page by the listing bound alone', () => {
    expect(sortKeyCondition(undefined, undefined)).toEqual({ values: {} });
    expect(sortKeyCondition({ beginsWith: 'KAZ#' }, undefined)).toEqual({ expression: 'begins_with(#sk, :prefix)', values: { ':prefix': 'KAZ#' } });
    expect(sortKeyCondition({ atLeast: '2024-03-01' }, undefined)).toEqual({ expression: '#sk >= :atLeast', values: { ':atLeast': '2024-03-01' } });
  });

  it('starts a later page by a range on the sort key, never a start key', () => {
    expect(sortKeyCondition(undefined, 'b')).toEqual({ expression: '#sk > :after', values: { ':after': 'b' } });
    expect(sortKeyCondition({ atLeast: '2024-03-01' }, '2024-03-05#k')).toEqual({ expression: '#sk > :after', values: { ':after': '2024-03-05#k' } });
  });

  it('keeps a prefix and a start together as one range from just after the start to past every key with the prefix', () => {
    const { expression, values } = sortKeyCondition({ beginsWith: 'KAZ#' }, 'KAZ#export#TOTAL');
    expect(expression).toBe('#sk BETWEEN :after AND :prefixEnd');
    const utf8 = (s: string) => Buffer.from(s, 'utf8');
    const from = utf8(values[':after']!);
    const to = utf8(values[':prefixEnd']!);
    // DynamoDB compares strings by their UTF-8 bytes.
    const inRange = (key: string) => Buffer.compare(from, utf8(key)) <= 0 && Buffer.compare(utf8(key), to) <= 0;
    expect(inRange('KAZ#export#TOTAL')).toBe(false);
    expect(inRange('KAZ#export#TOTAL#comtrade')).toBe(true);
    expect(inRange('KAZ#import#27')).toBe(true);
    expect(inRange('KAZ#\u00ff\u4e2d')).toBe(true);
    expect(inRange('KAZ$')).toBe(false);
    expect(inRange('KGZ#export')).toBe(false);
  });

  it('refuses a start outside the listing, which only a forged cursor can give', () => {
    expect(() => sortKeyCondition({ beginsWith: 'KAZ#' }, 'UZB#export')).toThrow(PageStartOutOfRangeError);
    expect(() => sortKeyCondition({ atLeast: '2024-03-01' }, '2024-02-28#k')).toThrow(PageStartOutOfRangeError);
    expect(() => sortKeyCondition(undefined, '')).toThrow(PageStartOutOfRangeError);
  });
});
