/** Runs the built `lockstep` CLI (dist/main/cli.cjs) as a user would, capturing its output. */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(REPO_ROOT, 'bin', 'lockstep');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
  /** The signal that ended the process (a fault test's SIGKILL), else null. */
  signal?: NodeJS.Signals | null;
}

export function runCli(args: string[], opts: { input?: string; cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    input: opts.input,
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI expecting success and parses its JSON stdout. */
export function cliJson<T = unknown>(args: string[], opts: { cwd?: string } = {}): T {
  const r = runCli([...args, '--json'], opts);
  if (r.status !== 0) throw new Error(`lockstep ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Like runCli, without blocking the test process (for servers the test itself runs). */
export function runCliAsync(args: string[], opts: { env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status, signal) => resolve({ status: status ?? -1, stdout, stderr, signal }));
  });
}
