import { join } from 'node:path';
import { processDroppedFile, type DropDependencies, type DropOutcome } from '../ingest/drop-file.js';
import type { LocalDropFolder } from '../ingest/local-drop-folder.js';

type Out = (line: string) => void;

/** What a person reads about one file: where it went, and its report. */
export function describeDropOutcome(folder: LocalDropFolder, outcome: DropOutcome): string[] {
  if (outcome.outcome === 'gone') return [`${outcome.name}: not in incoming/ any more (handled already); nothing done.`];
  const to = join(folder.dir, outcome.outcome, outcome.name);
  return [`${outcome.name} → ${to} (report ${to}.report.txt)`, ...outcome.report.trimEnd().split('\n').map((line) => (line ? `  ${line}` : line))];
}

/**
 * Every CSV waiting in incoming/, one at a time in name order. A file that fails (the table or the
 * topic unreachable) stays in incoming/ and is listed in `failed`; the others go on.
 */
export async function processWaitingFiles(folder: LocalDropFolder, deps: DropDependencies, out: Out, names?: readonly string[]): Promise<{ handled: number; failed: string[] }> {
  const failed: string[] = [];
  let handled = 0;
  for (const name of names ?? (await folder.waiting()).map((file) => file.name)) {
    try {
      for (const line of describeDropOutcome(folder, await processDroppedFile(name, folder, deps))) out(line);
      handled++;
    } catch (error) {
      out(`${name}: failed, left in incoming/: ${(error as Error).message}`);
      failed.push(name);
    }
  }
  return { handled, failed };
}

export interface DropWatcher {
  /** Stops watching once the file in hand (if any) is settled. */
  stop(): Promise<void>;
}

/** How often incoming/ is looked at. */
const POLL_MS = 1_000;
/** A file that failed is tried again after this long, or as soon as it changes. */
const RETRY_AFTER_MS = 30_000;

/**
 * Watches incoming/ until stopped. A file is taken once its size and modification time held still
 * between two looks, so one still being copied in is not read half-written. Polling rather than
 * fs.watch: it behaves the same on every file system (network and container mounts included).
 */
export function watchDropFolder(folder: LocalDropFolder, deps: DropDependencies, out: Out, timing = { pollMs: POLL_MS, retryAfterMs: RETRY_AFTER_MS }): DropWatcher {
  const lastSeen = new Map<string, string>();
  const failedAt = new Map<string, { at: number; version: string }>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const look = async () => {
    const ready: string[] = [];
    const waiting = await folder.waiting();
    for (const file of waiting) {
      const version = `${file.size}:${file.modifiedMs}`;
      const failed = failedAt.get(file.name);
      const settledDown = lastSeen.get(file.name) === version;
      lastSeen.set(file.name, version);
      if (!settledDown) continue;
      if (failed && failed.version === version && Date.now() - failed.at < timing.retryAfterMs) continue;
      ready.push(file.name);
    }
    for (const name of [...lastSeen.keys()]) if (!waiting.some((file) => file.name === name)) lastSeen.delete(name);
    for (const name of ready) {
      if (stopped) return;
      const { failed } = await processWaitingFiles(folder, deps, out, [name]);
      if (failed.length > 0) failedAt.set(name, { at: Date.now(), version: lastSeen.get(name)! });
      else failedAt.delete(name);
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = look()
        .catch((error: Error) => out(`drop folder ${folder.dir}: ${error.message}`))
        .finally(schedule);
    }, timing.pollMs);
  };
  schedule();

  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
