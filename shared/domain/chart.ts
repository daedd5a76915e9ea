import type { Anomaly } from './detection/index.js';
import { formatChange, formatMoney } from './format.js';
import { comparableValue, type Observation } from './series.js';

export interface ChartInput {
  readonly title: string;
  readonly currency: string;
  readonly observations: readonly Observation[];
  /** Marked on the line at the last month of their bucket. */
  readonly anomalies: readonly Anomaly[];
}

const WIDTH = 960;
const HEIGHT = 420;
const MARGIN = { top: 48, right: 24, bottom: 48, left: 96 };
const SEVERITY_COLOURS: Record<Anomaly['severity'], string> = { critical: '#c62828', warning: '#ef6c00', info: '#1565c0' };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The series as an SVG line chart: gaps where a month is not known, anomalies as coloured dots. */
export function renderChartSvg(input: ChartInput): string {
  const months = [...input.observations].sort((a, b) => a.period.localeCompare(b.period));
  const values = months.map((o) => comparableValue(o));
  const known = values.filter((v): v is number => v !== undefined);
  const max = known.length > 0 ? Math.max(...known) : 1;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (i: number) => MARGIN.left + (months.length <= 1 ? plotWidth / 2 : (i / (months.length - 1)) * plotWidth);
  const y = (v: number) => MARGIN.top + plotHeight - (v / (max || 1)) * plotHeight;

  let path = '';
  values.forEach((v, i) => {
    if (v === undefined) return;
    path += `${i > 0 && values[i - 1] !== undefined ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = max * f;
    return `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e0e0e0"/><text x="${MARGIN.left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="12">${escapeXml(formatMoney(v, input.currency))}</text>`;
  });
  const years = months
    .map((o, i) => ({ o, i }))
    .filter(({ o }) => o.period.endsWith('-01'))
    .map(({ o, i }) => `<text x="${x(i).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 20}" text-anchor="middle" font-size="12">${o.period.slice(0, 4)}</text>`);
  const index = new Map(months.map((o, i) => [o.period, i]));
  const markers = input.anomalies.flatMap((a) => {
    const i = index.get(a.period);
    const v = i === undefined ? undefined : values[i];
    if (i === undefined || v === undefined) return [];
    const label = `${a.bucketLabel} ${formatChange(a.explanation.change)} (${a.type}, ${a.severity})`;
    return [
      `<circle class="anomaly" cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="7" fill="${SEVERITY_COLOURS[a.severity]}"><title>${escapeXml(label)}</title></circle>`,
      `<text x="${x(i).toFixed(1)}" y="${(y(v) - 14).toFixed(1)}" text-anchor="end" font-size="12" fill="${SEVERITY_COLOURS[a.severity]}">${escapeXml(label)}</text>`,
    ];
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="28" font-size="16" font-weight="bold">${escapeXml(input.title)}</text>`,
    ...ticks,
    ...years,
    `<path class="series" d="${path.trim()}" fill="none" stroke="#37474f" stroke-width="2"/>`,
    ...markers,
    '</svg>',
  ].join('\n');
}

/** A self-contained HTML page around the SVG, with a note of what it shows. */
export function renderChartHtml(input: ChartInput): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(input.title)}</title></head>
<body style="margin:16px;font-family:sans-serif">
${renderChartSvg(input)}
<p>${input.anomalies.length} anomal${input.anomalies.length === 1 ? 'y' : 'ies'} marked. Values in ${escapeXml(input.currency)}; gaps are months not known.</p>
</body></html>
`;
}
