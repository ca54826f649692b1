/**
 * Clone and fetch through a proxy that cuts, hangs and garbles the git server's answers at
 * exact bytes (test/helpers/hostile-proxy.ts). Whatever the fault, the transfer fails with a
 * defined error that names the problem, no ref moves, the repo stays whole (`git fsck`), no
 * temporary file is left, a clone leaves no folder, and the next good transfer just works.
 */
import { execFile, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type ErrorCode } from '../../../shared/errors';
import { cloneRepo } from '../../../main/git/transport/clone';
import { fetchAll } from '../../../main/git/transport/fetch';
import { startGitServer, type GitServer } from '../../helpers/git-server';
import { startHostileProxy, type Fault, type HostileProxy } from '../../helpers/hostile-proxy';
import { createRepo, lockfileJson, overridesYaml } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const gitAsync = promisify(execFile);
const PACK = /git-upload-pack$/;
const REFS = /info\/refs/;

const refsOf = (gitdir: string) => execFileSync('git', ['--git-dir', gitdir, 'for-each-ref', '--format=%(refname) %(objectname)']).toString();
/** Temporary files a transfer writes before renaming them into place. */
const temps = (gitdir: string) =>
  (fs.readdirSync(gitdir, { recursive: true }) as string[]).filter((f) => /\.tmp|tmp_|\.lock$|\.pending$|\.partial/.test(path.basename(f)));

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err, String(err)).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('the transfer succeeded through the fault');
}

describe('clone and fetch through a hostile network', () => {
  let server: GitServer;
  let proxy: HostileProxy;
  let root: string;
  let upstream: string;
  const idle = process.env.LOCKSTEP_NET_IDLE_TIMEOUT_MS;

  // Each fault, with the errors a user may see for it.
  const faults: [string, Fault, ErrorCode[]][] = [
    ['the pack cut after 3 kB', { kind: 'cut', target: PACK, at: 3000 }, ['network']],
    ['the pack hanging after 3 kB', { kind: 'hang', target: PACK, at: 3000 }, ['network']],
    ['the pack hanging before its first byte', { kind: 'hang', target: PACK, at: 0 }, ['network']],
    ['pack bytes garbled in the middle', { kind: 'garble', target: PACK, at: 4000, length: 16 }, ['network', 'repo']],
    ['pkt-line lengths garbled', { kind: 'garble', target: PACK, at: 0, length: 4 }, ['network', 'repo']],
    ['the ref advertisement garbled', { kind: 'garble', target: REFS, at: 40, length: 24 }, ['network', 'repo']],
    ['the ref advertisement hanging', { kind: 'hang', target: REFS, at: 10 }, ['network']],
  ];

  beforeAll(async () => {
    // Idle connections are given up after 300 ms here (two minutes by default).
    process.env.LOCKSTEP_NET_IDLE_TIMEOUT_MS = '300';
    const up = createRepo();
    up.branch('testing-devel');
    up.commit('lockfiles: import', {
      'manifest-lock.x86_64.json': lockfileJson({ kernel: { evra: '6.10.1-200.fc40.x86_64', sourcerpm: 'kernel' } }),
      'manifest-lock.overrides.yaml': overridesYaml({}),
      // Incompressible, so the pack is long enough for faults in its middle.
      'noise.txt': crypto.randomBytes(30_000).toString('base64'),
    });
    up.branch('stable', 'testing-devel');
    root = makeTempDir();
    upstream = up.bareClone(path.join(root, 'config.git'));
    server = await startGitServer({ root });
    proxy = await startHostileProxy(server.url);
  });
  afterAll(async () => {
    if (idle === undefined) delete process.env.LOCKSTEP_NET_IDLE_TIMEOUT_MS;
    else process.env.LOCKSTEP_NET_IDLE_TIMEOUT_MS = idle;
    await proxy.stop();
    await server.stop();
    cleanupTempDirs();
  });

  for (const [what, fault, codes] of faults) {
    it(`clone: ${what} fails clearly, leaves nothing, and a retry works`, async () => {
      const parent = makeTempDir();
      const dest = path.join(parent, 'clone.git');
      proxy.fault = fault;
      const hitsBefore = proxy.hits;
      const err = await failure(cloneRepo(proxy.repoUrl('config.git'), dest));
      expect(proxy.hits, 'the fault was applied').toBeGreaterThan(hitsBefore);
      expect(codes, `${err.code}: ${err.message}`).toContain(err.code);
      expect(err.message).not.toMatch(/undefined|\bat .*\.ts:|TypeError/);
      expect(fs.readdirSync(parent)).toEqual([]);
      proxy.fault = { kind: 'pass' };
      await cloneRepo(proxy.repoUrl('config.git'), dest);
      await gitAsync('git', ['--git-dir', dest, 'fsck', '--strict', '--no-dangling', '--no-progress']);
    });
  }

  it('fetch: every fault leaves the refs and objects as they were, and a good fetch then gets the new commits', async () => {
    const dest = path.join(makeTempDir(), 'clone.git');
    proxy.fault = { kind: 'pass' };
    await cloneRepo(proxy.repoUrl('config.git'), dest);
    // The stream moves upstream, with enough new data for faults in the pack's middle.
    const work = path.join(makeTempDir(), 'w');
    execFileSync('git', ['clone', '-q', '-b', 'testing-devel', upstream, work]);
    fs.writeFileSync(path.join(work, 'noise.txt'), crypto.randomBytes(30_000).toString('base64'));
    const env = { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@e.org', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@e.org' };
    execFileSync('git', ['-C', work, 'commit', '-qam', 'moves'], { env });
    execFileSync('git', ['-C', work, 'push', '-q', 'origin', 'testing-devel'], { env });
    const head = execFileSync('git', ['-C', work, 'rev-parse', 'HEAD']).toString().trim();
    const before = refsOf(dest);
    for (const [what, fault, codes] of faults) {
      proxy.fault = fault;
      const err = await failure(fetchAll(dest));
      expect(codes, `${what}: ${err.code}: ${err.message}`).toContain(err.code);
      expect(refsOf(dest), what).toBe(before);
      expect(temps(dest), what).toEqual([]);
      await gitAsync('git', ['--git-dir', dest, 'fsck', '--strict', '--no-dangling', '--no-progress']);
    }
    proxy.fault = { kind: 'pass' };
    const moved = await fetchAll(dest);
    expect(moved.map((m) => [m.name, m.to])).toEqual([['testing-devel', head]]);
    await gitAsync('git', ['--git-dir', dest, 'fsck', '--strict', '--no-dangling', '--no-progress']);
  });
});
