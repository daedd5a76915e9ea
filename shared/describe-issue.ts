import type * as z from './zod.js';

/**
 * A validation problem as a person reads it: `path: message`, with `whole` standing in for an
 * empty path; for a bad record key, the key's own complaint rather than "Invalid key in record".
 */
export function describeIssue(issue: z.core.$ZodIssue, whole?: string): string {
  // A union with a message of its own keeps it; zod's bare "Invalid input" gives way to a branch's complaint.
  const branch = issue.code === 'invalid_union' && issue.message === 'Invalid input' ? tellingBranch(issue) : undefined;
  if (branch) return describeIssue({ ...branch, path: [...issue.path, ...branch.path] }, whole);
  const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  const path = issue.path.join('.') || whole;
  return path ? `${path}: ${message}` : message;
}

/**
 * For "Invalid input" from a union (`"*"` or a list of codes), the complaint of the branch that
 * got furthest: one that is not merely about the value's type or literal, else none.
 */
function tellingBranch(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue | undefined {
  const candidates = issue.errors.flat().filter((nested) => nested.code !== 'invalid_type' && nested.code !== 'invalid_value');
  return candidates.sort((a, b) => b.path.length - a.path.length)[0];
}
