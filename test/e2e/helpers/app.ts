/**
 * Starts the browser host for a test (`node dist/main/cli.cjs serve --no-open --port 0`) with its
 * own data folder and home, reads the URL from its first stdout line, and stops it after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export const ROOT = path.resolve(HERE, '../../..');
export const SHOTS = path.join(ROOT, 'test-artifacts', 'screenshots');
/** The smallest window the app supports and a large one: every layout check runs at both. */
export const WINDOW_SIZES = [
  [1024, 700],
  [1920, 1080],
] as const;
const CLI = path.join(ROOT, 'dist/main/cli.cjs');

export interface RunningApp {
  /** The URL `lockstep serve` printed, with the run's token. */
  url: string;
  /** The same URL with a view's hash: `app.at('#/diff?from=a&to=b')`. */
  at(hash: string): string;
  dataDir: string;
  /** The host's HOME (and XDG_CONFIG_HOME): where git's global config lives. */
  home: string;
  stop(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** `env`: extra environment for the host (LOCKSTEP_BODHI_URL...); `settings`: written as the data folder's settings.json before start. */
export async function startApp(opts: { repo?: string; identity?: boolean; env?: Record<string, string>; settings?: Record<string, unknown>; home?: string } = {}): Promise<RunningApp> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run node build/build-main.mjs (and npx vite build) first`);
  if (!fs.existsSync(path.join(ROOT, 'dist/renderer/index.html'))) throw new Error('dist/renderer is missing: run npx vite build first');
  const dataDir = tempDir('lockstep-e2e-data-');
  const home = opts.home ?? tempDir('lockstep-e2e-home-');
  // The build pool is a closed local port unless a test serves one: the form checks the pool with
  // every preview, and a test never reaches for the internet.
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ buildPoolRepos: ['http://127.0.0.1:9/pool/$basearch/'], ...opts.settings }));
  const args = [CLI, 'serve', '--no-open', '--port', '0'];
  if (opts.repo) args.push('--repo', opts.repo);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOCKSTEP_DATA_DIR: dataDir,
    HOME: home,
    XDG_CONFIG_HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'E2E Maintainer',
    GIT_AUTHOR_EMAIL: 'e2e@example.org',
    ...opts.env,
  };
  if (opts.identity === false) for (const k of Object.keys(env)) if (k.startsWith('GIT_AUTHOR_') || k.startsWith('GIT_COMMITTER_')) delete env[k];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`lockstep serve printed no URL in 20 s: ${out} ${stderr}`)), 20_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const first = out.split('\n')[0];
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      const m = /^Lockstep: (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)$/.exec(first);
      if (m) resolve(m[1]);
      else reject(new Error(`unexpected first line from lockstep serve: ${first}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`lockstep serve exited ${code}: ${stderr}`));
    });
  });
  return {
    url,
    at: (hash) => `${url}${hash}`,
    dataDir,
    home,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/**
 * Clicks "Save draft" once every preview's build-pool check has answered. The answer adds its
 * rows above the button, and a click during that shift lands on whatever moved under it (CI saw
 * identity.spec's second save do nothing, its pool answer landing as it clicked).
 */
export async function saveDraft(page: Page): Promise<void> {
  await expect(page.getByTestId('availability').filter({ hasNot: page.locator('[data-testid="availability-summary"], [data-testid="availability-error"]') })).toHaveCount(0);
  await page.getByTestId('save-draft').click();
}

/** Keeps a screenshot of the page as a test artifact (test-artifacts/screenshots/<name>.png). */
export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/** Runs the `lockstep` CLI (a second writer beside the app, as a maintainer's terminal would). */
export function lockstepCli(args: string[], env: Record<string, string> = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}
