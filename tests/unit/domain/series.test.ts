import { describe, expect, it } from 'vitest';
import { parseSeriesId, seriesId, type SeriesKey } from '../../../shared/domain/series.js';

describe('series identity', () => {
  const key: SeriesKey = { source: 'comtrade', reporter: 'CHN', partner: 'AZE', flow: 'export', commodity: 'TOTAL', currency: 'USD' };

  it('round-trips through a readable id that includes the source and currency', () => {
    expect(seriesId(key)).toBe('comtrade.CHN.AZE.export.TOTAL.USD');
    expect(parseSeriesId('comtrade.CHN.AZE.export.TOTAL.USD')).toEqual(key);
  });

  it('keeps series from different sources apart', () => {
    expect(seriesId({ ...key, source: 'imf-imts' })).not.toBe(seriesId(key));
  });

  it('says which part of a bad id is wrong', () => {
    expect(() => parseSeriesId('comtrade.CHN.AZE')).toThrow(/expected source\.reporter/);
    expect(() => parseSeriesId('comtrade.CHN.AZE.sideways.TOTAL.USD')).toThrow(/flow/);
    expect(() => parseSeriesId('nowhere.CHN.AZE.export.TOTAL.USD')).toThrow(/source/);
  });
});
