import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMODITY_LISTS, listCodes } from '../../../shared/domain/commodity-lists.js';
import { commoditySelectionSchema } from '../../../shared/domain/commodity.js';

const CSV = new URL('../../../shared/domain/reference/chpl-2024-02-23.csv', import.meta.url);

describe('named lists of HS codes', () => {
  it('ships the Common High Priority List as published (the CSV kept beside it), with its source and date', () => {
    const rows = readFileSync(CSV, 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('#')).slice(1).map((line) => line.split(','));
    const chpl = COMMODITY_LISTS.get('CHPL')!;
    expect(chpl.codes).toEqual(rows.map(([, hs6]) => hs6));
    expect(chpl.codes).toHaveLength(50);
    expect(chpl.version).toBe('2024-02-23');
    expect(chpl.provenance).toMatch(/US Bureau of Industry and Security with the EU, Japan and the UK; version of 2024-02-23/);
    expect(listCodes('chpl-1')).toEqual(['854231', '854232', '854233', '854239']);
    expect(listCodes('CHPL-4B')).toEqual(rows.filter(([tier]) => tier === '4.B').map(([, hs6]) => hs6));
    expect(listCodes('CHPL-9')).toBeUndefined();
  });

  it('lets a watchlist or --commodity name a list', () => {
    expect(commoditySelectionSchema.parse('chpl-1')).toBe('854231,854232,854233,854239');
    expect(commoditySelectionSchema.parse('CHPL').split(',')).toHaveLength(50);
  });
});
