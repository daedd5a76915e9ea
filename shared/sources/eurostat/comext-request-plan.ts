import { addMonths, parsePeriod, type Period } from '../../domain/period.js';
import type { StoredFlow } from '../../domain/series.js';
import { InvalidRequestError, MAX_PERIODS_PER_CALL, MAX_URL_LENGTH } from '../comtrade/request-plan.js';
import type { SourceRequest } from '../trade-source.js';
import { comextCode } from './comext-codes.js';

export const COMEXT_DATASET = 'DS-045409';
export const COMEXT_INDICATOR = 'VALUE_IN_EUROS';
export const COMEXT_FLOW_CODES: Readonly<Record<StoredFlow, string>> = { import: '1', export: '2' };
const DATA_PATH = `/eurostat/api/comext/dissemination/sdmx/2.1/data/${COMEXT_DATASET}`;

/** Comext products tradewatch asks for: TOTAL, or HS codes of 2 to 6 digits (one, or a comma list). */
const PRODUCTS = /^(TOTAL|\d{2,6}(,\d{2,6})*)$/;

/** One Comext data call, in Comext's own codes: `M.reporter.partners.products.flows.VALUE_IN_EUROS` over some months. */
export interface ComextCall {
  readonly reporter: string;
  readonly partners: readonly string[];
  readonly products: readonly string[];
  readonly flows: readonly string[];
  readonly periods: readonly Period[];
}

/** The key of a call: several values of a dimension joined with `+`. */
export function comextKey(call: Pick<ComextCall, 'reporter' | 'partners' | 'products' | 'flows'>): string {
  return ['M', call.reporter, call.partners.join('+'), call.products.join('+'), call.flows.join('+'), COMEXT_INDICATOR].join('.');
}

/** The SDMX 2.1 data URL of a call, answered in SDMX-CSV. */
export function comextDataUrl(baseUrl: string, call: ComextCall): string {
  const query = new URLSearchParams({ format: 'SDMX-CSV', startPeriod: call.periods[0]!, endPeriod: call.periods.at(-1)! });
  return `${baseUrl}${DATA_PATH}/${comextKey(call)}?${query.toString()}`;
}

/** A call's key with only each series' latest month: what the release check asks (one row a series, with its LAST UPDATE). */
export function comextLatestUrl(baseUrl: string, call: Omit<ComextCall, 'periods'>): string {
  return `${baseUrl}${DATA_PATH}/${comextKey(call)}?${new URLSearchParams({ format: 'SDMX-CSV', lastNObservations: '1' }).toString()}`;
}

/** The request in Comext's codes, checked before anything is sent. */
export function comextSelection(request: SourceRequest): Omit<ComextCall, 'periods'> & { periods: Period[] } {
  if (request.partners.length === 0) throw new InvalidRequestError('no partners to fetch');
  if (request.flows.length === 0) throw new InvalidRequestError('no flows to fetch');
  if (!PRODUCTS.test(request.commodity)) {
    throw new InvalidRequestError(`commodity "${request.commodity}" is not one Eurostat Comext is asked for here: TOTAL, an HS code of 2 to 6 digits or a list of them (no AG2/AG4/AG6 levels)`);
  }
  for (const period of request.periods) {
    try {
      parsePeriod(period);
    } catch {
      throw new InvalidRequestError(`period "${period}" is not a month in the form YYYY-MM`);
    }
  }
  return {
    reporter: comextCode(request.reporter, 'reporter'),
    partners: request.partners.map((p) => comextCode(p, 'partner')),
    products: request.commodity.split(','),
    flows: request.flows.map((f) => COMEXT_FLOW_CODES[f]),
    periods: [...new Set(request.periods)].sort(),
  };
}

/**
 * The calls for a request: at most 12 months each (a backfill chunk is one call), all partners, flows and
 * products together, halved while the URL is too long. Comext's own limit, the number of cells an
 * extraction may hold, is not published per dataset: an answer of 413 is split then (splitComextCall).
 */
export function planComextCalls(request: SourceRequest, baseUrl: string): ComextCall[] {
  const { periods, ...selection } = comextSelection(request);
  return spans(periods).flatMap((chunk) => fitUrl({ ...selection, periods: chunk }, baseUrl));
}

/** Sorted months in runs spanning at most 12 calendar months: a call asks for a range (startPeriod..endPeriod), not a list. */
function spans(periods: readonly Period[]): Period[][] {
  const chunks: Period[][] = [];
  for (const period of periods) {
    const current = chunks.at(-1);
    if (current && period <= addMonths(current[0]!, MAX_PERIODS_PER_CALL - 1)) current.push(period);
    else chunks.push([period]);
  }
  return chunks;
}

function fitUrl(call: ComextCall, baseUrl: string): ComextCall[] {
  const url = comextDataUrl(baseUrl, call);
  if (url.length <= MAX_URL_LENGTH) return [call];
  const halves = splitComextCall(call);
  if (halves.length === 0) throw new InvalidRequestError(`a Comext call for one partner and one month is still ${url.length} characters long (limit ${MAX_URL_LENGTH}): shorten the base URL`);
  return halves.flatMap((half) => fitUrl(half, baseUrl));
}

/** Halves a call: by partners while there are several, else by months, else by flows, else by products; [] when it asks for one of each. */
export function splitComextCall(call: ComextCall): [ComextCall, ComextCall] | [] {
  for (const dimension of ['partners', 'periods', 'flows', 'products'] as const) {
    const values = call[dimension];
    if (values.length > 1) {
      const mid = Math.ceil(values.length / 2);
      return [
        { ...call, [dimension]: values.slice(0, mid) },
        { ...call, [dimension]: values.slice(mid) },
      ];
    }
  }
  return [];
}
