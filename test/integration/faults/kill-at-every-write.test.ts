import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitServer } from '../../helpers/git-server';
import { baseEnv, gitAsync, killEverywhere as killAt, leftovers, lockstep, servedThenMoved, snapshot, twoAtATime, unseenWrites, FAULT_FS, type ListedDraft } from '../../helpers/kill-harness';
import { meaningfulKillPoints } from '../../helpers/kill-points';
import { createRepo, lockfileJson, overridesYaml } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

// A kill (SIGKILL: no cleanup, like a crash or a power cut) before and after every write a
// draft operation makes, enumerated by instrumenting the file system of the lockstep process
// (test/helpers/fault-fs.cjs), never by sleeping. After each kill the next lockstep command
// sees the old draft or the new one, never a half: `git fsck` clean, the draft's branch and
// record agree, and no temporary or pending file is left.
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';

describe('a kill at every write of a draft operation', () => {
  let template: string;
  let home: string;
  let stale: string;

  beforeAll(async () => {
    const up = createRepo();
    up.branch('testing-devel');
    up.commit('lockfiles: import', {
      'manifest-lock.x86_64.json': lockfileJson({
        kernel: { evra: '6.10.1-200.fc40.x86_64', sourcerpm: 'kernel' },
        podman: { evra: '5:5.2.3-1.fc40.x86_64', sourcerpm: 'podman' },
        toolbox: { evra: '0.0.99.5-1.fc40.x86_64', sourcerpm: 'toolbox' },
      }),
      // An override to unpin.
      'manifest-lock.overrides.yaml': overridesYaml({ toolbox: { evr: '0.0.99.5-1.fc40', type: 'pin', reason: REASON } }),
    });
    const root = makeTempDir();
    template = up.bareClone(path.join(root, 'template.git'));
    home = makeTempDir();
    // A clone with a stale draft (its stream moved after it was saved), for rebase.
    stale = path.join(root, 'stale.git');
    execFileSync('git', ['clone', '-q', '--bare', template, stale]);
    const pin = await lockstep(['pin', 'podman', '5:5.2.5-1.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', REASON, '--repo', stale], baseEnv(home));
    expect(pin.stderr).toBe('');
    up.checkout('testing-devel');
    up.commit('moved', { 'README.md': 'x\n' });
    execFileSync('git', ['-C', up.dir, 'push', '-q', stale, 'testing-devel']);
  });
  afterAll(() => cleanupTempDirs());

  const killEverywhere = (source: string, args: string[], check: (gitdir: string, drafts: ListedDraft[]) => void) => killAt({ home, source, args, check });

  it('pin: the draft is saved whole or not at all', async () => {
    const n = await killEverywhere(template, ['pin', 'kernel', '6.10.2-200.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', REASON], (_dir, drafts) => {
      expect(drafts.map((d) => d.branch).filter((b) => b !== 'lockstep/testing-devel/kernel-6.10.2-200.fc40')).toEqual([]);
    });
    expect(n).toBeGreaterThan(8);
  }, 240_000);

  it('unpin: the draft is saved whole or not at all', async () => {
    const n = await killEverywhere(template, ['unpin', 'toolbox', '--stream', 'testing-devel'], (dir, drafts) => {
      expect(drafts.length, 'one draft or none').toBeLessThanOrEqual(1);
      for (const d of drafts) {
        // A listed draft is the removal, whole.
        const text = execFileSync('git', ['--git-dir', dir, 'show', `${d.head}:manifest-lock.overrides.yaml`]).toString();
        expect(text).not.toContain('toolbox');
      }
    });
    expect(n).toBeGreaterThan(8);
  }, 240_000);

  it('rebase: the draft stays, on its old base or its new one', async () => {
    const oldBase = execFileSync('git', ['--git-dir', stale, 'rev-parse', 'refs/heads/lockstep/testing-devel/podman-5.2.5-1.fc40^']).toString().trim();
    const newBase = execFileSync('git', ['--git-dir', stale, 'rev-parse', 'refs/heads/testing-devel']).toString().trim();
    await killEverywhere(stale, ['rebase', 'lockstep/testing-devel/podman-5.2.5-1.fc40'], (_dir, drafts) => {
      expect(drafts.map((d) => d.branch)).toEqual(['lockstep/testing-devel/podman-5.2.5-1.fc40']);
      expect([oldBase, newBase]).toContain(drafts[0].base);
    });
  }, 240_000);

  it('promote: the promotion is saved whole (its tree, its record) or not at all', async () => {
    const up = createRepo();
    up.branch('testing-devel');
    up.commit('import', { 'manifest-lock.x86_64.json': lockfileJson({ kernel: { evra: '6.10.1-200.fc40.x86_64', sourcerpm: 'kernel' } }), 'manifest.yaml': 'ref: testing-devel\n', 'kola-denylist.yaml': '- pattern: a\n' });
    up.branch('testing');
    up.commit('testing', { 'manifest.yaml': 'ref: testing\n' });
    up.checkout('testing-devel');
    up.commit('bump', { 'manifest-lock.x86_64.json': lockfileJson({ kernel: { evra: '6.11.0-200.fc40.x86_64', sourcerpm: 'kernel' } }), 'kola-denylist.yaml': '- pattern: a\n  snooze: 2024-12-01\n' });
    const source = up.bareClone(path.join(makeTempDir(), 'promote.git'));
    const n = await killEverywhere(source, ['promote', 'testing-devel', '--stream', 'testing'], (dir, drafts) => {
      expect(drafts.length, 'one draft or none').toBeLessThanOrEqual(1);
      for (const d of drafts) {
        const show = (file: string) => execFileSync('git', ['--git-dir', dir, 'show', `${d.head}:${file}`]).toString();
        expect([show('manifest.yaml'), show('kola-denylist.yaml')]).toEqual(['ref: testing\n', '- pattern: a\n  # snooze: 2024-12-01 (disabled on promotion)\n']);
      }
    });
    expect(n).toBeGreaterThan(8);
  }, 240_000);

  it('discard: the draft is there whole, or gone', async () => {
    await killEverywhere(stale, ['discard', 'lockstep/testing-devel/podman-5.2.5-1.fc40'], (dir, drafts) => {
      const branch = execFileSync('git', ['--git-dir', dir, 'branch', '--list', 'lockstep/*']).toString().trim();
      if (drafts.length === 0) expect(branch).toBe('');
      else expect(drafts.map((d) => d.branch)).toEqual(['lockstep/testing-devel/podman-5.2.5-1.fc40']);
    });
  }, 240_000);
});

describe('a kill at every write of a fetch or a clone', () => {
  let server: GitServer;
  let root: string;
  let home: string;
  let clone: string;
  let up: ReturnType<typeof createRepo>;

  beforeAll(async () => {
    ({ up, root, server, home, clone } = await servedThenMoved());
  });
  afterAll(async () => {
    await server.stop();
    cleanupTempDirs();
  });

  it('fetch: every remote-tracking branch is at its old commit or its new one, and the repo is whole', async () => {
    const work = makeTempDir();
    const trace = path.join(work, 'trace.txt');
    const env = (dir: string, extra: Record<string, string>) => ({ ...baseEnv(home), NODE_OPTIONS: `--require ${FAULT_FS}`, LOCKSTEP_FAULT_DIR: dir, ...extra });
    const traced = path.join(work, 'traced.git');
    fs.cpSync(clone, traced, { recursive: true });
    const before = snapshot(traced);
    expect((await lockstep(['fetch', '--repo', traced], env(traced, { LOCKSTEP_FAULT_TRACE: trace }))).status).toBe(0);
    const text = fs.readFileSync(trace, 'utf8');
    expect(unseenWrites(before, snapshot(traced), text), 'writes the fault hook did not see').toEqual([]);
    const points = text.trim().split('\n').length;
    // The history index is written by fetch too (appends through a file descriptor): it has its points.
    expect(text).toMatch(/writeSync \/lockstep\/history/);
    const oldHead = execFileSync('git', ['--git-dir', clone, 'rev-parse', 'refs/remotes/origin/testing-devel']).toString().trim();
    const newHead = up.rev('testing-devel');
    // The points cut by meaning (`meaningfulKillPoints` says why each dropped one is a kept one's
    // case); the check above ran on the whole trace, so no write escapes the cut unseen.
    for (const op of [/after rename \/objects\/pack\/\.pack-\w+\.pack\.tmp-\S+ -> \/objects\/pack\/pack-\w+\.pack$/m, /after rename \/refs\/remotes\/origin\/\.testing-devel\.tmp-\S+ -> \/refs\/remotes\/origin\/testing-devel$/m, /after rename \S+\.head\.tmp-\S+ -> \/lockstep\/history\d*\/\w+\.head$/m]) {
      expect(text, 'the fetch makes its expected writes').toMatch(op);
    }
    const at = meaningfulKillPoints(text);
    expect(at.length).toBeGreaterThan(10);
    const walks = new Map<string, Promise<string>>();
    const one = async (k: number) => {
      const dir = path.join(work, `k${k}.git`);
      fs.cpSync(clone, dir, { recursive: true });
      const killed = await lockstep(['fetch', '--repo', dir], env(dir, { LOCKSTEP_FAULT_AT: String(k) }));
      expect(killed.signal, `point ${k} of ${points}: exited ${killed.status} instead: ${killed.stderr.trim()}`).toBe('SIGKILL');
      const head = execFileSync('git', ['--git-dir', dir, 'rev-parse', 'refs/remotes/origin/testing-devel']).toString().trim();
      expect([oldHead, newHead], `point ${k}`).toContain(head);
      await gitAsync('git', ['--git-dir', dir, 'fsck', '--no-dangling', '--no-progress']);
      // The index a killed fetch left answers as the walk with no index does (at that head: the
      // walk is asked once per head, it reads no index).
      const hist = (extra: string[]) => lockstep(['history', 'kernel', '--stream', 'testing-devel', '--json', '--repo', dir, ...extra], baseEnv(home));
      if (!walks.has(head)) walks.set(head, hist(['--no-cache']).then((r) => r.stdout));
      const cached = await hist([]);
      expect(cached.status, `point ${k}: ${cached.stderr}`).toBe(0);
      expect(cached.stdout, `point ${k}: history after the kill`).toBe(await walks.get(head));
      // A retry just works.
      const again = await lockstep(['fetch', '--repo', dir], baseEnv(home));
      expect(again.status, `point ${k}: ${again.stderr}`).toBe(0);
      expect(execFileSync('git', ['--git-dir', dir, 'rev-parse', 'refs/remotes/origin/testing-devel']).toString().trim()).toBe(newHead);
      expect(leftovers(dir), `point ${k}`).toEqual([]);
      fs.rmSync(dir, { recursive: true, force: true });
    };
    await twoAtATime(at, one);
  }, 600_000);

  it('push: the draft stays whole, the remote branch is absent or the draft, and a retry pushes it', async () => {
    const work = makeTempDir();
    const trace = path.join(work, 'trace.txt');
    const env = (dir: string, extra: Record<string, string>) => ({ ...baseEnv(home), NODE_OPTIONS: `--require ${FAULT_FS}`, LOCKSTEP_FAULT_DIR: dir, ...extra });
    // A draft on stable (which the server has not moved), then a fresh clone and remote per kill.
    const source = path.join(work, 'source.git');
    fs.cpSync(clone, source, { recursive: true });
    const pinned = await lockstep(['pin', 'kernel', '6.10.2-200.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON, '--repo', source], baseEnv(home));
    expect(pinned.status, pinned.stderr).toBe(0);
    const branch = pinned.stdout.trim();
    const head = execFileSync('git', ['--git-dir', source, 'rev-parse', `refs/heads/${branch}`]).toString().trim();
    const setUp = (name: string) => {
      const dir = path.join(work, `${name}.git`);
      fs.cpSync(source, dir, { recursive: true });
      fs.cpSync(path.join(root, 'config.git'), path.join(root, `${name}.git`), { recursive: true });
      execFileSync('git', ['--git-dir', dir, 'remote', 'set-url', 'origin', server.repoUrl(`${name}.git`)]);
      return dir;
    };
    const remoteHead = async (name: string, ref: string) => {
      const r = await gitAsync('git', ['--git-dir', path.join(root, `${name}.git`), 'for-each-ref', '--format=%(objectname)', `refs/heads/${ref}`]);
      return r.stdout.trim() || null;
    };
    const traced = setUp('traced');
    const full = await lockstep(['push', branch, '--repo', traced], env(traced, { LOCKSTEP_FAULT_TRACE: trace }));
    expect(full.status, full.stderr).toBe(0);
    const remoteBranch = full.stdout.trim().split('\n')[0];
    const points = fs.readFileSync(trace, 'utf8').trim().split('\n').length;
    expect(points).toBeGreaterThan(2);
    await twoAtATime(meaningfulKillPoints(fs.readFileSync(trace, 'utf8')), async (k) => {
      const name = `p${k}`;
      const dir = setUp(name);
      const killed = await lockstep(['push', branch, '--repo', dir], env(dir, { LOCKSTEP_FAULT_AT: String(k) }));
      expect(killed.signal, `point ${k} of ${points}: exited ${killed.status} instead: ${killed.stderr.trim()}`).toBe('SIGKILL');
      expect([null, head], `point ${k}: the remote branch`).toContain(await remoteHead(name, remoteBranch));
      const listed = await lockstep(['drafts', '--json', '--repo', dir], baseEnv(home));
      expect(listed.status, `point ${k}: ${listed.stderr}`).toBe(0);
      const drafts = JSON.parse(listed.stdout) as { branch: string; head: string }[];
      expect(drafts.map((d) => [d.branch, d.head]), `point ${k}`).toEqual([[branch, head]]);
      await gitAsync('git', ['--git-dir', dir, 'fsck', '--strict', '--no-dangling', '--no-progress']);
      expect(leftovers(dir), `point ${k}`).toEqual([]);
      // A retry just works: the draft is on the remote and known as pushed.
      const again = await lockstep(['push', branch, '--repo', dir], baseEnv(home));
      expect(again.status, `point ${k}: ${again.stderr}`).toBe(0);
      expect(await remoteHead(name, remoteBranch), `point ${k}`).toBe(head);
      const after = JSON.parse((await lockstep(['drafts', '--json', '--repo', dir], baseEnv(home))).stdout) as { branch: string; state: string }[];
      expect(after.map((d) => [d.branch, d.state]), `point ${k}`).toEqual([[branch, 'pushed']]);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }, 240_000);

  it('clone: the destination is absent or a whole clone, and a retry just works', async () => {
    const work = makeTempDir();
    const trace = path.join(work, 'trace.txt');
    const dest = (k: number | string) => path.join(work, `dest-${k}`, 'clone.git');
    const env = (dir: string, extra: Record<string, string>) => ({ ...baseEnv(home), NODE_OPTIONS: `--require ${FAULT_FS}`, LOCKSTEP_FAULT_DIR: dir, ...extra });
    fs.mkdirSync(path.dirname(dest('t')));
    expect((await lockstep(['clone', server.repoUrl('config.git'), dest('t')], env(path.dirname(dest('t')), { LOCKSTEP_FAULT_TRACE: trace }))).status).toBe(0);
    const points = fs.readFileSync(trace, 'utf8').trim().split('\n').length;
    await twoAtATime(meaningfulKillPoints(fs.readFileSync(trace, 'utf8')), async (k) => {
      const d = dest(k);
      fs.mkdirSync(path.dirname(d));
      const killed = await lockstep(['clone', server.repoUrl('config.git'), d], env(path.dirname(d), { LOCKSTEP_FAULT_AT: String(k) }));
      expect(killed.signal, `point ${k} of ${points}: exited ${killed.status} instead: ${killed.stderr.trim()}`).toBe('SIGKILL');
      if (fs.existsSync(d)) {
        // Killed after the rename into place: it is a whole clone already.
        expect(execFileSync('git', ['--git-dir', d, 'rev-parse', 'refs/remotes/origin/testing-devel']).toString().trim(), `point ${k}`).toBe(up.rev('testing-devel'));
      } else {
        const again = await lockstep(['clone', server.repoUrl('config.git'), d], baseEnv(home));
        expect(again.status, `point ${k}: ${again.stderr}`).toBe(0);
      }
      await gitAsync('git', ['--git-dir', d, 'fsck', '--no-dangling', '--no-progress']);
      // Nothing but the clone is left beside it.
      expect(fs.readdirSync(path.dirname(d)), `point ${k}`).toEqual(['clone.git']);
    });
  }, 240_000);
});
