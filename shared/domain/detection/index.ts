export * from './anomaly.js';
export * from './config.js';
export { detectAcross, detectAnomalies, mergesJanFeb, WORLD } from './detect.js';
export type { AcrossReporters, DetectableObservation, DetectionWindow, SeriesInput } from './detect.js';
export { partnerSignal } from './partner-signal.js';
export type { PartnerMove, PartnerSignal } from './partner-signal.js';
export { severityOf } from './severity.js';
export { backtest } from './backtest.js';
export type { BacktestSummary, BacktestWindow } from './backtest.js';
