import { copyFile, mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DropFolder } from './drop-file.js';

export const DROP_SUBFOLDERS = ['incoming', 'done', 'rejected'] as const;

const isCsv = (name: string) => /\.csv$/i.test(name);

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** A drop folder on this machine: DIR/incoming, DIR/done, DIR/rejected (created when missing). */
export class LocalDropFolder implements DropFolder {
  constructor(readonly dir: string) {}

  async create(): Promise<void> {
    for (const sub of DROP_SUBFOLDERS) await mkdir(join(this.dir, sub), { recursive: true });
  }

  /** The CSV files waiting in incoming/, by name, in name order. */
  async waiting(): Promise<{ name: string; size: number; modifiedMs: number }[]> {
    const entries = await readdir(join(this.dir, 'incoming'), { withFileTypes: true });
    const files = [];
    for (const entry of entries.filter((e) => e.isFile() && isCsv(e.name)).sort((a, b) => a.name.localeCompare(b.name))) {
      try {
        const { size, mtimeMs } = await stat(join(this.dir, 'incoming', entry.name));
        files.push({ name: entry.name, size, modifiedMs: mtimeMs });
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    return files;
  }

  async fetch(name: string, path: string): Promise<boolean> {
    try {
      await copyFile(join(this.dir, 'incoming', name), path);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async settle(name: string, outcome: 'done' | 'rejected', report: string): Promise<void> {
    await mkdir(join(this.dir, outcome), { recursive: true });
    await writeFile(join(this.dir, outcome, `${name}.report.txt`), report);
    await rename(join(this.dir, 'incoming', name), join(this.dir, outcome, name));
  }
}
