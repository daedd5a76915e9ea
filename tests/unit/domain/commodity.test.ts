import { describe, expect, it } from 'vitest';
import { commoditySelectionSchema, rowsPerSeriesMonth, selectionCovers, selectionLabel } from '../../../shared/domain/commodity.js';

describe('commodity selections', () => {
  it('reads TOTAL, codes, levels and lists as written by people', () => {
    expect(commoditySelectionSchema.parse('ag2')).toBe('AG2');
    expect(commoditySelectionSchema.parse('8542.31, 8542.32')).toBe('854231,854232');
    expect(commoditySelectionSchema.parse(['85', '8542'])).toBe('85,8542');
    for (const bad of ['AG3', '1', '8542313', 'TOTAL,85', '']) expect(commoditySelectionSchema.safeParse(bad).success).toBe(false);
  });

  it('counts the most rows a partner, flow and month can answer with', () => {
    expect([rowsPerSeriesMonth('TOTAL'), rowsPerSeriesMonth('85'), rowsPerSeriesMonth('AG2'), rowsPerSeriesMonth('AG4'), rowsPerSeriesMonth('AG6'), rowsPerSeriesMonth('85,8542')]).toEqual([1, 1, 97, 1_228, 5_609, 2]);
  });

  it('tells which series a selection covers, so a level watched by the planner covers each of its codes', () => {
    expect(selectionCovers('AG2', '85')).toBe(true);
    expect(selectionCovers('AG2', '8542')).toBe(false);
    expect(selectionCovers('AG2', 'TOTAL')).toBe(false);
    expect(selectionCovers('AG6', '854231')).toBe(true);
    expect(selectionCovers('854231,854232', '854232')).toBe(true);
    expect(selectionCovers('TOTAL', 'TOTAL')).toBe(true);
    expect(selectionCovers('85', '8542')).toBe(false);
  });

  it('names a long list briefly and stably in run keys', () => {
    expect(selectionLabel('TOTAL')).toBe('TOTAL');
    expect(selectionLabel('85,27')).toBe('85+27');
    const label = selectionLabel('854231,854232,854233,854239');
    expect(label).toMatch(/^4codes-[0-9a-z]+$/);
    expect(selectionLabel('854231,854232,854233,854239')).toBe(label);
    expect(selectionLabel('854231,854232,854233,854230')).not.toBe(label);
  });
});
