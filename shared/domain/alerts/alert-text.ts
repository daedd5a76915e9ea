import { countryName, countryShortCode, isWorld } from '../countries.js';
import { ANOMALY_TYPE_NAMES, type Anomaly } from '../detection/index.js';
import { commodityLabel } from '../commodity-lists.js';
import { formatPct } from '../detection/explain.js';
import { RULE_LITTLE_BEFORE_MUCH_AFTER, type PatternWindows } from '../detection/little-before-much-after.js';
import type { VolumePriceSplit } from '../detection/volume-price.js';
import { formatChange, formatMoney, formatQuantity, formatUnitValue, formatWeight } from '../format.js';
import type { Flow, Source } from '../series.js';
import { mirrorDigestLine, mirrorEmailLines, renderMirrorSms, mirrorHeadline } from './mirror-text.js';

export const SMS_MAX_LENGTH = 160;

const SOURCE_NAMES: Record<Source, string> = {
  comtrade: 'UN Comtrade',
  'imf-imts': 'IMF IMTS',
  'eurostat-comext': 'Eurostat Comext',
  csv: 'CSV import',
};

const FLOW_WORDS: Record<Flow, { noun: string; short: string }> = {
  export: { noun: 'exports to', short: 'exp' },
  import: { noun: 'imports from', short: 'imp' },
  trade: { noun: 'trade with', short: 'trade' },
};

const SPARK_LEVELS = '▁▂▃▄▅▆▇█';

/** A one-line text chart; gaps (months not known) are shown as spaces. */
export function sparkline(values: readonly (number | undefined)[]): string {
  const known = values.filter((v): v is number => v !== undefined);
  if (known.length === 0) return '';
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  return values
    .map((v) => {
      if (v === undefined) return ' ';
      const level = hi === lo ? 0 : Math.round(((v - lo) / (hi - lo)) * (SPARK_LEVELS.length - 1));
      return SPARK_LEVELS[level];
    })
    .join('');
}

export interface AlertContext {
  /** The series' recent monthly values, oldest first, for the sparkline (up to 24). */
  readonly recentValues?: readonly (number | undefined)[];
  /** The first and last month of `recentValues`. */
  readonly recentRange?: readonly [string, string];
}

export interface RenderedAlert {
  readonly subject: string;
  readonly email: string;
  readonly sms: string;
}

/** `China trade with Azerbaijan`: a series as a person names it. */
/** The world as a partner is a reporter's total: "China's total imports", not "China imports from World". */
const TOTAL_WORDS: Record<Flow, string> = { export: 'total exports', import: 'total imports', trade: 'total trade' };

export function seriesTitle(series: Pick<Anomaly['series'], 'reporter' | 'partner' | 'flow'>, partnerName = countryName(series.partner)): string {
  if (isWorld(series.partner)) return `${countryName(series.reporter)}'s ${TOTAL_WORDS[series.flow]}`;
  return `${countryName(series.reporter)} ${FLOW_WORDS[series.flow].noun} ${partnerName}`;
}

/** The series as a person names it, with its goods where it is not the total: `…, HS 854231 (CHPL tier 1)`. */
function pairTitle(anomaly: Anomaly, short = false): string {
  const { commodity } = anomaly.series;
  if (commodity === 'TOTAL') return seriesTitle(anomaly.series);
  return `${seriesTitle(anomaly.series)}, ${short ? `HS ${commodity}` : commodityLabel(commodity)}`;
}

/** What changed since subscribers were last told about an anomaly: a revision of its numbers, or its event moving on. */
export interface UpdateContext {
  readonly previousSeverity: Anomaly['severity'];
  readonly previousDirection: Anomaly['direction'];
  readonly previousChange: number;
  readonly reason: 'revision' | 'event';
}

function updateLine(anomaly: Anomaly, update: UpdateContext): string {
  const earlier = `Earlier: ${formatChange(update.previousChange)}, ${update.previousSeverity.toUpperCase()} (${update.previousDirection === 'up' ? 'jump' : 'drop'}); now as below.`;
  if (update.reason === 'revision') return `UPDATE: the agency revised these figures. ${earlier}`;
  const months = `${anomaly.eventBuckets} bucket${anomaly.eventBuckets === 1 ? '' : 's'} since ${anomaly.eventStart}`;
  if (anomaly.phase === 'ended') return `UPDATE: this event has ended (${months}): year-on-year change is back within its usual range. ${earlier}`;
  return `UPDATE: the event goes on, ${anomaly.phase} (${months}), now typed ${ANOMALY_TYPE_NAMES[anomaly.type]}. ${earlier}`;
}

const DRIVER_WORDS: Record<VolumePriceSplit['driver'], string> = { volume: 'mostly volume', price: 'mostly price', both: 'both volume and price' };

/** `volume +20 %, unit value +52 %: mostly price`: the log change split in two (Δln V = Δln W + Δln UV). */
export function volumePriceSummary(split: VolumePriceSplit): string {
  return `volume ${formatPct(split.volumeChange)}, unit value ${formatPct(split.unitValueChange)}: ${DRIVER_WORDS[split.driver]}`;
}

function volumePriceLines(split: VolumePriceSplit, anomaly: Anomaly): string[] {
  const { currency } = anomaly.series;
  const amount = (v: number) => (split.measure === 'net weight' ? formatWeight(v) : formatQuantity(v, split.unit));
  const earlier = anomaly.explanation.comparisonLabel;
  return [
    `  Volume and price: ${volumePriceSummary(split)}`,
    `    ${split.measure} ${amount(split.volume)} (${earlier}: ${amount(split.previousVolume)}); ` +
      `unit value ${formatUnitValue(split.unitValue, currency, split.unit)} (${earlier}: ${formatUnitValue(split.previousUnitValue, currency, split.unit)})`,
    ...(split.estimatedMonths.length > 0 ? [`    ${split.measure} estimated by the source for ${split.estimatedMonths.join(', ')}`] : []),
    ...splitRevisedLines(anomaly),
  ];
}

/** Where a later revision changed the split since the alert was sent: what it said then. */
function splitRevisedLines(anomaly: Anomaly): string[] {
  const sent = anomaly.explanation.volumePriceAsSent;
  if (sent === undefined) return [];
  return [`    Revised since the alert was sent (weights or quantities revised): it said ${sent ? volumePriceSummary(sent) : 'no split (no weights then)'}`];
}

function fitSms(text: string): string {
  return text.length <= SMS_MAX_LENGTH ? text : `${text.slice(0, SMS_MAX_LENGTH - 1)}…`;
}

function smsLine(anomaly: Anomaly): string {
  if (anomaly.mirror) return renderMirrorSms(anomaly, anomaly.mirror);
  const { reporter, partner, flow, currency, commodity } = anomaly.series;
  const pair = isWorld(partner) ? `${countryShortCode(reporter)} total` : `${countryShortCode(reporter)}-${countryShortCode(partner)}`;
  const goods = commodity === 'TOTAL' ? '' : ` HS${commodity}`;
  const pattern = patternOf(anomaly);
  if (pattern) return `${pair} ${FLOW_WORDS[flow].short}${goods} since ${pattern.after.from}: ${formatMoney(pattern.after.perMonth, currency)}/mo vs ${formatMoney(pattern.base.perMonth, currency)} before`;
  const split = anomaly.explanation.volumePrice;
  const volume = split ? ` vol ${formatChange(split.volumeChange)} UV ${formatChange(split.unitValueChange)}` : '';
  return `${pair} ${FLOW_WORDS[flow].short}${goods} ${anomaly.bucketLabel} ${formatChange(anomaly.explanation.change)} y/y (${formatMoney(anomaly.explanation.value, currency)})${volume}`;
}

export function renderSms(anomaly: Anomaly, update?: UpdateContext): string {
  const prefix = update ? 'UPDATED ' : '';
  return fitSms(`${prefix}${smsLine(anomaly)} ${anomaly.severity.toUpperCase()}`);
}

/** The little-before-much-after windows of an anomaly, when the rule found it. */
function patternOf(anomaly: Anomaly): PatternWindows | undefined {
  return anomaly.explanation.rule === RULE_LITTLE_BEFORE_MUCH_AFTER ? anomaly.explanation.littleBeforeMuchAfter : undefined;
}

/** `×70` or `from nothing`: how much more a month the after window took. */
function patternMultiple(windows: PatternWindows): string {
  if (windows.ratio === undefined) return 'from nothing';
  return `×${windows.ratio >= 10 ? windows.ratio.toFixed(0) : windows.ratio.toFixed(1)}`;
}

/** Both windows' totals on one line: what the rule judged. */
function patternLine(windows: PatternWindows, currency: string): string {
  const { base, after } = windows;
  return (
    `${formatMoney(base.total, currency)} in ${base.label} (${formatMoney(base.perMonth, currency)} a month), ` +
    `${formatMoney(after.total, currency)} in ${after.label} (${formatMoney(after.perMonth, currency)} a month over ${after.months} month${after.months === 1 ? '' : 's'}): ${patternMultiple(windows)} a month`
  );
}

/** SNS e-mail subjects must stay under 100 characters. */
const SUBJECT_MAX_LENGTH = 99;

export function renderSubject(anomaly: Anomaly, update?: UpdateContext): string {
  const tag = update ? `updated, ${anomaly.severity}` : anomaly.severity;
  return `[tradewatch ${tag}] ${alertHeadline(anomaly)}`.slice(0, SUBJECT_MAX_LENGTH);
}

/**
 * An alert in one line, as its e-mail subject says it after the tag and listings show it: it names
 * the commodity, and says what a mirror gap or a little-before-much-after finding is.
 */
export function alertHeadline(anomaly: Anomaly): string {
  const pattern = patternOf(anomaly);
  if (pattern) return `${patternMultiple(pattern)} since ${pattern.date}: ${pairTitle(anomaly, true)}`;
  if (anomaly.mirror) return mirrorHeadline(anomaly, anomaly.mirror);
  return `${pairTitle(anomaly)}, ${anomaly.bucketLabel}: ${formatChange(anomaly.explanation.change)} y/y`;
}

function patternEmail(anomaly: Anomaly, pattern: PatternWindows): string[] {
  const { currency, source } = anomaly.series;
  return [
    `${pairTitle(anomaly)}: little before ${pattern.date}, much after`,
    `Severity: ${anomaly.severity.toUpperCase()} (rule ${RULE_LITTLE_BEFORE_MUCH_AFTER}, switched on in this watchlist entry's detection settings)`,
    '',
    `  Before, ${pattern.base.label}: ${formatMoney(pattern.base.total, currency)} (${formatMoney(pattern.base.perMonth, currency)} a month)`,
    `  After, ${pattern.after.label}: ${formatMoney(pattern.after.total, currency)} (${formatMoney(pattern.after.perMonth, currency)} a month over ${pattern.after.months} months)`,
    `  Monthly mean after against before: ${patternMultiple(pattern)} (the rule asks for ×${pattern.ratioAsked} or more)`,
    `  Values in ${currency}, source ${SOURCE_NAMES[source]} (series ${anomaly.seriesId})`,
  ];
}

export function renderEmail(anomaly: Anomaly, context: AlertContext = {}, update?: UpdateContext): string {
  const e = anomaly.explanation;
  const { currency, source } = anomaly.series;
  const money = (v: number) => formatMoney(v, currency);
  const lines: string[] = [];
  if (update) {
    lines.push(updateLine(anomaly, update), '');
  }
  const pattern = patternOf(anomaly);
  if (pattern) {
    lines.push(...patternEmail(anomaly, pattern));
    if (context.recentValues && context.recentRange) lines.push('', `  ${context.recentRange[0]} ${sparkline(context.recentValues)} ${context.recentRange[1]}`);
    lines.push('', 'Caveats:', ...e.caveats.map((c) => `  - ${c}`), '', `See the series: npx tradewatch series show ${anomaly.seriesId}`);
    return lines.join('\n');
  }
  if (anomaly.mirror) {
    lines.push(...mirrorEmailLines(anomaly, anomaly.mirror));
    if (context.recentValues && context.recentRange) lines.push('', `  ${context.recentRange[0]} ${sparkline(context.recentValues)} ${context.recentRange[1]} (the ratio)`);
    lines.push('', `See the series: npx tradewatch series show ${anomaly.seriesId}`);
    return lines.join('\n');
  }
  lines.push(
    `${pairTitle(anomaly)}, ${anomaly.bucketLabel}: ${formatChange(e.change)} year on year`,
    `Severity: ${anomaly.severity.toUpperCase()} (${anomaly.direction === 'up' ? 'jump' : 'drop'})`,
    '',
    `  ${anomaly.bucketLabel}: ${money(e.value)}`,
    `  ${e.comparisonLabel}: ${money(e.comparisonValue)}`,
    `  Change: ${formatChange(e.change)} (${e.absoluteChange >= 0 ? '+' : ''}${money(e.absoluteChange)})`,
    ...(e.volumePrice ? volumePriceLines(e.volumePrice, anomaly) : []),
    `  Expected range: ${money(e.expectedRange[0])} to ${money(e.expectedRange[1])}`,
    `  Typical y/y change of this series: ${formatChange(e.typicalChange)}`,
    `  Robust z-score: ${e.z.toFixed(1)} over ${e.historyLength} earlier y/y comparisons (${e.historyMonths} months, ${e.spreadSource === 'own' ? "the series' own spread" : e.spreadSource === 'pooled' ? 'spread pooled from peers' : 'short history: spread blended with the default prior'})`,
    `  Type: ${ANOMALY_TYPE_NAMES[anomaly.type]}`,
    `  Rule(s): ${e.rules.join(', ')}`,
    `  Values in ${currency}, source ${SOURCE_NAMES[source]} (series ${anomaly.seriesId})`,
  );
  if (e.yearToDate) {
    const ytd = e.yearToDate;
    lines.push(`  Year to date, ${ytd.label}: ${money(ytd.value)}, ${formatChange(ytd.change)} on a year earlier`);
  }
  if (e.shareOfTotal !== undefined) lines.push(`  Share of the reporter's total a year earlier: ${(e.shareOfTotal * 100).toFixed(1)}%`);
  if (context.recentValues && context.recentRange) {
    lines.push('', `  ${context.recentRange[0]} ${sparkline(context.recentValues)} ${context.recentRange[1]}`);
  }
  if (e.caveats.length > 0) {
    lines.push('', 'Caveats:', ...e.caveats.map((c) => `  - ${c}`));
  }
  lines.push('', `See the series: npx tradewatch series show ${anomaly.seriesId}`);
  return lines.join('\n');
}

export function renderAlert(anomaly: Anomaly, context: AlertContext = {}, update?: UpdateContext): RenderedAlert {
  return { subject: renderSubject(anomaly, update), email: renderEmail(anomaly, context, update), sms: renderSms(anomaly, update) };
}

const SEVERITY_ORDER = ['critical', 'warning', 'info'] as const;

/** A digest's line for one anomaly: its numbers, or both windows' totals for a little-before-much-after finding. */
function digestLine(a: Anomaly): string {
  if (a.mirror) return `  ${a.severity.toUpperCase().padEnd(8)} ${mirrorDigestLine(a, a.mirror)}`;
  const pattern = patternOf(a);
  const money = (v: number) => formatMoney(v, a.series.currency);
  const detail = pattern
    ? patternLine(pattern, a.series.currency)
    : `${a.bucketLabel}: ${formatChange(a.explanation.change)} y/y (${money(a.explanation.value)}; expected ${money(a.explanation.expectedRange[0])} to ${money(a.explanation.expectedRange[1])}; ${a.type})`;
  return `  ${a.severity.toUpperCase().padEnd(8)} ${pairTitle(a)}${pattern ? ': ' : ', '}${detail}`;
}

/** One message for many anomalies (most severe first, as given): a line each, then the commands. */
export function renderDigest(anomalies: readonly Anomaly[]): RenderedAlert {
  const counts = SEVERITY_ORDER.map((severity) => [severity, anomalies.filter((a) => a.severity === severity).length] as const).filter(
    ([, n]) => n > 0,
  );
  const tally = counts.map(([severity, n]) => `${n} ${severity}`).join(', ');
  const dates = [...new Set(anomalies.map((a) => patternOf(a)?.date))];
  const onlyPattern = dates.length === 1 && dates[0] !== undefined;
  const headline = onlyPattern
    ? `${anomalies.length} series took little before ${dates[0]} and much after`
    : `${anomalies.length} anomalies in this release`;
  const subject = `[tradewatch digest] ${headline} (${tally})`.slice(0, SUBJECT_MAX_LENGTH);
  const email = [
    `${headline}: ${tally}. ${onlyPattern ? 'Largest first.' : 'Most severe first.'}`,
    '',
    ...anomalies.map(digestLine),
    '',
    'Each series: npx tradewatch series show SERIES-ID; all alerts: npx tradewatch alerts list',
    ...anomalies.map((a) => `  ${a.seriesId}`),
  ].join('\n');
  const head = onlyPattern ? `tradewatch: ${anomalies.length} series little before ${dates[0]}, much after. ` : `tradewatch: ${anomalies.length} anomalies (${tally}). `;
  let sms = head.trimEnd();
  for (const anomaly of anomalies) {
    const next = `${sms}${sms === head.trimEnd() ? ' ' : '; '}${smsLine(anomaly)}`;
    if (next.length > SMS_MAX_LENGTH) break;
    sms = next;
  }
  return { subject, email, sms: fitSms(sms) };
}
