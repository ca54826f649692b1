/**
 * The CLI's start (SPEC §5: `--version` ≤ 1.3× a bare node start, a warm `history` ≤ 1.6×, timed
 * by `npm run bench`): what each run loads, read by a probe preloaded into the process. `--version`
 * loads no bundle but the tiny entry and no npm package; a verb loads its own command's bundle
 * and nothing the other verbs need.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT } from '../../helpers/cli';
import { createRepo, lockfileJson } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const PROBE = path.join(REPO_ROOT, 'test/helpers/load-probe.cjs');

/** Runs the CLI with the probe; its output and the modules it loaded. */
function loads(args: string[]): { stdout: string; status: number | null; modules: string[] } {
  const out = path.join(makeTempDir(), 'loaded.json');
  const r = spawnSync(process.execPath, ['-r', PROBE, CLI, ...args], { encoding: 'utf8', env: { ...process.env, LOCKSTEP_LOAD_PROBE: out } });
  return { stdout: r.stdout, status: r.status, modules: JSON.parse(fs.readFileSync(out, 'utf8')) };
}

/** A stream of one commit locking kernel. */
function kernelRepo() {
  const repo = createRepo();
  repo.branch('testing-devel');
  repo.commit('bump', { 'manifest-lock.x86_64.json': lockfileJson({ kernel: '6.1-1.fc40.x86_64' }) });
  return repo;
}

const bundles = (modules: string[]) => modules.filter((m) => /cli[^/]*\.cjs$/.test(m)).map((m) => path.basename(m));

describe('what a CLI run loads', () => {
  afterAll(() => cleanupTempDirs());

  it('answers --version from the tiny entry: no command bundle, no Commander', () => {
    const r = loads(['--version']);
    expect(r.stdout).toMatch(/^lockstep \d+\.\d+\.\d+\n$/);
    expect(bundles(r.modules)).toEqual(['cli.cjs']);
    expect(r.modules).not.toContain('commander');
  });

  it("loads a warm history's own bundle only: no other command's, no isomorphic-git, no yaml, no Commander", () => {
    const repo = kernelRepo();
    const args = ['history', 'kernel', '--stream', 'testing-devel', '--json', '--repo', repo.dir];
    expect(loads(args).status).toBe(0);
    const warm = loads(args);
    expect(JSON.parse(warm.stdout)).toHaveLength(1);
    expect(bundles(warm.modules)).toEqual(['cli.cjs', 'cli-history.cjs']);
    expect(warm.modules).not.toContain('isomorphic-git');
    expect(warm.modules).not.toContain('yaml');
    // Its clean arguments take the fast parse (verb-spec.ts): Commander is not loaded at all.
    expect(warm.modules).not.toContain('commander');
    // Nor what only index building needs: threads start with a build, not with a query.
    expect(warm.modules).not.toContain('node:worker_threads');
    // A history sets V8's tier-up budget for a short process (entry.ts): through node:v8.
    expect(warm.modules).toContain('node:v8');
  });

  it('lists drafts without isomorphic-git (it loads at first use; the listing reads with our own reader) nor Commander', () => {
    const repo = kernelRepo();
    const r = loads(['drafts', '--json', '--repo', repo.dir]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.modules).not.toContain('isomorphic-git');
    // Loading node:v8 costs 3 ms: only a history, which runs much JavaScript, gains by it.
    expect(r.modules).not.toContain('node:v8');
    // Scripts list drafts in loops: its clean arguments take the fast parse, as history's do.
    expect(r.modules).not.toContain('commander');
  });

  it("drafts a pin with isomorphic-git hashing by node:crypto, not sha.js's forty polyfill modules; git finds the draft whole", () => {
    const repo = kernelRepo();
    const r = loads(['pin', 'kernel', '6.2-1.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', 'https://github.com/coreos/fedora-coreos-tracker/issues/1', '--repo', repo.dir]);
    expect(r.status).toBe(0);
    expect(r.modules).toContain('isomorphic-git');
    // sha.js's own dependency chain: what the native hash saves loading.
    expect(r.modules).not.toContain('to-buffer');
    expect(r.modules).not.toContain('get-intrinsic');
    const branch = r.stdout.trim();
    expect(spawnSync('git', ['-C', repo.dir, 'fsck', '--strict', '--no-dangling'], { encoding: 'utf8' }).status).toBe(0);
    expect(spawnSync('git', ['-C', repo.dir, 'show', `${branch}:manifest-lock.overrides.yaml`], { encoding: 'utf8' }).stdout).toContain('6.2-1.fc40');
  });

  it('loads every command for help, so each is listed', () => {
    const r = loads(['--help']);
    expect(bundles(r.modules)).toEqual(['cli.cjs', 'cli-all.cjs']);
    for (const verb of ['history', 'serve', 'pin', 'advisories']) expect(r.stdout).toContain(verb);
  });

  it('leaves a history call the fast parse does not take to Commander, which reports it', () => {
    const r = loads(['history', 'kernel', '--bogus']);
    expect(r.status).toBe(2);
    expect(r.modules).toContain('commander');
  });
});
