import { describe, expect, it } from 'vitest';
import { layoutLabels } from '../../../../shared/domain/chart/label-layout.js';

const band = { left: 100, right: 900, lanes: 3, gap: 8 };

describe('anomaly labels laid out in lanes', () => {
  it('centres a label over its point and pushes it inside the band at either edge', () => {
    expect(layoutLabels([{ anchorX: 500, width: 200 }], band).placed).toEqual([{ index: 0, x: 400, lane: 0 }]);
    expect(layoutLabels([{ anchorX: 890, width: 200 }], band).placed).toEqual([{ index: 0, x: 700, lane: 0 }]);
    expect(layoutLabels([{ anchorX: 105, width: 200 }], band).placed).toEqual([{ index: 0, x: 100, lane: 0 }]);
  });

  it('stacks labels that would touch into further lanes, and leaves out what finds no room', () => {
    const crowded = [880, 870, 860, 850, 500].map((anchorX) => ({ anchorX, width: 250 }));
    const { placed, left } = layoutLabels(crowded, band);
    expect(placed.map((p) => p.lane)).toEqual([0, 1, 2, 0]);
    expect(placed.map((p) => p.index)).toEqual([0, 1, 2, 4]);
    expect(left).toEqual([3]);
    for (const a of placed) {
      expect(a.x).toBeGreaterThanOrEqual(band.left);
      expect(a.x + 250).toBeLessThanOrEqual(band.right);
      for (const b of placed) {
        if (a !== b && a.lane === b.lane) expect(a.x + 250 + band.gap <= b.x || b.x + 250 + band.gap <= a.x).toBe(true);
      }
    }
  });

  it('leaves out a label wider than the band rather than clip it', () => {
    expect(layoutLabels([{ anchorX: 500, width: 801 }], band)).toEqual({ placed: [], left: [0] });
  });
});
