import { describe, expect, it } from 'vitest';
import { renderEmail } from '../../../../shared/domain/alerts/alert-text.js';
import { notifiedOf, revisionChangesNumbers, revisionNotifies, updateReason, withSplitAsSent } from '../../../../shared/domain/alerts/renotify.js';
import { detectAnomalies, type Anomaly } from '../../../../shared/domain/detection/index.js';
import { demoSeries } from '../../../support/demo-series.js';

const { key, observations } = demoSeries('AZE', 'trade');
const anomaly: Anomaly = detectAnomalies({ series: key, observations }).anomalies[0]!;
const told = notifiedOf(anomaly, new Date('2024-03-20T08:00:00Z'));

describe('when a changed alert is sent again', () => {
  it('stays quiet for the same numbers, and updates the record quietly for new numbers of the same standing', () => {
    expect(revisionChangesNumbers(anomaly, { ...anomaly })).toBe(false);
    const revised = { ...anomaly, explanation: { ...anomaly.explanation, value: anomaly.explanation.value * 1.01 } };
    expect(revisionChangesNumbers(anomaly, revised)).toBe(true);
    expect(revisionNotifies(told, revised)).toBe(false);
  });

  it('tells subscribers when severity or direction changes, when the event becomes a level shift, and when it ends', () => {
    expect(revisionNotifies(told, { ...anomaly, severity: 'warning' })).toBe(true);
    expect(revisionNotifies(told, { ...anomaly, direction: anomaly.direction === 'up' ? 'down' : 'up' })).toBe(true);
    expect(revisionNotifies({ ...told, type: 'AO' }, { ...anomaly, type: 'LS' })).toBe(true);
    expect(revisionNotifies({ ...told, phase: 'continuing' }, { ...anomaly, phase: 'ended' })).toBe(true);
    // Another month of the same standing: the record follows it, quietly.
    expect(revisionNotifies({ ...told, phase: 'new' }, { ...anomaly, period: '2024-03', phase: 'continuing' })).toBe(false);
  });

  it('calls an update a revision for the same month, and the event moving on for a later one', () => {
    expect(updateReason(told, anomaly)).toBe('revision');
    expect(updateReason(told, { ...anomaly, period: '2024-04' })).toBe('event');
  });

  describe('a weight revised alone', () => {
    // February 2024's weight revised up by a fifth, its value unchanged: more volume, a lower unit value.
    const reweighed = observations.map((o) =>
      o.period === '2024-02' && o.quantities?.netWeight ? { ...o, quantities: { ...o.quantities, netWeight: { ...o.quantities.netWeight, kg: Math.round(o.quantities.netWeight.kg * 1.2) } } } : o,
    );
    const revised = detectAnomalies({ series: key, observations: reweighed }).anomalies.find((a) => a.dedupKey === anomaly.dedupKey)!;

    it('changes the stored numbers (the split) without telling subscribers again', () => {
      expect(revised.explanation.value).toBe(anomaly.explanation.value);
      expect(revised.explanation.volumePrice!.volumeChange).toBeGreaterThan(anomaly.explanation.volumePrice!.volumeChange);
      expect(revisionChangesNumbers(anomaly, revised)).toBe(true);
      expect(revisionNotifies(told, revised)).toBe(false);
    });

    it('keeps the split as sent beside the current one, and the explanation says it changed', () => {
      const stored = withSplitAsSent(anomaly, revised);
      expect(stored.explanation.volumePrice).toEqual(revised.explanation.volumePrice);
      expect(stored.explanation.volumePriceAsSent).toEqual(anomaly.explanation.volumePrice);
      const text = renderEmail(stored);
      expect(text).toContain(`Volume and price: volume +${Math.round(revised.explanation.volumePrice!.volumeChange * 100)} %`);
      expect(text).toContain(`Revised since the alert was sent (weights or quantities revised): it said volume +25 %, unit value +47 %: both volume and price`);
      // A second revision keeps what was sent, not the first revision's split; one back to what was sent drops the note.
      expect(withSplitAsSent(stored, { ...revised }).explanation.volumePriceAsSent).toEqual(anomaly.explanation.volumePrice);
      expect(withSplitAsSent(stored, anomaly).explanation).not.toHaveProperty('volumePriceAsSent');
      expect(renderEmail(withSplitAsSent(anomaly, { ...anomaly }))).not.toContain('Revised since');
    });
  });
});
