import { describe, expect, it } from 'vitest';
import { backtest, defaultDetectionConfig, detectAcross, partnerSignal, type Anomaly, type SeriesInput } from '../../../shared/domain/detection/index.js';
import { monthIndex } from '../../../shared/domain/detection/monthly-values.js';
import { partnerMoveAt } from '../../../shared/domain/detection/partner-signal.js';
import { periodRange } from '../../../shared/domain/period.js';
import type { SeriesKey } from '../../../shared/domain/series.js';

/** Issue 13: a move many reporters make to one partner counts as evidence for each of them. */

const REPORTERS = ['AUT', 'BEL', 'CZE', 'DNK', 'ESP', 'FIN', 'FRA', 'ITA', 'LTU', 'NLD', 'POL', 'SWE'];
const key = (reporter: string, partner = 'KGZ'): SeriesKey => ({ source: 'csv', reporter, partner, flow: 'export', commodity: 'TOTAL', currency: 'EUR' });
const config = () => defaultDetectionConfig;

/** A lumpy series of about 5 m a month: deterministic noise of +-50 % (log), times `shape`. */
function lumpy(reporter: string, shape: (period: string) => number, from = '2016-01', to = '2022-08') {
  let seed = [...reporter].reduce((a, c) => a * 31 + c.charCodeAt(0), 7);
  const noise = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 4294967296 - 0.5;
  };
  return periodRange(from, to).map((period) => ({ period, value: 5e6 * Math.exp(NOISE * noise()) * shape(period), state: 'published' as const }));
}

/** From 2022-06 every reporter's exports to the partner run at twice their level. */
const surge = (p: string) => (p >= '2022-06' ? SURGE : 1);
const NOISE = 1;
const SURGE = 2;
const inputsWith = (shapeOf: (reporter: string) => (p: string) => number, partner = 'KGZ'): SeriesInput[] =>
  REPORTERS.map((reporter) => ({ series: key(reporter, partner), observations: lumpy(reporter, shapeOf(reporter)) }));
const upIn = (anomalies: readonly Anomaly[], id: string) =>
  anomalies.filter((a) => a.seriesId === id && a.direction === 'up' && a.period >= '2022-06');

describe('a partner-wide move', () => {
  const inputs = inputsWith(() => surge);
  const signal = partnerSignal(inputs, config);
  const own = (reporter: string) => inputs.filter((i) => i.series.reporter === reporter);

  it('counts, per partner and month, the other reporters series that moved beyond their bounds, the series itself left out', () => {
    const july = monthIndex('2022-07');
    const months = defaultDetectionConfig.partnerMonths;
    const all = partnerMoveAt(signal, key('XXX'), 'not-in-the-signal', july, 1, months)!;
    expect(all.scored).toBe(REPORTERS.length * months);
    expect(all.moving).toBeGreaterThanOrEqual(defaultDetectionConfig.partnerShare * all.scored);
    const aut = partnerMoveAt(signal, key('AUT'), 'csv.AUT.KGZ.export.TOTAL.EUR', july, 1, months)!;
    expect(aut.scored).toBe((REPORTERS.length - 1) * months);
    expect(partnerMoveAt(signal, key('AUT'), 'csv.AUT.KGZ.export.TOTAL.EUR', july, -1, months)!.moving).toBe(0);
    // Another partner is another signal.
    expect(partnerMoveAt(signal, key('AUT', 'ARM'), 'csv.AUT.ARM.export.TOTAL.EUR', july, 1, months)).toBeUndefined();
  });

  it('calls a lumpy series whose own doubling is under the alert bar, naming the move, only when given the signal', () => {
    // Every series seen one reporter at a time, as a live run does: the surge is too small for most of them.
    const alone = REPORTERS.filter((r) => upIn(detectAcross(own(r), defaultDetectionConfig).anomalies, `csv.${r}.KGZ.export.TOTAL.EUR`).length > 0);
    const withSignal = REPORTERS.filter(
      (r) => upIn(detectAcross(own(r), defaultDetectionConfig, {}, { partnerSignal: signal }).anomalies, `csv.${r}.KGZ.export.TOTAL.EUR`).length > 0,
    );
    expect(alone.length).toBeLessThan(REPORTERS.length / 2);
    expect(withSignal.length).toBeGreaterThanOrEqual(alone.length + 3);
    const gained = withSignal.find((r) => !alone.includes(r))!;
    const [first] = upIn(detectAcross(own(gained), defaultDetectionConfig, {}, { partnerSignal: signal }).anomalies, `csv.${gained}.KGZ.export.TOTAL.EUR`);
    expect(first!.explanation.rule).toBe('partner-wide');
    expect(Math.abs(first!.explanation.z)).toBeLessThan(defaultDetectionConfig.zThreshold);
    expect(first!.explanation.partnerMove!.moving / first!.explanation.partnerMove!.scored).toBeGreaterThanOrEqual(defaultDetectionConfig.partnerShare);
    expect(first!.explanation.caveats.join(' ')).toMatch(/partner-wide move: opened in 2022-0\d when \d of \d+ other reporters' series to KGZ rose/);
  });

  it('calls nothing more where the other reporters stay flat', () => {
    // Only AUT doubles; the others carry on as before.
    const lone = inputsWith((r) => (r === 'AUT' ? surge : () => 1));
    const flat = partnerSignal(lone, config);
    const aut = lone.filter((i) => i.series.reporter === 'AUT');
    expect(detectAcross(aut, defaultDetectionConfig, {}, { partnerSignal: flat }).anomalies).toEqual(detectAcross(aut, defaultDetectionConfig).anomalies);
  });

  it('does not count a rebound from a trough a year earlier as a move: against two years earlier it is ordinary', () => {
    // Every reporter's exports halve through 2021 and come back in 2022: y/y doubles, two-year flat.
    const rebound = inputsWith(() => (p) => (p.startsWith('2021') ? 0.45 : 1));
    const signalOfRebound = partnerSignal(rebound, config);
    const { moving, scored } = partnerMoveAt(signalOfRebound, key('XXX'), 'none', monthIndex('2022-03'), 1, 3)!;
    expect(moving).toBeLessThan(defaultDetectionConfig.partnerShare * scored);
    // The same doubling after an ordinary year is one.
    const fresh = partnerMoveAt(signal, key('XXX'), 'none', monthIndex('2022-07'), 1, 2)!;
    expect(fresh.moving).toBeGreaterThanOrEqual(defaultDetectionConfig.partnerShare * fresh.scored);
  });

  it('is built by the backtest over every reporter it replays', () => {
    const summary = backtest(inputs, config);
    const partnerWide = summary.fired.filter((a) => a.explanation.rule === 'partner-wide');
    expect(partnerWide.length).toBeGreaterThan(0);
    expect(partnerWide.every((a) => a.direction === 'up' && a.period >= '2022-06')).toBe(true);
  });
  it('judges a month only once every peer that reported the month before has reported it: the call does not depend on who came first', () => {
    const july = monthIndex('2022-07');
    const months = defaultDetectionConfig.partnerMonths;
    // A live run of AUT while only AUT and BEL have July in: the others stop at June.
    const partial = inputs.map((i) => (['AUT', 'BEL'].includes(i.series.reporter) ? i : { ...i, observations: i.observations.filter((o) => o.period <= '2022-06') }));
    const early = partnerSignal(partial, config);
    expect(partnerMoveAt(early, key('AUT'), 'csv.AUT.KGZ.export.TOTAL.EUR', july, 1, months)).toBeUndefined();
    // June is complete for everyone: judged as before.
    const june = monthIndex('2022-06');
    expect(partnerMoveAt(early, key('AUT'), 'csv.AUT.KGZ.export.TOTAL.EUR', june, 1, months)).toEqual(partnerMoveAt(signal, key('AUT'), 'csv.AUT.KGZ.export.TOTAL.EUR', june, 1, months));
    // So AUT's July is called by the run that completes July, never on the share of the first two in.
    const aut = own('AUT');
    const julyCalls = (s: typeof signal) => upIn(detectAcross(aut, defaultDetectionConfig, {}, { partnerSignal: s }).anomalies, 'csv.AUT.KGZ.export.TOTAL.EUR').filter((a) => a.eventStart === '2022-07' && a.explanation.rule === 'partner-wide');
    expect(julyCalls(early)).toEqual([]);
  });
});
