import * as z from '../zod.js';
import { isAggregateArea, isWorld } from './countries.js';
import { addMonths } from './period.js';
import { comparableValue, isGroupCode, parseSeriesId, seriesId, type Observation, type ObservationState, type SeriesKey, type StoredFlow } from './series.js';

/**
 * Mirror statistics: the same flow of goods as both customs agencies report it. China's exports to
 * Kyrgyzstan and Kyrgyzstan's imports from China describe one flow; their figures differ (by 2-4x
 * for Central Asia), and a gap that opens or closes suddenly is a signal (re-exports,
 * under-invoicing, transit). A mirror series is derived on read, never stored.
 */

/** `comtrade.CHN.KGZ.export.TOTAL.USD~mirror`: the stored series beside its partner's report of the same flow. */
export const MIRROR_SUFFIX = '~mirror';

/**
 * The default CIF/FOB margin: imports are valued CIF (cost, insurance and freight to the border of
 * the importer), exports FOB (free on board at the exporter's border), so the importer's figure is
 * larger by the cost of carriage. 6 % is the order of the world average the OECD's ITIC database
 * estimates (Miao and Fortanier, "Estimating Transport and Insurance Costs of International Trade",
 * OECD Statistics Working Papers 2017/04), which the IMF's Direction of Trade Statistics adopted in
 * place of the uniform 10 % it long applied. Configurable (TRADEWATCH_CIF_FOB_MARGIN): land-locked
 * Central Asia pays more.
 */
export const DEFAULT_CIF_FOB_MARGIN = 0.06;
export const cifFobMarginSchema = z.number().check(z.minimum(0), z.maximum(1));

export function isMirrorId(id: string): boolean {
  return id.endsWith(MIRROR_SUFFIX);
}

export function mirrorId(key: SeriesKey): string {
  return `${seriesId(key)}${MIRROR_SUFFIX}`;
}

/** Why a series has no mirror, or undefined when it has one. */
export function mirrorProblem(key: SeriesKey): string | undefined {
  if (key.flow === 'trade') return 'turnover has no mirror: ask for the export or the import series';
  if (isGroupCode(key.partner)) return `${key.partner} is a group of partners, which reports nothing itself`;
  if (isWorld(key.partner) || isAggregateArea(key.partner)) return `${key.partner} is an aggregate area, which reports nothing itself`;
  return undefined;
}

/** The stored series a mirror id stands on (`...~mirror` without its suffix); throws a RangeError naming what is wrong. */
export function parseMirrorId(id: string): SeriesKey & { flow: StoredFlow } {
  if (!isMirrorId(id)) throw new RangeError(`"${id}" is not a mirror series id: expected a series id followed by ${MIRROR_SUFFIX}`);
  const key = parseSeriesId(id.slice(0, -MIRROR_SUFFIX.length));
  const problem = mirrorProblem(key);
  if (problem) throw new RangeError(`"${id}" has no mirror: ${problem}`);
  return key as SeriesKey & { flow: StoredFlow };
}

/** The partner's report of the same flow: the partner as reporter, the reporter as partner, the opposite flow. */
export function partnerSideKey(key: SeriesKey & { flow: StoredFlow }): SeriesKey & { flow: StoredFlow } {
  return { ...key, reporter: key.partner, partner: key.reporter, flow: key.flow === 'export' ? 'import' : 'export' };
}

/** The valuation each flow is reported at: exports FOB, imports CIF. */
export function valuationOf(flow: StoredFlow): 'FOB' | 'CIF' {
  return flow === 'export' ? 'FOB' : 'CIF';
}

/**
 * The partner's figure brought to the reporter's basis: a partner's imports (CIF) less the margin
 * to compare with the reporter's exports (FOB); a partner's exports (FOB) plus it to compare with
 * the reporter's imports (CIF).
 */
export function atReporterBasis(partnerValue: number, reporterFlow: StoredFlow, margin: number): number {
  return reporterFlow === 'export' ? partnerValue / (1 + margin) : partnerValue * (1 + margin);
}

/**
 * Where a month stands: both sides known (`compared`); a January that one side published only
 * inside its Jan+Feb release (`combined`: February's row covers both); or a side missing
 * (not released, suppressed, not stored), never read as zero.
 */
export type MirrorState = 'compared' | 'combined' | 'reporter-missing' | 'partner-missing' | 'both-missing';

export interface MirrorMonth {
  readonly period: string;
  /** The months the row compares: `2024-02`, or `2024-01..02` where a side published them as one. */
  readonly covers: string;
  readonly state: MirrorState;
  /** The reporter's own figure (its valuation), null where not known. */
  readonly reporterValue: number | null;
  readonly reporterState: ObservationState | 'not-stored';
  /** The partner's figure as it reports it (the other valuation). */
  readonly partnerValue: number | null;
  readonly partnerState: ObservationState | 'not-stored';
  /** The partner's figure at the reporter's valuation (see atReporterBasis). */
  readonly partnerAtReporterBasis: number | null;
  /** Reporter's figure less the partner's at the reporter's basis. */
  readonly gap: number | null;
  /** The partner's figure at the reporter's basis as a multiple of the reporter's: 0.30 for 0.30x. */
  readonly ratio: number | null;
}

export interface MirrorOptions {
  readonly reporterFlow: StoredFlow;
  readonly margin: number;
  /** Compare every January with February as one row (for detection on a Jan+Feb reporter); by default only where a side published them together. */
  readonly mergeJanFeb?: boolean;
}

interface Side {
  readonly value: number | null;
  readonly state: ObservationState | 'not-stored';
}

/**
 * The mirror, month by month, over every month either side holds. A January either side published
 * only inside February's release is compared with February as one row (each side's Jan+Feb), so
 * neither side's combined figure meets the other's February alone.
 */
export function mirrorMonths(reporter: readonly Observation[], partner: readonly Observation[], options: MirrorOptions): MirrorMonth[] {
  const reporterByPeriod = new Map(reporter.map((o) => [o.period, o]));
  const partnerByPeriod = new Map(partner.map((o) => [o.period, o]));
  const periods = [...new Set([...reporterByPeriod.keys(), ...partnerByPeriod.keys()])].sort();
  const mergedYears = new Set(
    periods.filter((p) => p.endsWith('-01') && (options.mergeJanFeb || reporterByPeriod.get(p)?.state === 'combined' || partnerByPeriod.get(p)?.state === 'combined')).map((p) => p.slice(0, 4)),
  );
  return periods.map((period) => {
    const merged = mergedYears.has(period.slice(0, 4)) && (period.endsWith('-01') || period.endsWith('-02'));
    const reporterSide = sideOf(reporterByPeriod, period);
    const partnerSide = sideOf(partnerByPeriod, period);
    if (merged && period.endsWith('-01')) {
      return { period, covers: period, state: 'combined' as const, ...sides(reporterSide, partnerSide), partnerAtReporterBasis: null, gap: null, ratio: null };
    }
    const january = addMonths(period, -1);
    const r = merged ? sumSides(sideOf(reporterByPeriod, january), reporterSide) : reporterSide;
    const p = merged ? sumSides(sideOf(partnerByPeriod, january), partnerSide) : partnerSide;
    const covers = merged ? `${january}..${period.slice(5)}` : period;
    return compare(period, covers, r, p, options);
  });
}

/**
 * Both sides month by month as they stand, never merged: for cumulative or annual figures, where
 * each side's February (or December) already covers what it should. A month either side holds
 * only inside the next one's figure (`combined`) compares nothing.
 */
export function pairMonths(reporter: readonly Observation[], partner: readonly Observation[], options: Pick<MirrorOptions, 'reporterFlow' | 'margin'>): MirrorMonth[] {
  const reporterByPeriod = new Map(reporter.map((o) => [o.period, o]));
  const partnerByPeriod = new Map(partner.map((o) => [o.period, o]));
  const periods = [...new Set([...reporterByPeriod.keys(), ...partnerByPeriod.keys()])].sort();
  return periods.map((period) => {
    const r = sideOf(reporterByPeriod, period);
    const p = sideOf(partnerByPeriod, period);
    if (r.state === 'combined' || p.state === 'combined') return { period, covers: period, state: 'combined' as const, ...sides(r, p), partnerAtReporterBasis: null, gap: null, ratio: null };
    return compare(period, period, r, p, options);
  });
}

function sides(reporter: Side, partner: Side) {
  return { reporterValue: reporter.value, reporterState: reporter.state, partnerValue: partner.value, partnerState: partner.state };
}

function sideOf(byPeriod: ReadonlyMap<string, Observation>, period: string): Side {
  const observation = byPeriod.get(period);
  if (!observation) return { value: null, state: 'not-stored' };
  return { value: comparableValue(observation) ?? null, state: observation.state };
}

/** A side's January and February as one: a January inside February's release adds nothing of its own. */
function sumSides(january: Side, february: Side): Side {
  const jan = january.state === 'combined' ? 0 : january.value;
  if (jan === null || february.value === null) return { value: null, state: january.value === null && january.state !== 'combined' ? january.state : february.state };
  const value = jan + february.value;
  return { value, state: value === 0 ? 'zero' : 'published' };
}

function compare(period: string, covers: string, reporter: Side, partner: Side, options: Pick<MirrorOptions, 'reporterFlow' | 'margin'>): MirrorMonth {
  const base = { period, covers, ...sides(reporter, partner) };
  if (reporter.value === null || partner.value === null) {
    const state = reporter.value === null && partner.value === null ? 'both-missing' : reporter.value === null ? 'reporter-missing' : 'partner-missing';
    return { ...base, state, partnerAtReporterBasis: null, gap: null, ratio: null };
  }
  const adjusted = atReporterBasis(partner.value, options.reporterFlow, options.margin);
  return {
    ...base,
    state: 'compared',
    partnerAtReporterBasis: adjusted,
    gap: reporter.value - adjusted,
    ratio: reporter.value > 0 ? adjusted / reporter.value : null,
  };
}

/**
 * The ratio month by month as a series detection can score: its y/y log change is the change of
 * the gap. A month is scored only where both sides are known, positive and at least `minValue`
 * (a ratio of two small or zero figures says nothing); a merged January stays `combined`.
 */
export function ratioObservations(months: readonly MirrorMonth[], minValue: number): Observation[] {
  return months.map((m) => {
    if (m.state === 'combined') return { period: m.period, value: null, state: 'combined' as const };
    const scorable = m.ratio !== null && m.ratio > 0 && m.reporterValue! >= minValue && m.partnerValue! >= minValue;
    return scorable ? { period: m.period, value: m.ratio, state: 'published' as const } : { period: m.period, value: null, state: 'not-released' as const };
  });
}

/** One row of a mirror alert's explanation: both sides' figures for a bucket. */
export interface MirrorFigures {
  /** `Mar 2024`, `Jan-Feb 2024`. */
  readonly label: string;
  readonly reporterValue: number;
  readonly partnerValue: number;
  readonly partnerAtReporterBasis: number;
  readonly ratio: number;
}

/** What a mirror alert says besides the score: both sides, now and a year earlier, and the basis. */
export interface MirrorExplanation {
  /** The stored series the mirror stands on (the reporter's side). */
  readonly reporterSeriesId: string;
  /** The partner's report of the same flow. */
  readonly partnerSeriesId: string;
  readonly margin: number;
  readonly reporterValuation: 'FOB' | 'CIF';
  readonly current: MirrorFigures;
  readonly previous: MirrorFigures;
}

/** Both sides' figures of the row at `period`, labelled; undefined where the row compares nothing. */
export function mirrorFiguresAt(months: readonly MirrorMonth[], period: string, label: string): MirrorFigures | undefined {
  const m = months.find((row) => row.period === period);
  if (m?.state !== 'compared' || m.ratio === null) return undefined;
  return { label, reporterValue: m.reporterValue!, partnerValue: m.partnerValue!, partnerAtReporterBasis: m.partnerAtReporterBasis!, ratio: m.ratio };
}
