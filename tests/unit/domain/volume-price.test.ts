import { describe, expect, it } from 'vitest';
import { renderAlert } from '../../../shared/domain/alerts/alert-text.js';
import { sumSeries } from '../../../shared/domain/derived.js';
import { defaultDetectionConfig, detectAnomalies } from '../../../shared/domain/detection/index.js';
import { explainVolumePrice, IMPLAUSIBLE_UNIT_VALUE_FACTOR } from '../../../shared/domain/detection/volume-price.js';
import { periodRange } from '../../../shared/domain/period.js';
import { sumQuantities, type Quantities } from '../../../shared/domain/quantities.js';
import type { Observation, SeriesKey } from '../../../shared/domain/series.js';
import { turnover } from '../../../shared/domain/turnover.js';

const kg = (amount: number, estimated = false): Quantities => ({ netWeight: { kg: amount, estimated } });
const month = (period: string, value: number, quantities?: Quantities): Observation => ({ period, value, state: 'published', ...(quantities ? { quantities } : {}) });

/** Steady months at US$100m and 50,000 t (US$2/kg), 2019-01 to 2024-03, each overridden where given. */
function steady(overrides: Record<string, Partial<Observation>> = {}): Observation[] {
  return periodRange('2019-01', '2024-03').map((period, i) => {
    const wobble = 1 + 0.01 * Math.sin(i * 1.7);
    const years = Number(period.slice(0, 4)) - 2019;
    const value = 100e6 * 1.05 ** years * wobble;
    return { ...month(period, value, kg(value / 2)), ...overrides[period] };
  });
}

describe('the volume and unit-value split of a change', () => {
  it('splits the log change exactly: volume +20 %, unit value +52.5 %, mostly price', () => {
    const observations = [month('2023-03', 100e6, kg(50e6)), month('2024-03', 183e6, kg(60e6))];
    const { split, caveats } = explainVolumePrice(observations, ['2024-03'], ['2023-03'], 'USD');
    expect(caveats).toEqual([]);
    expect(split).toMatchObject({ measure: 'net weight', unit: 'kg', volume: 60e6, previousVolume: 50e6, unitValue: 183e6 / 60e6, previousUnitValue: 2, driver: 'price', estimatedMonths: [] });
    expect(split!.volumeChange).toBeCloseTo(0.2, 12);
    expect(split!.unitValueChange).toBeCloseTo(1.83 / 1.2 - 1, 12);
    expect((1 + split!.volumeChange) * (1 + split!.unitValueChange)).toBeCloseTo(1.83, 12);
    expect(split!.volumeShare).toBeCloseTo(Math.log(1.2) / Math.log(1.83), 12);
  });

  it('calls a move mostly volume, mostly price or both by the share of the log change, whatever the sign', () => {
    const driver = (valueFactor: number, weightFactor: number) =>
      explainVolumePrice([month('2023-03', 100, kg(100)), month('2024-03', 100 * valueFactor, kg(100 * weightFactor))], ['2024-03'], ['2023-03'], 'USD').split!.driver;
    expect(driver(2, 1.9)).toBe('volume');
    expect(driver(2, 2.4)).toBe('volume'); // more tonnes at a lower price
    expect(driver(2, 1.05)).toBe('price');
    expect(driver(2, 0.9)).toBe('price'); // fewer tonnes at a much higher price
    expect(driver(2, Math.SQRT2)).toBe('both');
    expect(driver(0.5, 0.52)).toBe('volume');
    expect(driver(0.5, 1)).toBe('price');
  });

  it('compares Jan-Feb with Jan-Feb where January is carried by February, and lists estimated weights', () => {
    const observations: Observation[] = [
      { period: '2023-01', value: null, state: 'combined' },
      month('2023-02', 200, kg(100, true)),
      { period: '2024-01', value: null, state: 'combined' },
      month('2024-02', 300, kg(100)),
    ];
    const { split } = explainVolumePrice(observations, ['2024-01', '2024-02'], ['2023-01', '2023-02'], 'USD');
    expect(split).toMatchObject({ volume: 100, previousVolume: 100, volumeChange: 0, driver: 'price', estimatedMonths: ['2023-02'] });
    expect(split!.unitValueChange).toBeCloseTo(0.5, 12);
  });

  it('gives no split when a month of either bucket has no weight, and says which', () => {
    const observations = [month('2023-03', 100, kg(50)), month('2024-03', 183)];
    expect(explainVolumePrice(observations, ['2024-03'], ['2023-03'], 'USD')).toEqual({ caveats: ['no volume and price split: no net weight stored for 2024-03'] });
  });

  it('says nothing of volume for a series with no weights or quantities at all', () => {
    expect(explainVolumePrice([month('2023-03', 100), month('2024-03', 183)], ['2024-03'], ['2023-03'], 'USD')).toEqual({ caveats: [] });
  });

  it('flags a positive value with a weight of zero as implausible, and splits nothing', () => {
    const observations = [month('2023-03', 100, kg(50)), month('2024-03', 183e6, kg(0))];
    const result = explainVolumePrice(observations, ['2024-03'], ['2023-03'], 'USD');
    expect(result.split).toBeUndefined();
    expect(result.caveats).toEqual(['implausible unit value: 2024-03 is worth US$183m with a net weight of 0 kg']);
  });

  it(`flags a unit value more than ${IMPLAUSIBLE_UNIT_VALUE_FACTOR}x off the series' own median, either way`, () => {
    const high = steady({ '2024-03': { quantities: kg(1e5) } });
    const flagged = explainVolumePrice(high, ['2024-03'], ['2023-03'], 'USD');
    expect(flagged.caveats).toHaveLength(1);
    expect(flagged.caveats[0]).toMatch(/^implausible unit value: 2024-03 at US\$1.\dk\/kg is \d+x the series' median of US\$2.00\/kg \(check its net weight\)$/);
    expect(flagged.split).toBeDefined(); // the weight is stored: the split stands, flagged
    const low = explainVolumePrice(steady({ '2023-03': { quantities: kg(1e12) } }), ['2024-03'], ['2023-03'], 'USD');
    expect(low.caveats[0]).toMatch(/^implausible unit value: 2023-03 at US\$0.0001\d+\/kg is 1\/\d+ the series' median/);
    // Within the factor: a unit value 5x the median is not flagged.
    expect(explainVolumePrice(steady({ '2024-03': { quantities: kg(100e6 * 1.05 ** 5 / 10) } }), ['2024-03'], ['2023-03'], 'USD').caveats).toEqual([]);
  });

  it('measures volume by a quantity when there is no weight and the unit is the same in both buckets, never across units', () => {
    const items = (amount: number, unitCode = 5, unit = 'u'): Quantities => ({ quantity: { amount, unitCode, unit, estimated: false } });
    const same = explainVolumePrice([month('2023-03', 100, items(10)), month('2024-03', 150, items(10))], ['2024-03'], ['2023-03'], 'USD');
    expect(same.split).toMatchObject({ measure: 'quantity', unit: 'u', volumeChange: 0, driver: 'price' });
    const mixed = explainVolumePrice([month('2023-03', 100, items(10)), month('2024-03', 150, items(10, 7, 'l'))], ['2024-03'], ['2023-03'], 'USD');
    expect(mixed.split).toBeUndefined();
  });
});

describe('an alert on a weighed series', () => {
  const key: SeriesKey = { source: 'comtrade', reporter: 'KAZ', partner: 'CHN', flow: 'export', commodity: 'TOTAL', currency: 'USD' };

  it('says "volume +x %, unit value +y %" in the e-mail and the SMS, from the weights behind both buckets', () => {
    const observations = steady();
    const march2023 = observations.find((o) => o.period === '2023-03')!;
    const jumped = observations.map((o) =>
      o.period === '2024-03' ? { ...o, value: march2023.value! * 1.83, quantities: kg((march2023.quantities!.netWeight!.kg) * 1.2) } : o,
    );
    const [anomaly] = detectAnomalies({ series: key, observations: jumped, evaluateFrom: '2024-03' }, defaultDetectionConfig).anomalies;
    expect(anomaly?.bucketKey).toBe('2024-03');
    const split = anomaly!.explanation.volumePrice!;
    expect(split.volumeChange).toBeCloseTo(0.2, 10);
    expect(split.unitValueChange).toBeCloseTo(1.83 / 1.2 - 1, 10);
    const { email, sms } = renderAlert(anomaly!);
    expect(email).toContain('  Volume and price: volume +20 %, unit value +53 %: mostly price\n');
    expect(email).toMatch(/ {4}net weight \d+\.\dk t \(Mar 2023: \d+\.\dk t\); unit value US\$3\.\d\d\/kg \(Mar 2023: US\$2\.\d\d\/kg\)/);
    expect(sms).toMatch(/ vol \+20% UV \+53% CRITICAL$/);
  });

  it('keeps the e-mail as it was for a series without weights', () => {
    const observations = steady().map(({ quantities: _q, ...o }) => (o.period === '2024-03' ? { ...o, value: o.value! * 1.83 } : o));
    const [anomaly] = detectAnomalies({ series: key, observations, evaluateFrom: '2024-03' }).anomalies;
    expect(anomaly!.explanation.volumePrice).toBeUndefined();
    expect(renderAlert(anomaly!).email).not.toMatch(/Volume and price|unit value/);
  });
});

describe('quantities of derived series', () => {
  it('sums weights into turnover and groups only where every part worth something is weighed', () => {
    const exports = [month('2024-01', 100, kg(10, true)), month('2024-02', 100, kg(10))];
    const imports = [{ period: '2024-01', value: 0, state: 'zero' } as Observation, month('2024-02', 50)];
    expect(turnover(exports, imports)).toEqual([
      { period: '2024-01', value: 100, state: 'published', quantities: { netWeight: { kg: 10, estimated: true } } },
      { period: '2024-02', value: 150, state: 'published' },
    ]);
    expect(sumSeries([exports, [month('2024-01', 1, kg(5)), month('2024-02', 1, kg(5))]]).map((o) => o.quantities)).toEqual([kg(15, true), kg(15)]);
  });

  it('sums quantities only in one unit', () => {
    const q = (amount: number, unitCode: number, unit: string): Quantities => ({ quantity: { amount, unitCode, unit, estimated: false } });
    expect(sumQuantities([{ value: 1, quantities: q(2, 5, 'u') }, { value: 1, quantities: q(3, 5, 'u') }])).toEqual(q(5, 5, 'u'));
    expect(sumQuantities([{ value: 1, quantities: q(2, 5, 'u') }, { value: 1, quantities: q(3, 7, 'l') }])).toBeUndefined();
  });
});
