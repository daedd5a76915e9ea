import type { Anomaly } from '../detection/index.js';
import { formatChange, formatMoney } from '../format.js';
import { parsePeriod, type Period } from '../period.js';
import { moneyTicks } from './axis-ticks.js';
import { layoutLabels } from './label-layout.js';
import { estimateTextWidth } from './text-width.js';

/** One point of the line: a month, or a Jan-Feb bucket where the reporter publishes the two as one. */
export interface ChartPoint {
  /** `2024-03`, or `2024-01..02` for a Jan-Feb bucket. */
  readonly key: string;
  /** `Mar 2024`, `Jan-Feb 2024`. */
  readonly label: string;
  readonly months: readonly Period[];
  /** Undefined where a month of the bucket is not known: a gap in the line, never zero. */
  readonly value: number | undefined;
}

export interface ChartInput {
  readonly title: string;
  readonly currency: string;
  /** The series in the buckets detection compares, oldest first. */
  readonly points: readonly ChartPoint[];
  /** Each marked on the point of its bucket. */
  readonly anomalies: readonly Anomaly[];
  /** Generated demo figures: the chart says so where it cannot be missed. */
  readonly illustrative: boolean;
  /** The points' line as the legend names it, where there are more lines. */
  readonly lineLabel?: string;
  /** More lines beside the points' (a mirror's other side and its gap), one value per point; anomalies stay on the points' line. */
  readonly lines?: readonly ChartLine[];
}

export interface ChartLine {
  readonly label: string;
  /** One per point, undefined where not known (a gap in the line). */
  readonly values: readonly (number | undefined)[];
}

const WIDTH = 960;
const HEIGHT = 420;
const PLOT = { left: 96, right: 936, top: 108, bottom: 372 };
const FONT = 12;
const LANES = 3;
/** Baseline of the label lane nearest the plot; further lanes stack upwards. */
const FIRST_LANE_Y = PLOT.top - 12;
const LANE_HEIGHT = 16;
const SEVERITY_COLOURS: Record<Anomaly['severity'], string> = { critical: '#c62828', warning: '#ef6c00', info: '#1565c0' };
const SEVERITY_RANK: Record<Anomaly['severity'], number> = { critical: 2, warning: 1, info: 0 };
const YEAR_STEPS = [1, 2, 5, 10, 20, 50, 100];
/** The points' line, then each further line: a colour and a dash pattern apiece, so the lines part without colour too. */
const LINE_STYLES = [
  { colour: '#37474f', dash: '' },
  { colour: '#1565c0', dash: '6 4' },
  { colour: '#6d4c41', dash: '2 3' },
  { colour: '#2e7d32', dash: '10 3 2 3' },
] as const;
const LEGEND_Y = 64;
export const ILLUSTRATIVE_NOTE = 'Illustrative data: generated for the demo, not published monthly figures';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const fixed = (n: number) => n.toFixed(1);

/** Squeezes a line that would run past the right edge (a long title) into the width there is. */
function fitted(content: string, fontSize: number, x: number, wider = 1): string {
  const room = WIDTH - 2 * x;
  return estimateTextWidth(content, fontSize) * wider > room ? ` textLength="${room}" lengthAdjust="spacingAndGlyphs"` : '';
}

function monthNumber(period: Period): number {
  const { year, month } = parsePeriod(period);
  return year * 12 + month - 1;
}

function anomalyText(a: Anomaly): string {
  // A mirror's anomaly is the ratio's move, not either side's.
  return `${a.bucketLabel} ${a.mirror ? 'ratio ' : ''}${formatChange(a.explanation.change)} (${a.type}, ${a.severity})`;
}

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${fixed(x)}" y="${fixed(y)}" font-size="${FONT}"${attributes ? ` ${attributes}` : ''}>${escapeXml(content)}</text>`;
}

/** What the chart shows, in words, for screen readers and the page around it. */
function describe(input: ChartInput, merged: boolean): string {
  const first = input.points[0]?.label;
  const last = input.points[input.points.length - 1]?.label;
  const count = input.anomalies.length;
  return [
    first ? `${input.currency} values from ${first} to ${last}` : 'No values',
    input.lines?.length ? `Lines: ${[input.lineLabel ?? 'value', ...input.lines.map((l) => l.label)].join(', ')}` : '',
    merged ? 'January and February drawn as one Jan-Feb point, as the reporter publishes them and detection compares them' : '',
    `${count} anomal${count === 1 ? 'y' : 'ies'} marked${count > 0 ? `: ${input.anomalies.map(anomalyText).join('; ')}` : ''}`,
    input.illustrative ? ILLUSTRATIVE_NOTE : '',
  ]
    .filter(Boolean)
    .join('. ');
}

/**
 * The series as an SVG line chart: gaps where a bucket is not known, anomalies as coloured dots
 * labelled above the plot in lanes, so no text overlaps other text or leaves the image.
 */
export function renderChartSvg(input: ChartInput): string {
  const points = input.points;
  const merged = points.some((p) => p.months.length > 1);
  const lines = input.lines ?? [];
  const known = [...points.map((p) => p.value), ...lines.flatMap((l) => l.values)].filter((v): v is number => v !== undefined);
  const ticks = moneyTicks(Math.min(0, ...known), known.length > 0 ? Math.max(...known) : 1, input.currency);
  const low = ticks[0]!.value;
  const high = ticks[ticks.length - 1]!.value;
  const y = (v: number) => PLOT.bottom - ((v - low) / (high - low)) * (PLOT.bottom - PLOT.top);

  const firstMonth = points.length > 0 ? monthNumber(points[0]!.months[0]!) : 0;
  const lastPoint = points[points.length - 1];
  const span = lastPoint ? monthNumber(lastPoint.months[lastPoint.months.length - 1]!) - firstMonth : 0;
  const monthX = (month: number) => PLOT.left + (span === 0 ? (PLOT.right - PLOT.left) / 2 : ((month - firstMonth) / span) * (PLOT.right - PLOT.left));
  // A bucket sits in the middle of its months.
  const pointX = (p: ChartPoint) => p.months.reduce((sum, m) => sum + monthX(monthNumber(m)), 0) / p.months.length;

  const pathOf = (values: readonly (number | undefined)[]) => {
    let path = '';
    points.forEach((p, i) => {
      const value = values[i];
      if (value === undefined) return;
      path += `${i > 0 && values[i - 1] !== undefined ? 'L' : 'M'}${fixed(pointX(p))},${fixed(y(value))} `;
    });
    return path.trim();
  };
  const path = pathOf(points.map((p) => p.value));
  const extraPaths = lines.map((line, i) => {
    const style = LINE_STYLES[(i + 1) % LINE_STYLES.length]!;
    return `<path class="line" d="${pathOf(line.values)}" fill="none" stroke="${style.colour}" stroke-width="2" stroke-dasharray="${style.dash}"><title>${escapeXml(line.label)}</title></path>`;
  });
  // A legend where there is more than one line: a sample of each line's stroke, then its name.
  let legendX = 16;
  const legend = lines.length === 0 ? [] : [input.lineLabel ?? 'Value', ...lines.map((l) => l.label)].map((label, i) => {
    const style = LINE_STYLES[i % LINE_STYLES.length]!;
    const entry = `<g class="legend"><line x1="${fixed(legendX)}" x2="${fixed(legendX + 24)}" y1="${LEGEND_Y - 4}" y2="${LEGEND_Y - 4}" stroke="${style.colour}" stroke-width="2"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>${text(legendX + 30, LEGEND_Y, label)}</g>`;
    legendX += 30 + estimateTextWidth(label, FONT) + 18;
    return entry;
  });

  const grid = ticks.map(
    (t) =>
      `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${fixed(y(t.value))}" y2="${fixed(y(t.value))}" stroke="${t.value === 0 ? '#9e9e9e' : '#e0e0e0'}"/>` +
      text(PLOT.left - 8, y(t.value) + 4, t.label, 'text-anchor="end"'),
  );

  const yearWidth = span === 0 ? Infinity : (12 * (PLOT.right - PLOT.left)) / span;
  const yearStep = YEAR_STEPS.find((step) => step * yearWidth >= estimateTextWidth('2024', FONT) + 12) ?? 1000;
  const years: string[] = [];
  for (let month = Math.ceil(firstMonth / 12) * 12; month <= firstMonth + span; month += 12) {
    const year = month / 12;
    if (year % yearStep !== 0) continue;
    const x = monthX(month);
    years.push(`<line x1="${fixed(x)}" x2="${fixed(x)}" y1="${PLOT.bottom}" y2="${PLOT.bottom + 5}" stroke="#9e9e9e"/>${text(x, PLOT.bottom + 18, String(year), 'text-anchor="middle"')}`);
  }

  const buckets = points
    .filter((p) => p.months.length > 1 && p.value !== undefined)
    .map(
      (p) =>
        `<circle class="bucket" cx="${fixed(pointX(p))}" cy="${fixed(y(p.value!))}" r="3.5" fill="#ffffff" stroke="#37474f" stroke-width="1.5"><title>${escapeXml(`${p.label}: ${formatMoney(p.value!, input.currency)} (published as one)`)}</title></circle>`,
    );

  const byKey = new Map(points.map((p) => [p.key, p]));
  const marked = input.anomalies
    .flatMap((anomaly) => {
      const point = byKey.get(anomaly.bucketKey);
      return point?.value === undefined ? [] : [{ anomaly, x: pointX(point), y: y(point.value), label: anomalyText(anomaly) }];
    })
    .sort((a, b) => SEVERITY_RANK[b.anomaly.severity] - SEVERITY_RANK[a.anomaly.severity] || b.anomaly.period.localeCompare(a.anomaly.period));
  const dots = marked.map(
    (m) => `<circle class="anomaly" cx="${fixed(m.x)}" cy="${fixed(m.y)}" r="7" fill="${SEVERITY_COLOURS[m.anomaly.severity]}"><title>${escapeXml(m.label)}</title></circle>`,
  );
  const layout = layoutLabels(
    marked.map((m) => ({ anchorX: m.x, width: estimateTextWidth(m.label, FONT) })),
    // The legend takes the top lane's row.
    { left: PLOT.left, right: WIDTH - 8, lanes: lines.length > 0 ? LANES - 1 : LANES, gap: 8 },
  );
  const labels = layout.placed.map(({ index, x, lane }) => {
    const m = marked[index]!;
    const baseline = FIRST_LANE_Y - lane * LANE_HEIGHT;
    const colour = SEVERITY_COLOURS[m.anomaly.severity];
    const leader = m.y - 9 > baseline + 4 ? `<line x1="${fixed(m.x)}" x2="${fixed(m.x)}" y1="${fixed(baseline + 4)}" y2="${fixed(m.y - 9)}" stroke="${colour}" stroke-dasharray="2 3"/>` : '';
    return `${leader}${text(x, baseline, m.label, `class="anomaly-label" fill="${colour}"`)}`;
  });

  const footnotes = [
    merged ? '○ Jan-Feb: one point, the sum of the two months, as published and compared' : '',
    layout.left.length > 0 ? `${layout.left.length} more marked without a label: hover a dot` : '',
  ].filter(Boolean);
  const footnote = footnotes.join('   ·   ');

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" role="img" aria-labelledby="chart-title chart-desc">`,
    `<title id="chart-title">${escapeXml(input.title)}</title>`,
    `<desc id="chart-desc">${escapeXml(describe(input, merged))}</desc>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="16" y="24" font-size="16" font-weight="bold"${fitted(input.title, 16, 16, 1.1)}>${escapeXml(input.title)}</text>`,
    ...(input.illustrative ? [text(16, 44, ILLUSTRATIVE_NOTE, 'class="illustrative" font-weight="bold" fill="#b71c1c"')] : []),
    ...grid,
    ...years,
    ...legend,
    `<path class="series" d="${path}" fill="none" stroke="${LINE_STYLES[0].colour}" stroke-width="2"/>`,
    ...extraPaths,
    ...buckets,
    ...dots,
    ...labels,
    ...(footnote ? [text(16, HEIGHT - 10, footnote, `fill="#546e7a"${fitted(footnote, FONT, 16)}`)] : []),
    '</svg>',
  ].join('\n');
}

/** A self-contained HTML page around the SVG, with a note of what it shows. */
export function renderChartHtml(input: ChartInput): string {
  const count = input.anomalies.length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(input.title)}</title></head>
<body style="margin:16px;font-family:sans-serif">
${renderChartSvg(input)}
<p>${count} anomal${count === 1 ? 'y' : 'ies'} marked. Values in ${escapeXml(input.currency)}; gaps are months not known.${input.illustrative ? ` ${ILLUSTRATIVE_NOTE}.` : ''}</p>
</body></html>
`;
}
