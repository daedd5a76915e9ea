import { cliConfig } from '../store-target.js';
import { silenceSchema } from '../../domain/alerts/silence.js';
import * as z from '../../zod.js';
import { parseInstant } from '../../domain/instant.js';
import { createStore } from '../../wiring.js';
import { table, type Out } from './output.js';

/** `2024-06-30` silences through the end of that day (UTC); a full ISO time is taken as it is. */
export function parseUntil(value: string, now: Date): string {
  // A number of days from now (`90d`) keeps a pasted example valid whenever it is pasted.
  const days = /^(\d{1,4})d$/.exec(value);
  if (days) {
    if (Number(days[1]) === 0) throw new Error(`--until "${value}": at least 1d`);
    return new Date(now.getTime() + Number(days[1]) * 86_400_000).toISOString();
  }
  const parsed = parseInstant(value, 'end');
  if (typeof parsed === 'string') throw new Error(`--until "${value}": ${parsed}`);
  if (parsed <= now) throw new Error(`--until "${value}" is already past: a silence must end in the future`);
  return parsed.toISOString();
}

export async function addSilence(options: { series: string; until: string; reason: string }, out: Out, now = new Date()): Promise<void> {
  const until = parseUntil(options.until, now);
  const check = z.pick(silenceSchema, { series: true, reason: true }).safeParse(options);
  if (!check.success) {
    const issue = check.error.issues[0]!;
    throw new Error(`--${String(issue.path[0])} "${String(options[issue.path[0] as 'series' | 'reason'])}": ${issue.message}`);
  }
  const { silences } = createStore(cliConfig());
  const silence = await silences.add({ series: options.series, until, reason: options.reason }, now);
  out(`Silence ${silence.id} added: ${silence.series} until ${silence.until} (${silence.reason}).`);
  out('Matching anomalies are stored, not sent, until then.');
}

export async function listSilences(out: Out, now = new Date()): Promise<void> {
  const { silences } = createStore(cliConfig());
  const all = await silences.list();
  if (all.length === 0) {
    out('No silences.');
    return;
  }
  const at = now.toISOString();
  for (const line of table([
    ['ID', 'SERIES', 'UNTIL', 'STATE', 'REASON'],
    ...all.map((s) => [s.id, s.series, s.until, s.until > at ? 'active' : 'ended', s.reason]),
  ])) {
    out(line);
  }
}

export async function removeSilence(id: string, out: Out): Promise<void> {
  const { silences } = createStore(cliConfig());
  if (!(await silences.remove(id))) throw new Error(`no silence with id ${id} (see: tradewatch silence list)`);
  out(`Silence ${id} removed.`);
}
