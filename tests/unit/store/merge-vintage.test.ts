import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Observation, StoredObservation } from '../../../shared/domain/series.js';
import { observationAsOf } from '../../../shared/domain/vintage.js';
import { mergeVintage } from '../../../shared/store/series-repository.js';

const reading = (value: number | null): Observation => ({ period: '2024-01', value, state: value === null ? 'suppressed' : 'published' });
const day = (d: number) => `2024-03-${String(d).padStart(2, '0')}T00:00:00.000Z`;

/** Applies the readings one after the other, as writers landing in that order would. */
function land(readings: readonly { value: number | null; seenAt: string }[]): StoredObservation | undefined {
  let stored: StoredObservation | undefined;
  for (const { value, seenAt } of readings) stored = mergeVintage(stored, reading(value), seenAt) ?? stored;
  return stored;
}

describe('merging a vintage into a stored month', () => {
  it('makes the later release current and keeps the earlier as a revision, in either order', () => {
    const expected = {
      period: '2024-01',
      value: 150,
      state: 'published',
      firstSeenAt: day(1),
      lastChangedAt: day(2),
      revisions: [{ value: 100, state: 'published', seenAt: day(1) }],
    };
    expect(land([{ value: 100, seenAt: day(1) }, { value: 150, seenAt: day(2) }])).toEqual(expected);
    expect(land([{ value: 150, seenAt: day(2) }, { value: 100, seenAt: day(1) }])).toEqual(expected);
  });

  it('changes nothing for a reading already current, and nothing for the same vintage twice', () => {
    const stored = land([{ value: 100, seenAt: day(1) }])!;
    expect(mergeVintage(stored, reading(100), day(5))).toBeUndefined();
    expect(mergeVintage(stored, reading(100), day(1))).toBeUndefined();
  });

  it('dates a month from the earliest release that had its value', () => {
    expect(land([{ value: 100, seenAt: day(3) }, { value: 100, seenAt: day(1) }])).toMatchObject({ firstSeenAt: day(1), lastChangedAt: day(1), revisions: [] });
  });

  // Writers that each bring a different value. (A release repeating the value already stored
  // leaves no trace, by design: an unchanged release costs no write. So a month republished
  // unchanged by one run while an older release lands from another cannot be ordered.)
  it('ends in one state whatever order different values land in, the latest release (then the larger value) current', () => {
    const vintage = fc.record({ value: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }), seenAt: fc.integer({ min: 1, max: 4 }).map(day) });
    fc.assert(
      fc.property(fc.uniqueArray(vintage, { minLength: 1, maxLength: 6, selector: (v) => v.value }), fc.infiniteStream(fc.nat()), (vintages, randomness) => {
        const shuffled = [...vintages];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = randomness.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const a = land(vintages)!;
        expect(land(shuffled)).toEqual(a);
        const latest = vintages.map((v) => v.seenAt).sort().at(-1)!;
        const atLatest = vintages.filter((v) => v.seenAt === latest).map((v) => v.value);
        const top = atLatest.includes(null) && atLatest.every((v) => v === null) ? null : Math.max(...atLatest.filter((v) => v !== null));
        // The current value is the latest release's, unless an earlier release had it already.
        expect(a.value).toBe(top);
        expect(a.firstSeenAt).toBe(vintages.map((v) => v.seenAt).sort()[0]);
        // Each release answers as of its own time with its own value (or the tie-break winner of that time).
        for (const v of vintages) {
          const sameTime = vintages.filter((w) => w.seenAt === v.seenAt).map((w) => w.value);
          const winner = sameTime.every((x) => x === null) ? null : Math.max(...sameTime.filter((x) => x !== null));
          expect(observationAsOf(a, v.seenAt).value).toBe(winner);
        }
      }),
    );
  });

  describe('with quantities', () => {
    const weighed = (value: number, kg?: number): Observation => ({ ...reading(value), ...(kg === undefined ? {} : { quantities: { netWeight: { kg, estimated: false } } }) });

    it('keeps a change of weight alone as a revision, the earlier weight in it', () => {
      const stored = mergeVintage(undefined, weighed(100, 10), day(1))!;
      expect(mergeVintage(stored, weighed(100, 10), day(2))).toBeUndefined();
      const revised = mergeVintage(stored, weighed(100, 12), day(2))!;
      expect(revised).toEqual({
        period: '2024-01',
        value: 100,
        state: 'published',
        quantities: { netWeight: { kg: 12, estimated: false } },
        firstSeenAt: day(1),
        lastChangedAt: day(2),
        revisions: [{ value: 100, state: 'published', quantities: { netWeight: { kg: 10, estimated: false } }, seenAt: day(1) }],
      });
      expect(observationAsOf(revised, day(1))).toEqual({ period: '2024-01', value: 100, state: 'published', quantities: { netWeight: { kg: 10, estimated: false } } });
      // A month stored before weights were kept gains one as a revision, its vintage without a weight.
      const old = mergeVintage(undefined, weighed(100), day(1))!;
      expect(old).not.toHaveProperty('quantities');
      expect(mergeVintage(old, weighed(100, 10), day(2))!.revisions).toEqual([{ value: 100, state: 'published', seenAt: day(1) }]);
    });

    it('ends in one state whatever order readings that differ only in weight land in', () => {
      const vintage = fc.record({ kg: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }), seenAt: fc.integer({ min: 1, max: 3 }).map(day) });
      fc.assert(
        fc.property(fc.uniqueArray(vintage, { minLength: 1, maxLength: 5, selector: (v) => v.kg }), fc.infiniteStream(fc.nat()), (vintages, randomness) => {
          const apply = (list: typeof vintages) => {
            let stored: StoredObservation | undefined;
            for (const v of list) stored = mergeVintage(stored, weighed(100, v.kg), v.seenAt) ?? stored;
            return stored;
          };
          const shuffled = [...vintages];
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = randomness.next().value % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          expect(apply(shuffled)).toEqual(apply(vintages));
        }),
      );
    });
  });
});
