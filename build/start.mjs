// `npm start`: the Electron app; where its binary cannot be obtained (no network for the
// first download, unsupported platform), one line says so and the browser host starts instead.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function electronBinary() {
  // Requiring `electron` resolves (and on first use downloads) its binary: do it in a child
  // process with a time limit so a dead network cannot hang the start.
  const r = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status === 0 && r.stdout) return { path: r.stdout };
  const why = (r.error?.message ?? r.stderr ?? '').split('\n').find((l) => /error|fail/i.test(l)) ?? 'download failed';
  return { error: why.trim().slice(0, 120) };
}

const found = electronBinary();
let child;
if (found.path) {
  child = spawn(found.path, [root], { stdio: 'inherit', env: process.env });
  child.on('error', (err) => fallback(err.message));
} else {
  fallback(found.error);
}

function fallback(reason) {
  console.log(`Lockstep: Electron binary unavailable (${reason}); starting the browser host instead.`);
  const args = [path.join(root, 'dist/main/cli.cjs'), 'serve'];
  if (process.env.LOCKSTEP_REPO) args.push('--repo', process.env.LOCKSTEP_REPO);
  child = spawn(process.execPath, args, { stdio: 'inherit', env: process.env });
}

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child?.kill(sig));
