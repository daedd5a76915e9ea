import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, buildSync, type BuildOptions, type OutputFile } from 'esbuild';

const APP_DIR = fileURLToPath(new URL('./app/', import.meta.url));

/**
 * How the console is bundled: one ES module and one stylesheet, minified, named by their content's
 * hash (so CloudFront and browsers may keep them for good), and an index.html naming them. The
 * same options serve `tradewatch serve` (in memory) and the stack's BucketDeployment (to a folder
 * at synth, where esbuild runs as it does for the functions).
 */
const OPTIONS = {
  entryPoints: [join(APP_DIR, 'main.tsx')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  minify: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  tsconfig: join(APP_DIR, 'tsconfig.json'),
  entryNames: 'app-[hash]',
  outdir: '/console',
  write: false,
  legalComments: 'none',
  logLevel: 'silent',
} as const satisfies BuildOptions;

/** The files of the built console by path (`/index.html`, `/app-HASH.js`, `/app-HASH.css`). */
export type ConsoleFiles = ReadonlyMap<string, Uint8Array>;

function filesOf(outputs: readonly OutputFile[]): ConsoleFiles {
  const files = new Map<string, Uint8Array>();
  for (const output of outputs) files.set(output.path.slice(OPTIONS.outdir.length), output.contents);
  const named = (extension: string) => [...files.keys()].find((path) => path.endsWith(extension))!.slice(1);
  const page = readFileSync(join(APP_DIR, 'index.html'), 'utf8').replace('{{js}}', named('.js')).replace('{{css}}', named('.css'));
  files.set('/index.html', new TextEncoder().encode(page));
  return files;
}

export async function buildConsole(): Promise<ConsoleFiles> {
  return filesOf((await build(OPTIONS)).outputFiles);
}

/** The console written to `dir`, synchronously: CDK asks for an asset's files while it synthesizes. */
export function buildConsoleInto(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [path, contents] of filesOf(buildSync(OPTIONS).outputFiles)) writeFileSync(join(dir, path), contents);
}

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};
