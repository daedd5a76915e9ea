import { COMMODITY_SELECTION, rowsPerSeriesMonth } from '../../domain/commodity.js';
import { countryByIso3 } from '../../domain/countries.js';
import { parsePeriod, type Period } from '../../domain/period.js';
import type { SourceRequest } from '../trade-source.js';
import { COMTRADE_FLOW_CODES } from './comtrade-schema.js';

/** The R client's safe chunk: more periods per call risk the records cap and long URLs. */
export const MAX_PERIODS_PER_CALL = 12;
export const MAX_URL_LENGTH = 4096;
/** Records one call may return: the keyless preview's cap, and a key's. */
export const PREVIEW_RECORD_CAP = 500;
export const KEYED_RECORD_CAP = 100_000;

/** A data call's URL: the keyed endpoint, or the keyless preview. */
export function comtradeDataUrl(baseUrl: string, keyed: boolean, params: Record<string, string>): string {
  const path = keyed ? '/data/v1/get/C/M/HS' : '/public/v1/preview/C/M/HS';
  return `${baseUrl}${path}?${new URLSearchParams(params).toString()}`;
}

/** One planned call: a reporter, some partners, some months. */
export interface PlannedCall {
  readonly reporterCode: number;
  readonly partnerCodes: readonly number[];
  readonly flowCodes: readonly string[];
  readonly periods: readonly Period[];
  readonly cmdCode: string;
}

/** UN Comtrade answers a malformed parameter with an empty result, so everything is checked first. */
export class InvalidRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}

export function m49(iso3: string, role: 'reporter' | 'partner'): number {
  const country = countryByIso3(iso3);
  if (!country) throw new InvalidRequestError(`unknown ${role} "${iso3}": not in UN Comtrade's reference list of countries`);
  return country.m49;
}

export function callParams(call: PlannedCall, recordCap: number): Record<string, string> {
  return {
    reporterCode: String(call.reporterCode),
    partnerCode: call.partnerCodes.join(','),
    period: call.periods.map((p) => p.replace('-', '')).join(','),
    flowCode: call.flowCodes.join(','),
    cmdCode: call.cmdCode,
    customsCode: 'C00',
    motCode: '0',
    partner2Code: '0',
    includeDesc: 'true',
    maxRecords: String(recordCap),
  };
}

/**
 * Splits a request into calls of at most 12 months each, all partners and flows together; a call
 * whose URL would pass 4096 characters, or whose answer could pass the records cap (a level such
 * as AG6 answers up to 5,609 rows per partner, flow and month), is halved (by partners, then by
 * months, then by flows) until it fits.
 */
export function planCalls(request: SourceRequest, urlOf: (call: PlannedCall) => string, recordCap: number): PlannedCall[] {
  if (request.partners.length === 0) throw new InvalidRequestError('no partners to fetch');
  if (request.flows.length === 0) throw new InvalidRequestError('no flows to fetch');
  if (!COMMODITY_SELECTION.test(request.commodity)) {
    throw new InvalidRequestError(`commodity "${request.commodity}" is neither TOTAL, an HS code of 2 to 6 digits, AG2, AG4, AG6 nor a list of HS codes`);
  }
  for (const period of request.periods) {
    try {
      parsePeriod(period);
    } catch {
      throw new InvalidRequestError(`period "${period}" is not a month in the form YYYY-MM`);
    }
  }
  const reporterCode = m49(request.reporter, 'reporter');
  const partnerCodes = request.partners.map((p) => m49(p, 'partner'));
  const flowCodes = request.flows.map((f) => COMTRADE_FLOW_CODES[f]);
  const periods = [...new Set(request.periods)].sort();

  const calls: PlannedCall[] = [];
  for (let i = 0; i < periods.length; i += MAX_PERIODS_PER_CALL) {
    const chunk = periods.slice(i, i + MAX_PERIODS_PER_CALL);
    const call = { reporterCode, partnerCodes, flowCodes, periods: chunk, cmdCode: request.commodity };
    calls.push(...splitForRecordCap(call, recordCap).flatMap((fitting) => splitForUrlLength(fitting, urlOf)));
  }
  return calls;
}

/** The most rows a call can answer with. */
export function mostRows(call: PlannedCall): number {
  return call.partnerCodes.length * call.flowCodes.length * call.periods.length * rowsPerSeriesMonth(call.cmdCode);
}

/** Halves a call until its answer fits the records cap; a call for one partner, flow and month stays as it is (the source then checks its answer). */
function splitForRecordCap(call: PlannedCall, recordCap: number): PlannedCall[] {
  if (mostRows(call) <= recordCap) return [call];
  const halves = splitCall(call);
  return halves.length === 0 ? [call] : halves.flatMap((half) => splitForRecordCap(half, recordCap));
}

function splitForUrlLength(call: PlannedCall, urlOf: (call: PlannedCall) => string): PlannedCall[] {
  const url = urlOf(call);
  if (url.length <= MAX_URL_LENGTH) return [call];
  const halves = splitCall(call);
  if (halves.length === 0) {
    throw new InvalidRequestError(`a call for one partner and one month is still ${url.length} characters long (limit ${MAX_URL_LENGTH}): shorten the base URL`);
  }
  return halves.flatMap((half) => splitForUrlLength(half, urlOf));
}

/** Halves a call: by partners while there are several, else by months, else by flows; [] for one partner, month and flow. */
export function splitCall(call: PlannedCall): [PlannedCall, PlannedCall] | [] {
  if (call.partnerCodes.length > 1) {
    const mid = Math.ceil(call.partnerCodes.length / 2);
    return [
      { ...call, partnerCodes: call.partnerCodes.slice(0, mid) },
      { ...call, partnerCodes: call.partnerCodes.slice(mid) },
    ];
  }
  if (call.periods.length > 1) {
    const mid = Math.ceil(call.periods.length / 2);
    return [
      { ...call, periods: call.periods.slice(0, mid) },
      { ...call, periods: call.periods.slice(mid) },
    ];
  }
  if (call.flowCodes.length > 1) {
    const mid = Math.ceil(call.flowCodes.length / 2);
    return [
      { ...call, flowCodes: call.flowCodes.slice(0, mid) },
      { ...call, flowCodes: call.flowCodes.slice(mid) },
    ];
  }
  return [];
}
