import { describe, expect, it } from 'vitest';
import { notifiedOf, revisionChangesNumbers, revisionNotifies, updateReason } from '../../../../shared/domain/alerts/renotify.js';
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
});
