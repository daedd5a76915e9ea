import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Every command block of the README, pasted into a shell beside `npm start -- --keep-running`, as
 * a newcomer would: `sh` blocks must exit 0, and transcript blocks (`$ command` then its output)
 * must print exactly what they show. A block that cannot run here says why below; a new block
 * that is neither run nor named here fails the test.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const NOT_RUN_HERE: Record<string, string> = {
  'npm install && npm start': 'installs from the npm registry; `npm start` itself is the demo test',
  'npm test': 'this very suite',
  'npm run bench': 'minutes of benchmarks; `npm run bench` is run on its own',
  'npm run cost': "synthesizes the stack, whose bundler refuses this test's symlinked checkout (entry outside the project root); tests/infra/cost-model.test.ts prices the same watchlists",
  'npm run bench -- list-pages   # only the named cases (the names are in tests/bench/run-benchmarks.ts)': 'a minute of DynamoDB Local writes; the bench runs on its own',
  'npx tradewatch drop ~/customs --watch   # ~/customs/incoming (created if missing), until Ctrl+C': 'runs until Ctrl+C; the drop-folder test watches a folder',
  "npx cdk deploy -c tradewatch='{\"subscribers\":[{\"protocol\":\"email\",\"endpoint\":\"you@example.org\"},{\"protocol\":\"sms\",\"endpoint\":\"+4915112345678\"}],\"comtradeApiKeySecret\":\"tradewatch/comtrade-key\",\"opsEmail\":\"ops@example.org\"}'":
    'deploys to an AWS account; the stack tests synthesize the same settings',
};

interface Command {
  readonly line: string;
  /** For a transcript block: what the command prints. */
  readonly output?: string;
}

/** The README's command blocks: each `sh` block's lines, and each transcript's commands with their output. */
function readmeCommands(readme: string): Command[] {
  const commands: Command[] = [];
  for (const [, lang, body] of readme.matchAll(/^ *```(\w*)\n([\s\S]*?)^ *```/gm)) {
    const lines = body!.split('\n').map((line) => line.trim());
    if (lang === 'sh') {
      commands.push(...lines.filter((line) => line !== '').map((line) => ({ line })));
    } else if (lines[0]?.startsWith('$ ')) {
      let current: { line: string; output: string[] } | undefined;
      for (const line of body!.split('\n')) {
        if (line.startsWith('$ ')) {
          if (current) commands.push({ line: current.line, output: current.output.join('\n') });
          current = { line: line.slice(2), output: [] };
        } else if (line !== '') current!.output.push(line);
      }
      if (current) commands.push({ line: current.line, output: current.output.join('\n') });
    }
  }
  return commands;
}

describe('the README, pasted', () => {
  const commands = readmeCommands(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  // The repository as a fresh checkout sees it, in a folder of its own: the demo's .tradewatch state stays there.
  const dir = mkdtempSync(join(tmpdir(), 'tradewatch-readme-'));
  let demo: ChildProcess | undefined;

  beforeAll(async () => {
    for (const entry of readdirSync(ROOT)) if (entry !== '.tradewatch' && entry !== '.git') symlinkSync(join(ROOT, entry), join(dir, entry));
    demo = spawn('npx', ['tsx', 'shared/cli/tradewatch.ts', 'demo', '--keep-running'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let printed = '';
    await new Promise<void>((resolve, reject) => {
      demo!.stdout!.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        if (printed.includes('Press Ctrl+C to stop.')) resolve();
      });
      demo!.once('exit', (code) => reject(new Error(`npm start -- --keep-running ended (${code}) before it was ready:\n${printed}`)));
    });
  }, 180_000);

  afterAll(async () => {
    if (demo?.pid) {
      process.kill(-demo.pid, 'SIGINT');
      await new Promise((resolve) => demo!.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('names a reason for every block it does not run, and no reason for a block that is gone', () => {
    const lines = new Set(commands.map((c) => c.line));
    expect(Object.keys(NOT_RUN_HERE).filter((line) => !lines.has(line))).toEqual([]);
    expect(commands.filter((c) => !(c.line in NOT_RUN_HERE)).length).toBeGreaterThanOrEqual(8);
  });

  for (const command of commands.filter((c) => !(c.line in NOT_RUN_HERE))) {
    it(`runs ${command.line}`, () => {
      // A newcomer's shell: no store or topic named in the environment, so the commands find the demo's.
      const { DYNAMODB_ENDPOINT, TABLE_NAME, ALERT_TOPIC_ARN, SNS_ENDPOINT, ...env } = process.env;
      const run = spawnSync('bash', ['-c', command.line], { cwd: dir, encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 1024 * 1024, env: { ...env, HOME: dir } });
      expect(run.status, `${command.line}\n${run.stdout}\n${run.stderr}`).toBe(0);
      if (command.output !== undefined) expect(run.stdout.trimEnd().split('\n').map((line) => line.trimEnd()).join('\n')).toBe(command.output);
    }, 300_000);
  }
});
