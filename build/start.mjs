// `npm start` (after the build): the Electron app. Where its binary cannot be obtained (no
// network for the first download, unsupported platform, no display) or does not start, one line
// says so and the browser host starts instead (`lockstep serve`, with LOCKSTEP_REPO as --repo).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MARK = '@@lockstep-electron-path@@';
// A failure within this time after launch counts as "cannot start" (missing libraries, no GPU...).
const EARLY_EXIT_MS = 10_000;

let child = null;
let probing = null;
let stopping = false;

/** The environment without ELECTRON_RUN_AS_NODE, which would turn Electron into plain Node. */
function electronEnv() {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

/**
 * Requiring `electron` resolves, and on first use downloads, its binary: done in a child process
 * (its own process group, so the downloader it spawns dies with it) with a 60 s limit, so a dead
 * network cannot hang the start. Resolves to `{ path }` or `{ error }`.
 */
function electronBinary() {
  return new Promise((resolve) => {
    const probe = spawn(process.execPath, ['-e', `const p = require('electron'); process.stdout.write('\\n${MARK}' + p + '\\n')`], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      env: electronEnv(),
    });
    probing = probe;
    let out = '';
    let err = '';
    probe.stdout.on('data', (d) => (out += d));
    probe.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      killTree(probe, 'SIGKILL');
      resolve({ error: 'no answer within 60 s' });
    }, 60_000);
    probe.on('error', (e) => {
      clearTimeout(timer);
      resolve({ error: e.message });
    });
    probe.on('close', (code) => {
      clearTimeout(timer);
      probing = null;
      const line = out.split('\n').find((l) => l.startsWith(MARK));
      const bin = line?.slice(MARK.length).trim();
      if (code === 0 && bin && fs.existsSync(bin)) return resolve({ path: bin });
      resolve({ error: shortReason(`${out}\n${err}`) });
    });
  });
}

/** The most telling line of a failure, short: the network error rather than the stack. */
function shortReason(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !/^at\s/.test(l));
  const pick =
    lines.find((l) => /\b(ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|EACCES|ENOSPC|HTTPError|RequestError)\b/.test(l)) ??
    lines.find((l) => /^\w*Error\b/.test(l) && !/failed to install correctly/.test(l)) ??
    lines.find((l) => /fail/i.test(l)) ??
    'unknown error';
  const reason = pick.replace(/^\w*Error:\s*/, '').slice(0, 100);
  return /Downloading Electron/.test(text) && !/download/i.test(reason) ? `download failed: ${reason}` : reason;
}

function killTree(p, signal) {
  try {
    if (process.platform !== 'win32' && p.pid) process.kill(-p.pid, signal);
    else p.kill(signal);
  } catch {
    // already gone
  }
}

let fellBack = false;
function fallback(reason) {
  if (stopping || fellBack) return;
  fellBack = true;
  console.log(`Lockstep: Electron binary unavailable (${reason}); starting the browser host instead.`);
  const args = [path.join(root, 'dist/main/cli.cjs'), 'serve'];
  if (process.env.LOCKSTEP_REPO) args.push('--repo', process.env.LOCKSTEP_REPO);
  child = spawn(process.execPath, args, { stdio: 'inherit', env: process.env });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

function launch(bin) {
  const started = Date.now();
  child = spawn(bin, [root], { stdio: 'inherit', env: electronEnv() });
  child.on('error', (err) => fallback(err.message));
  child.on('exit', (code, signal) => {
    if (stopping) return process.exit(code ?? 0);
    if ((code || signal) && Date.now() - started < EARLY_EXIT_MS) {
      return fallback(signal ? `it stopped at start with ${signal}` : `it exited at start with code ${code}`);
    }
    process.exit(code ?? 0);
  });
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopping = true;
    if (probing) killTree(probing, 'SIGKILL');
    if (!child || child.exitCode !== null) process.exit(130);
    child.kill(sig);
  });
}

const found = await electronBinary();
if (!found.path) fallback(found.error);
// Electron cannot show a window without one (an SSH session, a container): serve instead.
else if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) fallback('no display');
else launch(found.path);
