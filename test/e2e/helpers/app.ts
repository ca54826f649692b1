/** Starts `lockstep serve` for a test, and keeps every request on 127.0.0.1. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export const ROOT = path.resolve(HERE, '../../..');
export const SHOTS = path.join(ROOT, 'test-artifacts', 'screenshots');

export interface RunningApp {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startApp(opts: { repo?: string; identity?: boolean } = {}): Promise<RunningApp> {
  const dataDir = tempDir('lockstep-e2e-data-');
  const home = tempDir('lockstep-e2e-home-');
  const args = [path.join(ROOT, 'dist/main/cli.cjs'), 'serve', '--no-open', '--port', '0'];
  if (opts.repo) args.push('--repo', opts.repo);
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: home,
    env: Object.fromEntries(
      Object.entries({ ...process.env, LOCKSTEP_DATA_DIR: dataDir, HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'E2E Maintainer', GIT_AUTHOR_EMAIL: 'e2e@example.org' }).filter(
        ([k]) => opts.identity !== false || !k.startsWith('GIT_AUTHOR_') && !k.startsWith('GIT_COMMITTER_'),
      ),
    ),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^Lockstep: (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)$/m.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`lockstep serve exited ${code}: ${stderr}`)));
    setTimeout(() => reject(new Error(`lockstep serve printed no URL: ${out} ${stderr}`)), 20_000);
  });
  return {
    url,
    dataDir,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** Fails the test if the page asks anything of a host other than loopback. */
export function keepOffline(page: Page): string[] {
  const foreign: string[] = [];
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (!['http:', 'ws:', 'data:', 'blob:'].includes(u.protocol) || (u.protocol.startsWith('http') || u.protocol.startsWith('ws') ? !['127.0.0.1', 'localhost'].includes(u.hostname) : false)) {
      if (u.protocol !== 'data:' && u.protocol !== 'blob:') foreign.push(req.url());
    }
  });
  return foreign;
}

export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

export function expectOffline(foreign: string[]): void {
  expect(foreign, 'requests that left 127.0.0.1').toEqual([]);
}
