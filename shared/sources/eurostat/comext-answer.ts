import { parse } from 'csv-parse/sync';
import * as z from '../../zod.js';
import { MalformedBodyError } from '../http/resilient-http.js';

/** An SDMX-CSV row as read, with its line for rejection reports. */
export type CsvRow = { record: Record<string, string>; line: number };

/**
 * What a Comext data call answers: the rows (SDMX-CSV), or, for an extraction Eurostat prepares
 * asynchronously, the key to poll. The asynchronous answer is a SOAP envelope whose
 * `syncResponse/queued` holds the key (`id`) and the status SUBMITTED.
 */
export type DataAnswer = { readonly rows: CsvRow[] } | { readonly queued: string };

const asyncKeySchema = z.string().check(z.regex(/^[A-Za-z0-9-]{8,64}$/, 'expected an asynchronous request key'));

export function parseDataAnswer(body: string): DataAnswer {
  const text = body.replace(/^\uFEFF/, '').trimStart();
  if (!text.startsWith('<')) return { rows: parseSdmxCsv(body) };
  const queued = /<(?:[\w-]+:)?queued\b[^>]*>[\s\S]*?<(?:[\w-]+:)?(?:id|key)>\s*([^<\s]+)\s*</.exec(text)?.[1];
  const key = asyncKeySchema.safeParse(queued);
  if (!key.success) throw new MalformedBodyError(`an XML answer with neither data nor an asynchronous key: ${text.slice(0, 160)}`);
  return { queued: key.data };
}

/** The statuses an asynchronous request goes through (async/status/{key}). */
export const asyncStatusSchema = z.enum(['SUBMITTED', 'PROCESSING', 'AVAILABLE', 'EXPIRED']);
export type AsyncStatus = z.infer<typeof asyncStatusSchema>;

/** The status in an async/status answer: `asyncResponse/status/status` (the inner element holds only the word). */
export function parseAsyncStatus(body: string): AsyncStatus {
  const word = /<(?:[\w-]+:)?status>\s*([A-Z_]+)\s*<\/(?:[\w-]+:)?status>/.exec(body)?.[1];
  const status = asyncStatusSchema.safeParse(word);
  if (!status.success) throw new MalformedBodyError(`not an asynchronous status answer (status "${word ?? 'missing'}"): ${body.replace(/\s+/g, ' ').slice(0, 160)}`);
  return status.data;
}

function parseSdmxCsv(body: string): CsvRow[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(body, { columns: true, info: true, skip_empty_lines: true, bom: true });
  } catch (error) {
    throw new MalformedBodyError(`the body is not readable SDMX-CSV (${(error as Error).message})`);
  }
  if (records.length > 0 && !('OBS_VALUE' in records[0]!.record)) throw new MalformedBodyError('the SDMX-CSV has no OBS_VALUE column');
  return records.map(({ record, info }) => ({ record, line: info.lines }));
}

/**
 * SDMX-CSV's `LAST UPDATE` (`20/03/24 23:00:00`, day/month/year) as an ISO time, for comparing
 * releases; undefined when the column is missing or not in that form.
 */
export function lastUpdateOf(row: CsvRow): string | undefined {
  const match = /^(\d{2})\/(\d{2})\/(\d{2}) (\d{2}:\d{2}:\d{2})$/.exec((row.record['LAST UPDATE'] ?? '').trim());
  return match ? `20${match[3]}-${match[2]}-${match[1]}T${match[4]}` : undefined;
}
