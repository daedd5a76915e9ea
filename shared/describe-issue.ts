import type * as z from './zod.js';

/**
 * A validation problem as a person reads it: `path: message`, with `whole` standing in for an
 * empty path; for a bad record key, the key's own complaint rather than "Invalid key in record".
 */
export function describeIssue(issue: z.core.$ZodIssue, whole?: string): string {
  const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  const path = issue.path.join('.') || whole;
  return path ? `${path}: ${message}` : message;
}
