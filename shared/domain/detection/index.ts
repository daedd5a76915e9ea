export * from './anomaly.js';
export * from './config.js';
export { detectAcross, detectAnomalies, mergesJanFeb, severityOf, WORLD } from './detect.js';
export type { DetectableObservation, DetectionWindow, SeriesInput } from './detect.js';
export { backtest } from './backtest.js';
export type { BacktestSummary, BacktestWindow } from './backtest.js';
