import { countryByIso3 } from '../domain/countries.js';
import { parsePeriod } from '../domain/period.js';

/** A monthly figure to serve, before it is dressed as a Comtrade record. */
export interface ServedFigure {
  readonly reporter: string;
  readonly partner: string;
  readonly flow: 'export' | 'import';
  readonly period: string;
  readonly value: number | null;
  readonly cmdCode?: string;
  /** Served as netWgt (kg) and isNetWgtEstimated; no weight (null) by default. */
  readonly netWeightKg?: number | null;
  readonly netWeightEstimated?: boolean;
  /** Served as qty, qtyUnitCode, qtyUnitAbbr, isQtyEstimated; none (-1, `N/A`) by default. */
  readonly quantity?: { readonly amount: number; readonly unitCode: number; readonly unit: string; readonly estimated?: boolean };
}

function country(iso3: string) {
  const found = countryByIso3(iso3);
  if (!found) throw new RangeError(`cannot serve figures for unknown country ${iso3}`);
  return found;
}

/**
 * A UN Comtrade v1 monthly record with every field of the real API, in the order and with the JSON
 * types of the recorded responses (../shared/fixtures/comtrade).
 */
export function comtradeMonthlyRecord(figure: ServedFigure): Record<string, unknown> {
  const { year, month } = parsePeriod(figure.period);
  const reporter = country(figure.reporter);
  const partner = country(figure.partner);
  const isExport = figure.flow === 'export';
  const period = `${year}${String(month).padStart(2, '0')}`;
  return {
    typeCode: 'C',
    freqCode: 'M',
    refPeriodId: Number(`${period}01`),
    refYear: year,
    refMonth: month,
    period,
    reporterCode: reporter.m49,
    reporterISO: reporter.iso3,
    reporterDesc: reporter.name,
    flowCode: isExport ? 'X' : 'M',
    flowDesc: isExport ? 'Export' : 'Import',
    partnerCode: partner.m49,
    partnerISO: partner.iso3,
    partnerDesc: partner.name,
    partner2Code: 0,
    partner2ISO: 'W00',
    partner2Desc: 'World',
    classificationCode: 'H6',
    classificationSearchCode: 'HS',
    isOriginalClassification: true,
    cmdCode: figure.cmdCode ?? 'TOTAL',
    cmdDesc: 'All Commodities',
    aggrLevel: 0,
    isLeaf: false,
    customsCode: 'C00',
    customsDesc: 'TOTAL CPC',
    mosCode: '0',
    motCode: 0,
    motDesc: 'TOTAL MOT',
    qtyUnitCode: figure.quantity?.unitCode ?? -1,
    qtyUnitAbbr: figure.quantity?.unit ?? 'N/A',
    qty: figure.quantity?.amount ?? null,
    isQtyEstimated: figure.quantity?.estimated ?? false,
    altQtyUnitCode: -1,
    altQtyUnitAbbr: 'N/A',
    altQty: null,
    isAltQtyEstimated: false,
    netWgt: figure.netWeightKg ?? null,
    isNetWgtEstimated: figure.netWeightEstimated ?? false,
    grossWgt: null,
    isGrossWgtEstimated: false,
    cifvalue: isExport ? null : figure.value,
    fobvalue: isExport ? figure.value : null,
    primaryValue: figure.value,
    legacyEstimationFlag: 0,
    isReported: true,
    isAggregate: false,
  };
}
