import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRepo } from '../../../main/services/demo';
import { REPO_ROOT } from '../../helpers/cli';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const CLI = path.join(REPO_ROOT, 'dist/main/cli.cjs');
const FIRST_LINE = /^Lockstep: http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+$/;

interface Served {
  child: ChildProcessWithoutNullStreams;
  first: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const running: ChildProcessWithoutNullStreams[] = [];

/** Starts `lockstep serve` and resolves with its first stdout line. */
function serve(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], {
    cwd: opts.cwd ?? makeTempDir('lockstep-serve-cwd-'),
    env: { ...process.env, LOCKSTEP_DATA_DIR: makeTempDir('lockstep-serve-data-'), ...opts.env },
  });
  running.push(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no first line in 20 s; stderr: ${err}`)), 20_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      resolve({ child, first: out.split('\n')[0], stderr: () => err, exited });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`lockstep serve exited ${code}: ${err}`), { code, stderr: err }));
    });
  });
}

function post(url: string, channel: string, token: string, req?: unknown): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const r = http.request({ host: u.hostname, port: u.port, method: 'POST', path: `/api/${channel}`, headers: { 'X-Lockstep-Token': token, 'Content-Type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    r.on('error', reject);
    r.end(JSON.stringify({ req }));
  });
}

describe('lockstep serve', () => {
  beforeAll(() => {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'build/build-main.mjs')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  });
  afterEach(() => {
    for (const c of running.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  });

  it('prints the URL with its token first, answers calls with it, and stops on SIGTERM', async () => {
    const s = await serve(['--no-open', '--port', '0']);
    expect(s.first).toMatch(FIRST_LINE);
    const url = s.first.slice('Lockstep: '.length);
    const token = new URL(url).searchParams.get('token')!;
    const info = await post(url, 'app:info', token);
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body)).toMatchObject({ ok: true, value: { host: 'browser', version: expect.any(String) } });
    // Started outside any repo: the welcome screen, no repo open.
    expect(JSON.parse((await post(url, 'repo:current', token)).body)).toEqual({ ok: true, value: null });
    expect((await post(url, 'app:info', 'wrong')).status).toBe(401);
    expect(s.stderr()).not.toContain(token);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('stops cleanly on SIGINT', async () => {
    const s = await serve(['--no-open']);
    expect(s.first).toMatch(FIRST_LINE);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
  });

  it('starts with no repo when the current folder is a git repo but not a config repo', async () => {
    const dir = makeTempDir('lockstep-serve-git-');
    spawnSync('git', ['init', '-q', dir]);
    const s = await serve(['--no-open'], { cwd: dir });
    const url = s.first.slice('Lockstep: '.length);
    expect(JSON.parse((await post(url, 'repo:current', new URL(url).searchParams.get('token')!)).body)).toEqual({ ok: true, value: null });
  });

  it('opens the --repo it is given before printing the URL', async () => {
    const dir = path.join(makeTempDir('lockstep-serve-demo-'), 'config');
    await createDemoRepo(dir);
    const s = await serve(['--no-open', '--repo', dir]);
    const url = s.first.slice('Lockstep: '.length);
    const current = JSON.parse((await post(url, 'repo:current', new URL(url).searchParams.get('token')!)).body);
    expect(current).toMatchObject({ ok: true, value: { dir } });
    expect(current.value.streams.length).toBeGreaterThan(0);
  });

  it('refuses a --repo that is not a config repo, and a bad --port, with exit 2', async () => {
    const plain = makeTempDir('lockstep-serve-plain-');
    spawnSync('git', ['init', '-q', plain]);
    const notConfig = await serve(['--no-open', '--repo', plain]).catch((e: { code: number; stderr: string }) => e);
    expect(notConfig).toMatchObject({ code: 2 });
    expect((notConfig as { stderr: string }).stderr).toMatch(/^lockstep: .*manifest-lock/);
    const missing = await serve(['--no-open', '--repo', path.join(makeTempDir(), 'nope')]).catch((e: { code: number; stderr: string }) => e);
    expect(missing).toMatchObject({ code: 2 });
    expect((missing as { stderr: string }).stderr).toMatch(/^lockstep: .*no such folder/);
    const port = await serve(['--no-open', '--port', 'eighty']).catch((e: { code: number; stderr: string }) => e);
    expect(port).toMatchObject({ code: 2 });
  });

  it('opens the browser on a page only the user can read, never with the token on its command line', async () => {
    const bin = makeTempDir('lockstep-fake-browser-');
    const argsFile = path.join(bin, 'args');
    // Records its command line as another local user would see it in ps.
    fs.writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\n`, { mode: 0o755 });
    const data = makeTempDir('lockstep-serve-data-');
    const s = await serve(['--port', '0'], { env: { DISPLAY: ':99', PATH: `${bin}:${process.env.PATH}`, LOCKSTEP_DATA_DIR: data } });
    expect(s.first).toMatch(FIRST_LINE);
    const token = new URL(s.first.slice('Lockstep: '.length)).searchParams.get('token')!;
    await expect.poll(() => fs.existsSync(argsFile), { timeout: 5000 }).toBe(true);
    const args = fs.readFileSync(argsFile, 'utf8');
    expect(args).not.toContain(token);
    const page = fileURLToPath(args.trim());
    expect(fs.statSync(page).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(page)).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(page, 'utf8')).toContain(`url=${s.first.slice('Lockstep: '.length)}`);
    s.child.kill('SIGTERM');
    await s.exited;
    expect(fs.existsSync(page)).toBe(false);
  });

  it('says on stderr when no browser can be opened, and keeps serving', async () => {
    const s = await serve(['--port', '0'], { env: { DISPLAY: '', WAYLAND_DISPLAY: '', PATH: makeTempDir('lockstep-empty-path-') } });
    expect(s.first).toMatch(FIRST_LINE);
    await expect.poll(() => s.stderr(), { timeout: 5000 }).toMatch(/could not open a browser/);
    const url = s.first.slice('Lockstep: '.length);
    expect((await post(url, 'app:info', new URL(url).searchParams.get('token')!)).status).toBe(200);
  });
});

process.on('exit', cleanupTempDirs);
