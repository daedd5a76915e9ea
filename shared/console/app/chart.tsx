import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { money } from './format.js';
import type { ChartData } from './types.js';

const SEVERITY_COLOURS = { info: '#1565c0', warning: '#b35900', critical: '#b71c1c' } as const;
const LINE_COLOURS = ['#1565c0', '#6d4c41'] as const;

/** A bucket's time on the axis: the start of its last month (UTC), in seconds as uPlot counts. */
function bucketTime(months: readonly string[]): number {
  const [year, month] = months[months.length - 1]!.split('-').map(Number);
  return Date.UTC(year!, month! - 1, 1) / 1000;
}

/**
 * A series drawn with uPlot: the line of its buckets, detection's anomalies as dots, and the one
 * `highlight` names (an alert's bucket) larger, in its own series so the legend names it. The
 * figure's caption says the same in words for screen readers.
 */
export function SeriesChart({ data, highlight }: { data: ChartData; highlight?: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const anomalies = new Map(data.anomalies.map((a) => [a.bucketKey, a]));
    const x = data.points.map((p) => bucketTime(p.months));
    const values = data.points.map((p) => p.value ?? null);
    const marked = data.points.map((p) => (anomalies.has(p.key) && p.key !== highlight ? (p.value ?? null) : null));
    const highlighted = data.points.map((p) => (p.key === highlight ? (p.value ?? null) : null));
    const dots = (colour: string, size: number): uPlot.Series => ({ stroke: colour, fill: colour, width: 0, paths: () => null, points: { show: true, size, stroke: colour, fill: colour } });
    // A mirror's other side and its gap: dashed, so the lines part without colour too.
    const lines = data.lines ?? [];
    const lineSeries = lines.map((line, i): uPlot.Series => ({ label: line.label, stroke: LINE_COLOURS[i % LINE_COLOURS.length], width: 2, dash: i === 0 ? [6, 4] : [2, 3], value: (_, v) => money(v, data.currency), points: { show: false } }));
    const width = () => Math.max(280, element.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 300,
        scales: { x: { time: true } },
        axes: [{}, { values: (_, ticks) => ticks.map((tick) => money(tick, data.currency)), size: 84 }],
        series: [
          { value: (_, time) => (time === null ? '' : (data.points[x.indexOf(time)]?.label ?? '')) },
          { label: data.lineLabel ?? 'Value', stroke: '#1f3a5f', width: 2, value: (_, v) => money(v, data.currency), points: { show: false } },
          ...lineSeries,
          { label: 'Anomaly', ...dots(SEVERITY_COLOURS.warning, 9), value: (_, v) => (v === null ? '' : money(v, data.currency)) },
          ...(highlight ? [{ label: 'This alert', ...dots(SEVERITY_COLOURS.critical, 14), value: (_: uPlot, v: number | null) => (v === null ? '' : money(v, data.currency)) }] : []),
        ],
      },
      [x, values, ...lines.map((line) => [...line.values]), marked, ...(highlight ? [highlighted] : [])],
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 300 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [data, highlight]);
  const first = data.points[0]?.label;
  const last = data.points[data.points.length - 1]?.label;
  return (
    <figure class="chart">
      <div ref={box} role="img" aria-label={`${data.title}: chart from ${first} to ${last}`} />
      <figcaption>
        {data.title}, {first} to {last}.{' '}
        {data.lines?.length ? `Lines: ${[data.lineLabel ?? 'Value', ...data.lines.map((line) => line.label)].join('; ')}. ` : ''}
        {data.anomalies.length === 0
          ? 'No anomaly marked.'
          : `Anomalies marked: ${data.anomalies.map((a) => `${a.bucketLabel} (${a.severity}, ${a.direction})`).join('; ')}.`}
        {data.illustrative ? <strong class="illustrative"> Illustrative data: generated for the demo, not published monthly figures.</strong> : null}
      </figcaption>
    </figure>
  );
}
