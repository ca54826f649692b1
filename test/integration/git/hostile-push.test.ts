/**
 * Push through a hostile network (SPEC §6: the server dying during a push; the stream or the
 * remote branch moving between draft and push). The push request (commands, then the pack) is
 * cut at every pkt-line boundary and inside the pack and its trailer; the server's answer (the
 * report-status) is cut at each of its boundaries. Whatever happens, `lockstep push` never says
 * "pushed" for a remote branch that does not hold the draft, the remote branch holds the draft
 * or nothing, and a push on a good network then works. The lease race: the remote branch moved
 * between the advertisement Lockstep read and the update it sends is refused by the server and
 * reported, and the other commit stays.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../../helpers/cli';
import { startGitServer, type GitServer } from '../../helpers/git-server';
import { startHostileProxy, type Fault, type HostileProxy } from '../../helpers/hostile-proxy';
import { createRepo, lockfileJson, overridesYaml } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const ID = { GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.org', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.org' };
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';
const RECEIVE = /git-receive-pack$/;

/** Where each pkt-line starts and ends, up to the first flush (`0000`) after `from`; then the rest. */
function pktBoundaries(buf: Buffer, from = 0): number[] {
  const out: number[] = [];
  let i = from;
  while (i + 4 <= buf.length) {
    out.push(i);
    const len = parseInt(buf.toString('latin1', i, i + 4), 16);
    if (Number.isNaN(len)) break;
    if (len === 0) {
      out.push(i + 4);
      break;
    }
    out.push(i + 4);
    i += len;
  }
  return out;
}

describe('push through a hostile network', () => {
  let server: GitServer;
  let proxy: HostileProxy;
  let root: string;
  let clone: string;
  let n = 0;
  const env = { ...ID, LOCKSTEP_NET_IDLE_TIMEOUT_MS: '400' };
  const serverGit = (...args: string[]) => execFileSync('git', ['--git-dir', path.join(root, 'config.git'), ...args]).toString().trim();
  const remoteAt = (branch: string) => {
    try {
      return serverGit('rev-parse', '--verify', '-q', `refs/heads/${branch}`);
    } catch {
      return null;
    }
  };
  const cli = (args: string[]) => runCliAsync([...args, '--repo', clone], { env });
  /** A new draft (its own package version, so its own remote branch). */
  async function draft(): Promise<{ branch: string; commit: string; remote: string }> {
    const p = await cli(['pin', 'podman', `5:5.2.${++n}-1.fc40`, '--stream', 'testing-devel', '--type', 'pin', '--reason', REASON, '--json']);
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout) as { branch: string; commit: string };
    return { ...j, remote: `override-testing-devel-podman-5.2.${n}-1.fc40` };
  }

  beforeAll(async () => {
    const up = createRepo();
    up.branch('testing-devel');
    up.commit('lockfiles: import', { 'manifest-lock.x86_64.json': lockfileJson({ podman: { evra: '5:5.2.0-1.fc40.x86_64', sourcerpm: 'podman' } }), 'manifest-lock.overrides.yaml': overridesYaml({}) });
    root = makeTempDir();
    up.bareClone(path.join(root, 'config.git'));
    server = await startGitServer({ root });
    proxy = await startHostileProxy(server.url);
    clone = path.join(makeTempDir(), 'config.git');
    const c = await runCliAsync(['clone', proxy.repoUrl('config.git'), clone], { env });
    expect(c.status, c.stderr).toBe(0);
  });
  afterAll(async () => {
    await proxy.stop();
    await server.stop();
    cleanupTempDirs();
  });

  it('never reports a push the remote branch does not hold, at any cut of the request or the answer; a retry then works', async () => {
    // One good push, recorded, gives the boundaries to cut at.
    const first = await draft();
    proxy.record = RECEIVE;
    const ok = await cli(['push', first.branch]);
    expect(ok.status, ok.stderr).toBe(0);
    proxy.record = null;
    const { request, answer } = proxy.recorded.at(-1)!;
    const pack = request.indexOf('PACK');
    expect(pack).toBeGreaterThan(0);
    const requestCuts = [...new Set([...pktBoundaries(request), 1, pack + 4, pack + 12, pack + Math.floor((request.length - pack) / 2), request.length - 20, request.length - 1])].filter((x) => x > 0 && x < request.length);
    // The answer may be side-band wrapped: the outer pkt-lines' boundaries, and a byte into each.
    const answerCuts = [...new Set(pktBoundaries(answer).flatMap((x) => [x, x + 1]))].filter((x) => x > 0 && x < answer.length);
    expect(requestCuts.length).toBeGreaterThanOrEqual(6);
    expect(answerCuts.length).toBeGreaterThanOrEqual(4);

    const faults: Fault[] = [
      ...requestCuts.map((at): Fault => ({ kind: 'cut-request', target: RECEIVE, at })),
      ...answerCuts.map((at): Fault => ({ kind: 'cut', target: RECEIVE, at })),
      { kind: 'hang', target: RECEIVE, at: Math.max(1, answerCuts[1] ?? 1) },
    ];
    const outcomes: string[] = [];
    for (const fault of faults) {
      const d = await draft();
      proxy.fault = fault;
      const hits = proxy.hits;
      const r = await cli(['push', d.branch]);
      proxy.fault = { kind: 'pass' };
      const what = `${fault.kind} at ${'at' in fault ? fault.at : ''}`;
      expect(proxy.hits, `${what}: the fault was applied`).toBeGreaterThan(hits);
      const there = remoteAt(d.remote);
      // Either way the remote holds the draft or nothing, never something else.
      expect([null, d.commit], what).toContain(there);
      if (r.status === 0) expect(there, `${what}: "pushed" but the remote branch does not hold the draft`).toBe(d.commit);
      else {
        expect(r.status, `${what}: ${r.stderr}`).toBe(1);
        expect(r.stderr.trim().split('\n'), what).toHaveLength(1);
        expect(r.stderr).not.toMatch(/undefined|TypeError|\bat .*\.(ts|js):/);
      }
      outcomes.push(`${what}: exit ${r.status}, remote ${there ? 'has it' : 'empty'}`);
      // The retry on a good network ends pushed, at the draft's commit.
      const again = await cli(['push', d.branch]);
      expect(again.status, `${what}, retry: ${again.stderr}`).toBe(0);
      expect(remoteAt(d.remote), `${what}, retry`).toBe(d.commit);
    }
    // Both outcomes happened: cuts before the server took the pack, and after it updated the ref.
    expect(outcomes.some((o) => o.includes('remote empty'))).toBe(true);
    expect(outcomes.some((o) => o.includes('remote has it') && o.includes('exit 1'))).toBe(true);
    execFileSync('git', ['--git-dir', clone, 'fsck', '--no-dangling', '--no-progress']);
  }, 300_000);

  it('the lease race: a remote branch moved between the advertisement and the update is refused by the server, reported, and left as it is', async () => {
    const d = await draft();
    expect((await cli(['push', d.branch])).status).toBe(0);
    // The stream moves; the draft is rebased and needs a push to the same remote branch, under the lease.
    const work = path.join(makeTempDir(), 'w');
    execFileSync('git', ['clone', '-q', '-b', 'testing-devel', path.join(root, 'config.git'), work]);
    execFileSync('git', ['-C', work, 'commit', '-q', '--allow-empty', '-m', 'stream moves'], { env: { ...process.env, ...ID } });
    execFileSync('git', ['-C', work, 'push', '-q', 'origin', 'testing-devel']);
    expect((await cli(['fetch'])).status).toBe(0);
    expect((await cli(['rebase', d.branch])).status).toBe(0);
    // Between Lockstep's read of the refs and its update, a reviewer pushes a fixup there.
    let foreign = '';
    proxy.before = {
      target: RECEIVE,
      run: async () => {
        execFileSync('git', ['-C', work, 'fetch', '-q', 'origin', d.remote]);
        execFileSync('git', ['-C', work, 'checkout', '-q', '-B', 'fix', 'FETCH_HEAD']);
        execFileSync('git', ['-C', work, 'commit', '-q', '--allow-empty', '-m', 'a reviewer fixup'], { env: { ...process.env, ...ID } });
        execFileSync('git', ['-C', work, 'push', '-q', 'origin', `fix:${d.remote}`]);
        foreign = execFileSync('git', ['-C', work, 'rev-parse', 'HEAD']).toString().trim();
      },
    };
    const r = await cli(['push', d.branch]);
    expect(proxy.before, 'the hook ran').toBeNull();
    expect(r.status, r.stdout).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(remoteAt(d.remote)).toBe(foreign);
    const listed = (JSON.parse((await cli(['drafts', '--json'])).stdout) as { branch: string; state: string }[]).find((x) => x.branch === d.branch);
    expect(listed?.state).not.toBe('pushed');
  }, 120_000);
});
