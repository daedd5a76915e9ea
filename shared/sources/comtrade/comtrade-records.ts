import { countryByM49 } from '../../domain/countries.js';
import { seriesId, type Observation, type SeriesKey } from '../../domain/series.js';
import type { RejectedRecord, SeriesBatch } from '../trade-source.js';
import { COMTRADE_NO_QUANTITY_UNIT, comtradeRecordSchema, type ComtradeRecord } from './comtrade-schema.js';
import { quantitiesField, type Quantities } from '../../domain/quantities.js';
import { SeriesBatcher } from '../series-batcher.js';
import { countryPair, UNKNOWN_COUNTRY } from '../country-pair.js';

export interface ConvertedRecords {
  readonly batches: SeriesBatch[];
  readonly rejected: RejectedRecord[];
}

function valueAt(record: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = record;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  return value;
}

/** The month a raw record is for, where it says (YYYYMM): that month is asked for again. */
function periodOf(raw: unknown): { period?: string } {
  const period = String((raw as { period?: unknown } | undefined)?.period ?? '');
  return /^\d{6}$/.test(period) ? { period: `${period.slice(0, 4)}-${period.slice(4)}` } : {};
}

/**
 * Net weight where netWgt is a number; the quantity where it is a number in a unit (qtyUnitCode
 * not -1 `N/A`). altQty (a second unit, mostly the weight again) and grossWgt are not kept.
 */
function quantitiesOf(record: ComtradeRecord): Quantities | undefined {
  const hasUnit = record.qtyUnitCode != null && record.qtyUnitCode !== COMTRADE_NO_QUANTITY_UNIT && Boolean(record.qtyUnitAbbr) && record.qtyUnitAbbr !== 'N/A';
  return {
    ...(record.netWgt != null ? { netWeight: { kg: record.netWgt, estimated: record.isNetWgtEstimated ?? false } } : {}),
    ...(hasUnit && record.qty != null
      ? { quantity: { amount: record.qty, unitCode: record.qtyUnitCode!, unit: record.qtyUnitAbbr!, estimated: record.isQtyEstimated ?? false } }
      : {}),
  };
}

function toObservation(record: ComtradeRecord): Observation {
  const period = `${record.period.slice(0, 4)}-${record.period.slice(4)}`;
  if (record.primaryValue === null) return { period, value: null, state: 'suppressed' };
  const quantities = quantitiesField(quantitiesOf(record));
  if (record.primaryValue === 0) return { period, value: 0, state: 'zero', ...quantities };
  return { period, value: record.primaryValue, state: 'published', ...quantities };
}

/**
 * Validates Comtrade records one by one and groups the good ones into series. A record that fails
 * is returned with its field, value and reason; it does not stop the others.
 *
 * Kept: total rows (partner2Code 0, motCode 0, customsCode C00), which is what tradewatch asks for,
 * whether Comtrade flags them as reported or as its own aggregate: for cmdCode TOTAL the UN
 * computes the total from reported chapters, and it is the figure the reporter publishes.
 */
export function convertRecords(records: readonly unknown[], where: string): ConvertedRecords {
  const rejected: RejectedRecord[] = [];
  const batcher = new SeriesBatcher();
  records.forEach((raw, index) => {
    const at = `${where} record ${index}`;
    const parsed = comtradeRecordSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      rejected.push({ where: at, field: issue.path.join('.') || '(record)', value: valueAt(raw, issue.path), reason: issue.message, ...periodOf(raw) });
      return;
    }
    const record = parsed.data;
    const breakdown =
      (record.partner2Code ?? 0) !== 0 ? 'partner2Code' : (record.motCode ?? 0) !== 0 ? 'motCode' : (record.customsCode ?? 'C00') !== 'C00' ? 'customsCode' : undefined;
    if (breakdown) {
      rejected.push({ where: at, field: breakdown, value: record[breakdown], reason: 'a breakdown row, not the total that was asked for' });
      return;
    }
    const pair = countryPair(countryByM49, record.reporterCode, record.partnerCode);
    if ('unknown' in pair) {
      const field = `${pair.unknown}Code` as const;
      rejected.push({ where: at, field, value: record[field], reason: UNKNOWN_COUNTRY });
      return;
    }
    const series: SeriesKey = {
      source: 'comtrade',
      ...pair,
      flow: record.flowCode === 'X' ? 'export' : 'import',
      commodity: record.cmdCode,
      currency: 'USD',
    };
    const observation = toObservation(record);
    const earlier = batcher.add(series, observation);
    if (earlier) {
      const id = seriesId(series);
      rejected.push({
        where: at,
        field: 'primaryValue',
        value: record.primaryValue,
        reason: `a second, different row for ${id} ${observation.period} (first: ${earlier.value})`,
        seriesId: id,
        period: observation.period,
      });
    }
  });
  return { batches: batcher.batches(), rejected };
}
