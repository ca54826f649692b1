import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitServer } from '../../helpers/git-server';
import { baseEnv, faultEnv, FAULT_FS, gitAsync, leftovers, lockstep, servedThenMoved } from '../../helpers/kill-harness';
import { parseTrace } from '../../helpers/kill-points';
import { createRepo, lockfileJson, overridesYaml } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

// A full disk at each write a pin starts (test/helpers/fault-fs.cjs fails that call with
// ENOSPC, as the kernel would): the CLI says "disk full at PATH" in one line, exits 1, and the
// repo is as before or holds the whole draft.
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';

describe('a full disk during a pin', () => {
  let template: string;
  let home: string;
  beforeAll(() => {
    const up = createRepo();
    up.branch('testing-devel');
    up.commit('lockfiles: import', {
      'manifest-lock.x86_64.json': lockfileJson({ podman: { evra: '5:5.2.3-1.fc40.x86_64', sourcerpm: 'podman' } }),
      'manifest-lock.overrides.yaml': overridesYaml({}),
    });
    template = up.bareClone(path.join(makeTempDir(), 'template.git'));
    home = makeTempDir();
  });
  afterAll(() => cleanupTempDirs());

  // Fixed commit dates: the draft's commit id, and so whether its objects/xx/ folder must be
  // made, are the same in the counting run and in every faulted one.
  const env = (extra: Record<string, string>) => ({ GIT_AUTHOR_DATE: '1729166400 +0000', GIT_COMMITTER_DATE: '1729166400 +0000', GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.org', HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1', NODE_OPTIONS: `--require ${FAULT_FS}`, ...extra });
  const pinArgs = (repo: string) => ['pin', 'podman', '5:5.2.5-1.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', REASON, '--repo', repo];
  const copy = () => {
    const dir = path.join(makeTempDir(), 'repo.git');
    execFileSync('git', ['clone', '-q', '--bare', template, dir]);
    return fs.realpathSync(dir);
  };

  it('says "disk full at PATH" at every write it starts, and leaves the old state or the new one', async () => {
    const probe = copy();
    const trace = path.join(makeTempDir(), 'trace');
    const ok = await lockstep(pinArgs(probe), env({ LOCKSTEP_FAULT_DIR: probe, LOCKSTEP_FAULT_TRACE: trace }));
    expect(ok.status).toBe(0);
    const points = fs
      .readFileSync(trace, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .filter(([, phase, op]) => phase === 'before' && /^(open|writeFile|appendFile|copyFile|mkdir)(Sync)?$/.test(op))
      .map(([n]) => Number(n));
    expect(points.length).toBeGreaterThan(3);
    for (const n of points) {
      const repo = copy();
      const r = await lockstep(pinArgs(repo), env({ LOCKSTEP_FAULT_DIR: repo, LOCKSTEP_FAULT_ENOSPC: String(n) }));
      const why = `ENOSPC at point ${n}: ${r.stderr}`;
      expect(r.status, why).toBe(1);
      expect(r.stderr.trim().split('\n'), why).toHaveLength(1);
      expect(r.stderr, why).toMatch(new RegExp(`^lockstep: (.*: )?disk full at ${repo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+; free some space and retry\\n$`));
      execFileSync('git', ['-C', repo, 'fsck', '--no-dangling', '--no-progress'], { stdio: 'pipe' });
      // The next run repairs what was half written: no draft, or the whole one.
      const list = await lockstep(['drafts', '--json', '--repo', repo], env({}));
      expect(list.status, list.stderr).toBe(0);
      const drafts = JSON.parse(list.stdout) as { branch: string; head: string }[];
      expect(drafts.length, why).toBeLessThanOrEqual(1);
      for (const d of drafts) expect(execFileSync('git', ['-C', repo, 'rev-parse', `refs/heads/${d.branch}`]).toString().trim()).toBe(d.head);
      // And a retry with room works.
      const again = await lockstep(pinArgs(repo), env({}));
      expect(again.status, again.stderr).toBe(0);
    }
  }, 240_000);
});

// The disk fills in the middle of a write, after its file was opened (fault-fs's
// LOCKSTEP_FAULT_SHORT: half the bytes land, then ENOSPC), at every write of bytes a fetch, a
// clone and a push make: exit 1 with "disk full at PATH" in one line, refs at their old commit or
// their new one and never naming a half-written object, nothing half-written left that the next
// command reads, and a retry with room that just works.
describe('a disk that fills in the middle of a write, during fetch, clone and push', () => {
  let server: GitServer;
  let root: string;
  let home: string;
  let clone: string;
  let up: ReturnType<typeof createRepo>;
  let oldHead: string;

  beforeAll(async () => {
    ({ up, root, server, home, clone, oldHead } = await servedThenMoved());
  });
  afterAll(async () => {
    await server.stop();
    cleanupTempDirs();
  });

  /** The points where a write of bytes starts under `dir`, from a counting run's trace. */
  const byteWrites = (trace: string) =>
    parseTrace(fs.readFileSync(trace, 'utf8'))
      .filter((p) => p.phase === 'before' && /^(handle\.)?(writeFile|appendFile|write|writev)(Sync)?$/.test(p.op))
      .map((p) => p.n);
  /** The trace line of point `n`, for a failure's message. */
  const lineOf = (trace: string, n: number) => fs.readFileSync(trace, 'utf8').split('\n')[n - 1];
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  /** The one line a full disk is reported in, naming a file under `dir`. */
  const diskFull = (dir: string) => new RegExp(`^lockstep: (.*: )?disk full at ${escape(dir)}/\\S+; free some space and retry\\n$`);
  const rev = (dir: string, ref: string) => execFileSync('git', ['--git-dir', dir, 'rev-parse', ref]).toString().trim();

  it('fetch: exits 1 naming the file, the branch old or new, the history index answering as the walk', async () => {
    const work = makeTempDir();
    const trace = path.join(work, 'trace');
    const probe = path.join(work, 'probe.git');
    fs.cpSync(clone, probe, { recursive: true });
    expect((await lockstep(['fetch', '--repo', probe], faultEnv(home, probe, { LOCKSTEP_FAULT_TRACE: trace }))).status).toBe(0);
    const points = byteWrites(trace);
    // The pack, its index, the refs, the history index's appends and headers.
    expect(points.length).toBeGreaterThan(8);
    const newHead = up.rev('testing-devel');
    for (const n of points) {
      const dir = fs.realpathSync(makeTempDir());
      const repo = path.join(dir, 'r.git');
      fs.cpSync(clone, repo, { recursive: true });
      const r = await lockstep(['fetch', '--repo', repo], faultEnv(home, repo, { LOCKSTEP_FAULT_SHORT: String(n) }));
      const why = `short write at point ${n} (${lineOf(trace, n)}): ${r.stderr}`;
      expect(r.status, why).toBe(1);
      expect(r.stderr, why).toMatch(diskFull(repo));
      expect([oldHead, newHead], why).toContain(rev(repo, 'refs/remotes/origin/testing-devel'));
      await gitAsync('git', ['--git-dir', repo, 'fsck', '--no-dangling', '--no-progress']);
      const hist = (extra: string[]) => lockstep(['history', 'kernel', '--stream', 'testing-devel', '--json', '--repo', repo, ...extra], baseEnv(home));
      const [cached, walked] = [await hist([]), await hist(['--no-cache'])];
      expect(cached.status, `${why}\n${cached.stderr}`).toBe(0);
      expect(cached.stdout, why).toBe(walked.stdout);
      const again = await lockstep(['fetch', '--repo', repo], baseEnv(home));
      expect(again.status, `${why}\n${again.stderr}`).toBe(0);
      expect(rev(repo, 'refs/remotes/origin/testing-devel')).toBe(newHead);
      expect(leftovers(repo), why).toEqual([]);
    }
  }, 300_000);

  it('clone: exits 1 naming the file, and leaves no clone, or a whole one', async () => {
    const work = makeTempDir();
    const trace = path.join(work, 'trace');
    const probe = path.join(fs.realpathSync(makeTempDir()), 'c.git');
    expect((await lockstep(['clone', server.repoUrl('config.git'), probe], faultEnv(home, path.dirname(probe), { LOCKSTEP_FAULT_TRACE: trace }))).status).toBe(0);
    const points = byteWrites(trace);
    expect(points.length).toBeGreaterThan(3);
    for (const n of points) {
      const dest = path.join(fs.realpathSync(makeTempDir()), 'c.git');
      const r = await lockstep(['clone', server.repoUrl('config.git'), dest], faultEnv(home, path.dirname(dest), { LOCKSTEP_FAULT_SHORT: String(n) }));
      const why = `short write at point ${n} (${lineOf(trace, n)}): ${r.stderr}`;
      expect(r.status, why).toBe(1);
      expect(r.stderr, why).toMatch(diskFull(path.dirname(dest)));
      // Nothing beside the target: the half-built clone is gone, and the target too.
      expect(fs.readdirSync(path.dirname(dest)), why).toEqual([]);
      const again = await lockstep(['clone', server.repoUrl('config.git'), dest], baseEnv(home));
      expect(again.status, `${why}\n${again.stderr}`).toBe(0);
      await gitAsync('git', ['--git-dir', dest, 'fsck', '--no-dangling', '--no-progress']);
    }
  }, 300_000);

  it('push: exits 1 naming the file, the draft whole and its record old or new, and a retry pushes it', async () => {
    const work = makeTempDir();
    const source = path.join(work, 'source.git');
    fs.cpSync(clone, source, { recursive: true });
    const pinned = await lockstep(['pin', 'kernel', '6.10.2-200.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON, '--repo', source], baseEnv(home));
    expect(pinned.status, pinned.stderr).toBe(0);
    const branch = pinned.stdout.trim();
    const head = rev(source, `refs/heads/${branch}`);
    let count = 0;
    const setUp = () => {
      const name = `short-${count++}`;
      const dir = path.join(fs.realpathSync(makeTempDir()), 'r.git');
      fs.cpSync(source, dir, { recursive: true });
      fs.cpSync(path.join(root, 'config.git'), path.join(root, `${name}.git`), { recursive: true });
      execFileSync('git', ['--git-dir', dir, 'remote', 'set-url', 'origin', server.repoUrl(`${name}.git`)]);
      return dir;
    };
    const probe = setUp();
    const trace = path.join(work, 'trace');
    expect((await lockstep(['push', branch, '--repo', probe], faultEnv(home, probe, { LOCKSTEP_FAULT_TRACE: trace }))).status).toBe(0);
    const points = byteWrites(trace);
    expect(points.length).toBeGreaterThan(0);
    for (const n of points) {
      const dir = setUp();
      const r = await lockstep(['push', branch, '--repo', dir], faultEnv(home, dir, { LOCKSTEP_FAULT_SHORT: String(n) }));
      const why = `short write at point ${n} (${lineOf(trace, n)}): ${r.stderr}`;
      expect(r.status, why).toBe(1);
      expect(r.stderr, why).toMatch(diskFull(dir));
      const listed = await lockstep(['drafts', '--json', '--repo', dir], baseEnv(home));
      expect(listed.status, `${why}\n${listed.stderr}`).toBe(0);
      expect((JSON.parse(listed.stdout) as { branch: string; head: string }[]).map((d) => [d.branch, d.head]), why).toEqual([[branch, head]]);
      await gitAsync('git', ['--git-dir', dir, 'fsck', '--strict', '--no-dangling', '--no-progress']);
      expect(leftovers(dir), why).toEqual([]);
      const again = await lockstep(['push', branch, '--repo', dir], baseEnv(home));
      expect(again.status, `${why}\n${again.stderr}`).toBe(0);
      const after = JSON.parse((await lockstep(['drafts', '--json', '--repo', dir], baseEnv(home))).stdout) as { branch: string; state: string }[];
      expect(after.map((d) => [d.branch, d.state]), why).toEqual([[branch, 'pushed']]);
    }
  }, 300_000);
});
