import { countryName, countryShortCode } from '../countries.js';
import { ANOMALY_TYPE_NAMES, type Anomaly } from '../detection/index.js';
import { formatChange, formatMargin, formatMoney } from '../format.js';
import type { MirrorExplanation, MirrorFigures } from '../mirror.js';

/**
 * A mirror-gap alert in words: what each agency reports, the partner's figure at the reporter's
 * valuation, and the ratio now and a year earlier. The anomaly's own numbers are the ratio's.
 */

const ratio = (r: number) => `${r.toFixed(2)}x`;

/** A gap opens when the ratio moves away from 1 (the two agencies agreeing), and closes when it moves towards it. */
export function gapMovement(mirror: MirrorExplanation): 'opens' | 'closes' {
  return Math.abs(Math.log(mirror.current.ratio)) > Math.abs(Math.log(mirror.previous.ratio)) ? 'opens' : 'closes';
}

function names(anomaly: Anomaly) {
  const { reporter, partner } = anomaly.series;
  return { reporter: countryName(reporter), partner: countryName(partner) };
}

const FLOW_NOUNS = { export: ['exports to', 'imports from'], import: ['imports from', 'exports to'] } as const;

function flowWords(anomaly: Anomaly): { reporterFlow: string; partnerFlow: string } {
  const [reporterFlow, partnerFlow] = FLOW_NOUNS[anomaly.series.flow === 'import' ? 'import' : 'export'];
  return { reporterFlow, partnerFlow };
}

/** `Mirror gap, China exports to Kyrgyzstan`. */
export function mirrorTitle(anomaly: Anomaly): string {
  return `Mirror gap, ${names(anomaly).reporter} ${flowWords(anomaly).reporterFlow} ${names(anomaly).partner}`;
}

/** `Kyrgyzstan's figure fell from 0.45x to 0.30x China's`. */
function ratioMove(anomaly: Anomaly, mirror: MirrorExplanation): string {
  const { reporter, partner } = names(anomaly);
  const verb = mirror.current.ratio < mirror.previous.ratio ? 'fell' : 'rose';
  return `${partner}'s figure ${verb} from ${ratio(mirror.previous.ratio)} to ${ratio(mirror.current.ratio)} ${reporter}'s`;
}

/** Both sides of one bucket in a sentence. */
function bothSides(anomaly: Anomaly, mirror: MirrorExplanation, figures: MirrorFigures): string {
  const { reporter, partner } = names(anomaly);
  const { reporterFlow, partnerFlow } = flowWords(anomaly);
  const money = (v: number) => formatMoney(v, anomaly.series.currency);
  const margin = formatMargin(mirror.margin);
  return (
    `${reporter} reports ${reporterFlow} ${partner} of ${money(figures.reporterValue)} in ${figures.label}; ` +
    `${partner} reports ${partnerFlow} ${reporter} of ${money(figures.partnerValue)} ` +
    `(${money(figures.partnerAtReporterBasis)} ${mirror.reporterValuation} at a ${margin} CIF/FOB margin)`
  );
}

/** A mirror gap alert in one line (its e-mail subject without the tag). */
export function mirrorHeadline(anomaly: Anomaly, mirror: MirrorExplanation): string {
  const { reporter, partner } = names(anomaly);
  return `Mirror gap ${gapMovement(mirror)}, ${reporter} ${flowWords(anomaly).reporterFlow} ${partner}, ${anomaly.bucketLabel}: ${ratio(mirror.previous.ratio)} to ${ratio(mirror.current.ratio)}`;
}

export function mirrorEmailLines(anomaly: Anomaly, mirror: MirrorExplanation): string[] {
  const e = anomaly.explanation;
  const { reporter, partner } = names(anomaly);
  return [
    `${mirrorTitle(anomaly)}, ${anomaly.bucketLabel}: the gap ${gapMovement(mirror)}; ${ratioMove(anomaly, mirror)}`,
    `Severity: ${anomaly.severity.toUpperCase()} (gap ${gapMovement(mirror)})`,
    '',
    `  ${bothSides(anomaly, mirror, mirror.current)}.`,
    `  A year earlier: ${bothSides(anomaly, mirror, mirror.previous)}.`,
    `  ${partner}'s figure as a multiple of ${reporter}'s: ${ratio(mirror.current.ratio)}, against ${ratio(mirror.previous.ratio)} a year earlier (${formatChange(e.change)})`,
    `  Expected range of the ratio: ${ratio(e.expectedRange[0])} to ${ratio(e.expectedRange[1])}`,
    `  Typical y/y change of the ratio: ${formatChange(e.typicalChange)}`,
    `  Robust z-score: ${e.z.toFixed(1)} over ${e.historyLength} earlier y/y comparisons of the ratio (${e.historyMonths} months)`,
    `  Type: ${ANOMALY_TYPE_NAMES[anomaly.type]}`,
    `  Rule(s): ${e.rules.join(', ')}`,
    `  Values in ${anomaly.series.currency}; ${reporter}'s series ${mirror.reporterSeriesId}, ${partner}'s ${mirror.partnerSeriesId}`,
    `  A gap between two agencies' figures is a lead (re-exports, under-invoicing, transit, a change of method), not a finding: at most WARNING.`,
  ];
}

export function renderMirrorSms(anomaly: Anomaly, mirror: MirrorExplanation): string {
  const { reporter, partner } = anomaly.series;
  return `${countryShortCode(reporter)}-${countryShortCode(partner)} mirror ${anomaly.bucketLabel}: ${countryShortCode(partner)} figure ${ratio(mirror.current.ratio)} ${countryShortCode(reporter)}'s (${ratio(mirror.previous.ratio)} a yr earlier)`;
}

export function mirrorDigestLine(anomaly: Anomaly, mirror: MirrorExplanation): string {
  return `${mirrorTitle(anomaly)}, ${anomaly.bucketLabel}: ${ratioMove(anomaly, mirror)} (gap ${gapMovement(mirror)}; ${anomaly.type})`;
}
