import type * as z from '../../zod.js';

export type Out = (line: string) => void;

/** A CSV field, quoted when it holds a comma, a quote or a line break; objects as JSON. */
export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Left-aligned columns, for terminal tables. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

/** A flag's bad value as the person typed it: `--run-key "…": reason` (option names are camelCase, flags kebab-case). */
export function flagError(issue: z.core.$ZodIssue, raw: Readonly<Record<string, unknown>>): Error {
  const name = String(issue.path[0] ?? '');
  const flag = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return new Error(`--${flag} "${String(raw[name])}": ${issue.message}`);
}
