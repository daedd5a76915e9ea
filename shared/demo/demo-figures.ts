import dataSet from './china-neighbours.json' with { type: 'json' };
import { demoDataSetSchema, demoRecords, type DemoDataSet } from './demo-data.js';

/** The bundled illustrative data set, validated. */
export function loadDemoDataSet(): DemoDataSet {
  return demoDataSetSchema.parse(dataSet);
}

export function loadDemoFigures() {
  return demoRecords(loadDemoDataSet());
}
