import * as z from 'zod';
import { loadConfig } from '../../config.js';
import { formatChange, formatMoney } from '../../domain/format.js';
import { parseSeriesId } from '../../domain/series.js';
import { periodSchema } from '../../domain/period.js';
import { createStore } from '../../services.js';
import { table, type Out } from './output.js';


function checkPeriod(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const parsed = periodSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${flag} "${value}": ${parsed.error.issues[0]!.message}`);
  return value;
}

function severityFlag(value: string) {
  const parsed = z.enum(['info', 'warning', 'critical']).safeParse(value);
  if (!parsed.success) throw new Error(`--severity "${value}": expected info, warning or critical`);
  return parsed.data;
}

export async function listSeries(options: { reporter?: string }, out: Out): Promise<void> {
  const { series } = createStore(loadConfig());
  const all = await series.listSeries(options.reporter ? { reporter: options.reporter.toUpperCase() } : {});
  if (all.length === 0) {
    out('No series stored yet (is DYNAMODB_ENDPOINT pointing at the right database?).');
    return;
  }
  for (const line of table([
    ['SERIES', 'FROM', 'TO', 'MONTHS'],
    ...all.map((s) => [s.seriesId, s.firstPeriod, s.lastPeriod, String(s.observationCount)]),
  ])) {
    out(line);
  }
}

export async function showSeries(id: string, options: { from?: string; to?: string }, out: Out): Promise<void> {
  const key = parseSeriesId(id);
  const range = { from: checkPeriod(options.from, '--from'), to: checkPeriod(options.to, '--to') };
  const { series } = createStore(loadConfig());
  const observations = await series.getObservations(id, range);
  if (observations.length === 0) throw new Error(`no observations stored for ${id}${range.from || range.to ? ' in that range' : ''}`);
  for (const line of table([
    ['MONTH', 'VALUE', 'STATE', 'REVISIONS'],
    ...observations.map((o) => [
      o.period,
      o.value === null ? '-' : formatMoney(o.value, key.currency),
      o.state,
      String(o.revisions.length),
    ]),
  ])) {
    out(line);
  }
}

export async function listAlerts(options: { since?: string; severity?: string }, out: Out): Promise<void> {
  const severity = options.severity === undefined ? undefined : severityFlag(options.severity);
  const { alerts } = createStore(loadConfig());
  const records = await alerts.list({ ...(options.since ? { since: options.since } : {}), ...(severity ? { severity } : {}) });
  if (records.length === 0) {
    out('No alerts stored.');
    return;
  }
  for (const line of table([
    ['CREATED', 'SEVERITY', 'STATUS', 'NOTICE', 'SERIES', 'BUCKET', 'CHANGE', 'DELIVERED TO'],
    ...records.map((r) => [
      r.createdAt,
      r.severity,
      r.status,
      r.notice,
      r.seriesId,
      r.anomaly.bucketLabel,
      formatChange(r.anomaly.explanation.change),
      Object.keys(r.deliveries).join(' ') || (r.silence ? `silenced: ${r.silence.reason}` : '-'),
    ]),
  ])) {
    out(line);
  }
}
