/**
 * Issue 14 item 4: drafts pushed one after another, each only once the previous one's checks
 * are green; a red check stops the rest, each with its reason; a restart continues. The forge
 * is a GitHub stand-in whose checks turn green or red only when the test says so.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeState, type DraftState } from '../../../shared/drafts/lifecycle';
import { ConfigRepo } from '../../../main/services/review/config-repo';
import { DraftStore } from '../../../main/services/drafts/store';
import { githubClient } from '../../../main/services/push/forge-github';
import { PushQueue } from '../../../main/services/push/queue';
import { startForge, type ForgeStandIn } from '../../helpers/forge-stand-in';
import { startGitServer, type GitServer } from '../../helpers/git-server';
import { createRepo, lockfileJson, overridesYaml } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const gitAsync = promisify(execFile);
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';

/** State changes as the queue reports them, with a way to wait for one. */
function recorder() {
  const seen: [string, DraftState][] = [];
  let waiters: (() => void)[] = [];
  return {
    seen,
    onChange: (branch: string, state: DraftState) => {
      seen.push([branch, state]);
      const w = waiters;
      waiters = [];
      w.forEach((f) => f());
    },
    kinds: (branch: string) => seen.filter(([b]) => b === branch).map(([, s]) => s.kind),
    /** Index of the first `kind` of `branch` in the order seen, -1 if none. */
    at: (branch: string, kind: string) => seen.findIndex(([b, s]) => b === branch && s.kind === kind),
    reached(branch: string, kind: string): Promise<void> {
      return new Promise((resolve) => {
        const check = () => (seen.some(([b, s]) => b === branch && s.kind === kind) ? resolve() : waiters.push(check));
        check();
      });
    },
  };
}

describe('an ordered push', () => {
  let gitServer: GitServer;
  let forge: ForgeStandIn;
  let clone: string;
  let repo: ConfigRepo;
  let store: DraftStore;
  const remoteBranches = async () => (await gitAsync('git', ['ls-remote', '--heads', gitServer.repoUrl('coreos/fedora-coreos-config.git')])).stdout;

  beforeAll(async () => {
    process.env.GIT_AUTHOR_NAME = 'Ada';
    process.env.GIT_AUTHOR_EMAIL = 'ada@example.org';
    const upstream = createRepo();
    upstream.branch('testing-devel');
    upstream.commit('lockfiles: import', {
      'manifest-lock.x86_64.json': lockfileJson(Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [n, { evra: `1.0-1.fc40.x86_64`, sourcerpm: n }]))),
      'manifest-lock.overrides.yaml': overridesYaml({}),
    });
    upstream.branch('next-devel', 'testing-devel');
    // Its own head: drafts on the two streams are different commits (checks are told apart by commit).
    upstream.commit('lockfiles: bump', { 'manifest-lock.x86_64.json': lockfileJson(Object.fromEntries([...['a', 'b', 'c', 'd'], 'e'].map((n) => [n, { evra: `1.0-1.fc40.x86_64`, sourcerpm: n }]))) });
    const root = makeTempDir();
    upstream.bareClone(path.join(root, 'coreos', 'fedora-coreos-config.git'));
    gitServer = await startGitServer({ root });
    forge = await startForge();
    clone = path.join(makeTempDir(), 'clone');
    await gitAsync('git', ['clone', '-q', gitServer.repoUrl('coreos/fedora-coreos-config.git'), clone]);
    repo = await ConfigRepo.open(clone);
    store = new DraftStore(repo);
  });
  afterAll(async () => {
    repo.close();
    await gitServer.stop();
    await forge.stop();
    cleanupTempDirs();
  });

  const draft = async (stream: string, name: string, evr: string) =>
    (await store.commit(await store.prepare({ stream, action: 'pin', requests: [{ name, evr }], reason: REASON }), { type: 'pin' })).branch;
  const queueWith = (rec: ReturnType<typeof recorder>) =>
    new PushQueue(repo, { concurrency: 2, backoffMs: 5, maxBackoffMs: 20, forge: () => githubClient({ token: 't', baseUrl: forge.url }), onChange: rec.onChange });

  it('refuses before the first push when the checks cannot be read: no forge API, or a private repo without a token', async () => {
    const branches = [await draft('testing-devel', 'a', '0.8-1.fc40'), await draft('next-devel', 'a', '0.8-1.fc40')];
    const noApi = new PushQueue(repo, { forge: () => null });
    await expect(noApi.enqueueInOrder(branches)).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/cannot read the checks of .*push each draft on its own/) });
    const priv = await startForge({ private: true });
    try {
      const anonymous = new PushQueue(repo, { forge: () => githubClient({ baseUrl: priv.url }) });
      await expect(anonymous.enqueueInOrder(branches)).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/cannot be read: .*private repo.*nothing was pushed/) });
    } finally {
      await priv.stop();
    }
    for (const b of branches) expect((await store.get(b)).state.kind, b).toBe('draft');
    expect(await remoteBranches()).not.toContain('-a-0.8-1.fc40');
    for (const b of branches) await store.discard(b);
  });

  it('pushes each draft only after the previous one\'s checks are green', async () => {
    const branches = [await draft('testing-devel', 'a', '0.9-1.fc40'), await draft('next-devel', 'a', '0.9-1.fc40'), await draft('testing-devel', 'b', '0.9-1.fc40')];
    const heads = await Promise.all(branches.map(async (b) => (await store.get(b)).head));
    const rec = recorder();
    const queue = queueWith(rec);
    await queue.enqueueInOrder(branches);
    expect((await store.get(branches[1])).state).toEqual({ kind: 'queued', after: branches[0] });
    expect(describeState((await store.get(branches[2])).state)).toBe(`queued (after ${branches[1]}: waits for its checks to pass)`);

    // The first is pushed and its checks are pending (polled at least once): the others wait, unpushed.
    await rec.reached(branches[0], 'checks-pending');
    await forge.polledOnce(heads[0]);
    expect(rec.kinds(branches[1])).toEqual(['queued']);
    expect(forge.pulls.map((p) => p.base)).toEqual(['testing-devel']);
    expect(await remoteBranches()).not.toContain('override-next-devel');

    forge.setChecks(heads[0], 'success');
    await rec.reached(branches[1], 'checks-pending');
    await forge.polledOnce(heads[1]);
    expect(rec.kinds(branches[2])).toEqual(['queued']);
    forge.setChecks(heads[1], 'success');
    await rec.reached(branches[2], 'checks-pending');
    forge.setChecks(heads[2], 'success');
    await queue.idle();

    for (const b of branches) expect((await store.get(b)).state.kind, b).toBe('passed');
    // Build order: each push starts after the previous draft passed.
    expect(rec.at(branches[1], 'pushing')).toBeGreaterThan(rec.at(branches[0], 'passed'));
    expect(rec.at(branches[2], 'pushing')).toBeGreaterThan(rec.at(branches[1], 'passed'));
    expect(rec.kinds(branches[1])).toEqual(['queued', 'queued', 'pushing', 'pushed', 'checks-pending', 'passed']);
    expect(forge.pulls.map((p) => p.base)).toEqual(['testing-devel', 'next-devel', 'testing-devel']);
  }, 60_000);

  it('a red check stops the rest with the reason on each, and a restart in between continues where it was', async () => {
    const branches = [await draft('testing-devel', 'c', '0.9-1.fc40'), await draft('next-devel', 'c', '0.9-1.fc40'), await draft('next-devel', 'd', '0.9-1.fc40')];
    const first = (await store.get(branches[0])).head;
    const pullsBefore = forge.pulls.length;
    const rec = recorder();
    const before = queueWith(rec);
    await before.enqueueInOrder(branches);
    await rec.reached(branches[0], 'checks-pending');
    // The app quits while the first draft's checks run: the order is in the records.
    before.stop();
    await before.idle();
    expect((await store.get(branches[0])).state.kind).toBe('checks-pending');
    expect((await store.get(branches[2])).state).toEqual({ kind: 'queued', after: branches[1] });

    const rec2 = recorder();
    const after = queueWith(rec2);
    const polled = forge.polledOnce(first);
    await after.reconcile();
    await polled;
    expect(rec2.kinds(branches[1])).toEqual([]);
    forge.setChecks(first, 'failure');
    await after.idle();

    expect((await store.get(branches[0])).state).toEqual({ kind: 'failed', checks: ['ci/jenkins'] });
    const second = (await store.get(branches[1])).state;
    expect(second).toEqual({ kind: 'cancelled', reason: `the checks of ${branches[0]} failed (ci/jenkins), so this draft was not pushed` });
    expect(describeState(second)).toBe(`cancelled: the checks of ${branches[0]} failed (ci/jenkins), so this draft was not pushed`);
    expect((await store.get(branches[2])).state).toEqual({ kind: 'cancelled', reason: `${branches[1]} was cancelled, so this draft was not pushed` });
    // Nothing of the rest went out; each can be pushed again by hand.
    expect(forge.pulls.length).toBe(pullsBefore + 1);
    expect(await remoteBranches()).not.toContain('override-next-devel-c');
    expect((await store.list()).find((d) => d.branch === branches[1])?.allowed).toContain('push');
  }, 60_000);

  it('refuses the whole order when one draft cannot be pushed: nothing is queued', async () => {
    const ok = await draft('testing-devel', 'a', '0.8-1.fc40');
    const pushed = (await store.list()).find((d) => d.state.kind === 'passed')!.branch;
    const queue = queueWith(recorder());
    await expect(queue.enqueueInOrder([ok, pushed])).rejects.toThrow(/cannot push .*: it is pushed already/);
    await expect(queue.enqueueInOrder([ok])).rejects.toThrow('two drafts or more');
    expect((await store.get(ok)).state.kind).toBe('draft');
  });

  it('cancelling or discarding a draft of the order stops the ones after it', async () => {
    const branches = [await draft('testing-devel', 'b', '0.8-1.fc40'), await draft('next-devel', 'b', '0.8-1.fc40'), await draft('testing-devel', 'd', '0.8-1.fc40')];
    const rec = recorder();
    const queue = queueWith(rec);
    await queue.enqueueInOrder(branches);
    await rec.reached(branches[0], 'checks-pending');
    await queue.cancel(branches[1]);
    queue.forget(branches[0]);
    await store.discard(branches[0]);
    await queue.idle();
    expect((await store.get(branches[1])).state).toEqual({ kind: 'cancelled' });
    expect((await store.get(branches[2])).state).toEqual({ kind: 'cancelled', reason: `${branches[1]} was cancelled, so this draft was not pushed` });
  }, 60_000);
});
