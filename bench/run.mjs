// npm run bench: SPEC §5 budgets on the fixture, each beside the git CLI doing the same work in
// the same run, as ratios. Medians of alternating runs; never a timed unit test.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'shared/fixtures/fcos-config-lockfiles.bundle'.replace('shared/', '../shared/'));
if (!fs.existsSync(bundle)) {
  console.log(`bench: the fixture ${bundle} is missing; nothing to measure (it needs ../shared beside the checkout).`);
  process.exit(0);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-bench-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
// Bundled inside the checkout so its npm packages resolve from node_modules.
const out = path.join(root, 'dist', 'bench', 'bench.cjs');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
await build({
  entryPoints: [path.join(root, 'bench/entry.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: out,
  external: [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)].filter((n) => n !== 'env-paths').flatMap((n) => [n, `${n}/*`]),
  logLevel: 'error',
});
const require = createRequire(path.join(root, 'package.json'));
const L = require(out);

const repoRoot = path.join(tmp, 'srv');
fs.mkdirSync(repoRoot);
const gitdir = path.join(repoRoot, 'fcos.git');
execFileSync('git', ['clone', '-q', '--bare', bundle, gitdir]);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const rows = [];

// 1. Cold history: testing-devel x86_64, whole history.
function baselineHistory() {
  const t = performance.now();
  const commits = execFileSync('git', ['--git-dir', gitdir, 'rev-list', '--first-parent', 'testing-devel']).toString().trim().split('\n');
  const oids = execFileSync('git', ['--git-dir', gitdir, 'cat-file', '--batch-check=%(objectname)'], { input: commits.map((c) => `${c}:manifest-lock.x86_64.json`).join('\n') + '\n' })
    .toString()
    .trim()
    .split('\n');
  const changed = oids.filter((o, i) => /^[0-9a-f]{40}$/.test(o) && o !== oids[i + 1]);
  const data = execFileSync('git', ['--git-dir', gitdir, 'cat-file', '--batch'], { input: changed.join('\n') + '\n', maxBuffer: 1 << 30 });
  let pos = 0;
  let parsed = 0;
  for (let k = 0; k < changed.length; k++) {
    const nl = data.indexOf(10, pos);
    const size = Number(data.subarray(pos, nl).toString().split(' ')[2]);
    JSON.parse(data.subarray(nl + 1, nl + 1 + size).toString('utf8'));
    parsed++;
    pos = nl + 1 + size + 1;
  }
  return { ms: performance.now() - t, parsed };
}
async function lockstepHistory() {
  const t = performance.now();
  const repo = await L.ConfigRepo.open(gitdir);
  const h = await new L.HistoryIndex(repo, { cache: false }).packageHistory('testing-devel', 'x86_64', 'kernel');
  repo.close();
  return { ms: performance.now() - t, entries: h.length };
}
const base = [];
const ours = [];
let versions = 0;
let entries = 0;
for (let i = 0; i < RUNS; i++) {
  const b = baselineHistory();
  base.push(b.ms);
  versions = b.parsed;
  const o = await lockstepHistory();
  ours.push(o.ms);
  entries = o.entries;
}
const rssHistory = (() => {
  const r = spawnSync(process.execPath, ['-e', `
    const L = require(${JSON.stringify(out)});
    L.ConfigRepo.open(${JSON.stringify(gitdir)}).then(r => new L.HistoryIndex(r, {cache:false}).packageHistory('testing-devel','x86_64','kernel')).then(() => console.log(process.resourceUsage().maxRSS));
  `], { cwd: root, encoding: 'utf8' });
  return Number(r.stdout.trim()) / 1024;
})();
rows.push(['cold history (kernel, testing-devel, x86_64)', median(ours), median(base), 1.5, `${versions} lockfile versions, ${entries} changes; peak RSS ${rssHistory.toFixed(0)} MB`]);

// 1b. The whole index of that stream and arch (every package), as the app builds in its worker.
{
  const full = [];
  const baseAgain = [];
  for (let i = 0; i < RUNS; i++) {
    baseAgain.push(baselineHistory().ms);
    const t = performance.now();
    const repo = await L.ConfigRepo.open(gitdir);
    await new L.HistoryIndex(repo, { cache: true }).index('testing-devel', 'x86_64').catch(() => undefined);
    full.push(performance.now() - t);
    fs.rmSync(path.join(gitdir, 'lockstep'), { recursive: true, force: true });
    repo.close();
  }
  rows.push(['cold full index (every package), same stream', median(full), median(baseAgain), null, 'no budget, for reference: what the worker builds after a clone, written to disk']);
}

// 2. Warm history, in-process, index on disk.
{
  const repo = await L.ConfigRepo.open(gitdir);
  await new L.HistoryIndex(repo).packageHistory('testing-devel', 'x86_64', 'kernel');
  const times = [];
  for (const name of ['kernel', 'podman', 'ignition', 'systemd', 'moby-engine', 'nosuch']) {
    const t = performance.now();
    await new L.HistoryIndex(repo).packageHistory('testing-devel', 'x86_64', name);
    times.push(performance.now() - t);
  }
  repo.close();
  rows.push(['warm history (index on disk), worst of 6 packages', Math.max(...times), null, null, 'budget ≤ 50 ms']);
}

// 3. Diff of two stream heads, all arches, after the blobs are read.
{
  const repo = await L.ConfigRepo.open(gitdir);
  const a = repo.snapshot((await repo.resolve('stable')).oid);
  const b = repo.snapshot((await repo.resolve('testing-devel')).oid);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    L.diffSnapshots(a, b);
    times.push(performance.now() - t);
  }
  repo.close();
  rows.push(['diff stable → testing-devel, all arches, effective', median(times), null, null, 'budget ≤ 50 ms']);
}

// 4. Clone over local smart HTTP: Lockstep in a child process (for its peak RSS) vs git clone.
{
  const server = await L.startGitServer({ root: repoRoot });
  const url = server.repoUrl('fcos.git');
  const ourRuns = [];
  const gitRuns = [];
  let rss = 0;
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    const d1 = path.join(tmp, `g${i}`);
    let t = performance.now();
    await new Promise((r) => spawn('git', ['clone', '-q', '--bare', url, d1]).on('exit', r));
    gitRuns.push(performance.now() - t);
    const d2 = path.join(tmp, `l${i}`);
    t = performance.now();
    const r = await new Promise((resolve) => {
      let outText = '';
      const c = spawn(process.execPath, ['-e', `require(${JSON.stringify(out)}).cloneRepo(${JSON.stringify(url)}, ${JSON.stringify(d2)}).then(() => console.log(process.resourceUsage().maxRSS))`], { cwd: root });
      c.stdout.on('data', (x) => (outText += x));
      c.on('exit', () => resolve(outText.trim()));
    });
    ourRuns.push(performance.now() - t);
    rss = Math.max(rss, Number(r) / 1024);
  }
  await server.stop();
  rows.push(['clone of the fixture over local smart HTTP', median(ourRuns), median(gitRuns), 4, `peak RSS ${rss.toFixed(0)} MB (budget ≤ 600 MB)`]);
}

console.log(`\nLockstep bench on ${path.basename(bundle)} (${os.cpus().length} cores, node ${process.version}, median of ${RUNS} alternating runs)\n`);
const w = Math.max(...rows.map((r) => r[0].length));
console.log(`${'measure'.padEnd(w)}  ${'lockstep'.padStart(9)}  ${'git CLI'.padStart(9)}  ${'ratio'.padStart(6)}  verdict  notes`);
for (const [name, o, b, budget, note] of rows) {
  const ratio = b ? o / b : null;
  const verdict = ratio !== null ? (budget ? (ratio <= budget ? 'ok' : 'OVER') : '—') : o <= 50 ? 'ok' : 'OVER';
  console.log(`${name.padEnd(w)}  ${ms(o).padStart(9)}  ${(b ? ms(b) : '—').padStart(9)}  ${(ratio ? `${ratio.toFixed(2)}x` : '—').padStart(6)}  ${verdict.padEnd(7)}  ${budget ? `budget ≤ ${budget}x; ` : ''}${note}`);
}
