import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { seriesFromCsv } from '../../../shared/cli/commands/evaluate.js';
import { defaultDetectionConfig } from '../../../shared/domain/detection/index.js';
import { evaluate, labelFileSchema } from '../../../shared/domain/detection/evaluate.js';
import type { BenchResult } from '../bench-context.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/real/${name}`, import.meta.url), 'utf8');

/** Issue 13's figures: detection at default settings judged on 153 real EU export series and their labelled events. */
export async function detectionEvaluation(): Promise<BenchResult> {
  const inputs = seriesFromCsv(fixture('eu-exports-2019-2024.csv'));
  const labels = labelFileSchema.parse(JSON.parse(fixture('eu-exports-2019-2024.events.json')));
  const start = performance.now();
  const e = evaluate(inputs, labels, defaultDetectionConfig);
  const seconds = (performance.now() - start) / 1000;
  const label = (id: string) => e.labels.find((l) => l.id === id)!;
  const called = (id: string) => `${label(id).hits}/${label(id).series} (${((label(id).hits / label(id).series) * 100).toFixed(0)} %)`;
  const sanctions = label('sanctions-break-members');
  const [base] = e.baseEffects;
  const covid = e.outcomes.find((o) => o.label === 'covid-trough-euu-rus')!;
  const gates = Object.entries(e.heldBack.byGate).map(([k, v]) => `${k} ${v}`).join(', ');
  return {
    name: 'detection judged on real EU exports 2019-2024 (153 series, labelled events), default settings',
    figures: [
      `sanctions break, member->RUS below 0.7x, called down in 2022-03/04: ${called('sanctions-break-members')}, typed LS by month two ${sanctions.typedAsExpected}/${sanctions.series} — goal >= 90 %`,
      `rerouting, member->ARM/KGZ above 1.5x, called up by 2022-09:      ${called('rerouting-members')}, mean lag ${label('rerouting-members').meanLagMonths?.toFixed(1)} months — goal >= 80 %`,
      `EUU->ARM/KGZ/KAZ rerouting called: ${called('rerouting-euu')}; EUU->RUS sanctions called: ${called('sanctions-break-euu')}; COVID trough EUU->RUS: ${covid.firstAlert ?? 'missed'}`,
      `base effects 2021-03..06: ${base!.alerts} alerts, ${base!.namingBase} naming the base, ${base!.criticalOnBaseOnly} critical on the base alone — goal: all named, none critical`,
      `outside labelled windows: ${e.noise.perSeriesYearOutside.toFixed(3)} events per series-year (${e.noise.eventsOutside} over ${e.noise.seriesYearsOutside.toFixed(0)}) — goal <= 0.3; all events ${e.noise.perSeriesYear.toFixed(3)}`,
      `held back: ${e.heldBack.total} moves (${gates}); evaluation took ${seconds.toFixed(2)} s`,
    ],
  };
}
