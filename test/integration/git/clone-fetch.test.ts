/**
 * Clone and fetch against a real `git http-backend` on 127.0.0.1: all branches, credentials,
 * a server dying mid-transfer, cancel, prune, and what is left on disk after each failure.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { cloneRepo } from '../../../main/git/transport/clone';
import type { TransferProgress } from '../../../main/git/transport/transfer';
import { fetchAll } from '../../../main/git/transport/fetch';
import { ConfigRepo } from '../../../main/services/review/config-repo';
import type { CredentialProvider, Credentials } from '../../../main/git/transport/credentials';
import { FIXTURE_BUNDLE, HAVE_FIXTURE, fixtureSkipReason, warnIfNoFixture } from '../../helpers/fixture';
import { startGitServer, type GitServer } from '../../helpers/git-server';
import { createRepo, lockfileJson, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

warnIfNoFixture('clone-fetch: clone of the fixture');

const AUTH = { username: 'ada', password: 's3cret-token-9f8e7d' };

// ---------------------------------------------------------------------------------------------
// Local helpers

function recorder(answers: (Credentials | null)[]): CredentialProvider & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    async get(_url, attempt) {
      log.push(`get ${attempt}`);
      return answers[attempt] ?? null;
    },
    async approve(_url, c) {
      log.push(`approve ${c.username}:${c.password === AUTH.password ? 'right' : 'wrong'}`);
    },
    async reject(_url, c) {
      log.push(`reject ${c.username}:${c.password === AUTH.password ? 'right' : 'wrong'}`);
    },
  };
}

async function expectAppError(p: Promise<unknown>, code: string, re?: RegExp): Promise<AppError> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  if (!caught) throw new Error(`expected an AppError ${code}, the operation succeeded`);
  expect(caught).toBeInstanceOf(AppError);
  const e = caught as AppError;
  expect({ code: e.code, message: e.message }).toMatchObject({ code });
  if (re) expect(e.message).toMatch(re);
  const plain = JSON.stringify(e.toPlain());
  expect(plain).not.toContain(AUTH.password);
  expect(plain).not.toContain('wrong-password');
  return e;
}

const gitOut = (gitdir: string, ...args: string[]) => execFileSync('git', ['--git-dir', gitdir, ...args]).toString().trim();
const refsOf = (gitdir: string) =>
  Object.fromEntries(
    gitOut(gitdir, 'for-each-ref', '--format=%(refname) %(objectname)')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ')),
  ) as Record<string, string>;
const fsck = (gitdir: string) => execFileSync('git', ['--git-dir', gitdir, 'fsck', '--no-progress', '--no-dangling'], { stdio: 'pipe' });
/** Whatever the clone left in the destination's parent besides what the test put there. */
const leftovers = (parent: string) => fs.readdirSync(parent).filter((e) => e.includes('lockstep-clone'));

/**
 * A proxy in front of the git server that trickles the pack (the answer to the upload-pack
 * POST) out slowly, so a test can act while the download is surely under way, and that tells
 * whether the client hung up before the answer was complete.
 */
async function startSlowProxy(target: string, opts: { chunk: number; everyMs: number }) {
  const sockets = new Set<Socket>();
  const state = { clientHungUp: false, packBytesSent: 0 };
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers };
    delete headers.host;
    const up = http.request(`${target}${req.url}`, { method: req.method, headers }, (ur) => {
      const out = { ...ur.headers };
      for (const h of ['connection', 'keep-alive', 'transfer-encoding']) delete out[h];
      res.writeHead(ur.statusCode ?? 500, out);
      if (!(req.method === 'POST' && /git-upload-pack$/.test(req.url ?? ''))) {
        ur.pipe(res);
        return;
      }
      let pending = Buffer.alloc(0);
      let upstreamDone = false;
      ur.on('data', (d: Buffer) => (pending = Buffer.concat([pending, d])));
      ur.on('end', () => (upstreamDone = true));
      const timer = setInterval(() => {
        const part = pending.subarray(0, opts.chunk);
        pending = pending.subarray(part.length);
        if (part.length) {
          state.packBytesSent += part.length;
          res.write(part);
        }
        if (upstreamDone && pending.length === 0) {
          clearInterval(timer);
          res.end();
        }
      }, opts.everyMs);
      res.on('close', () => {
        clearInterval(timer);
        if (!res.writableFinished) state.clientHungUp = true;
      });
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    state,
    repoUrl: (name: string) => `${url}/${name}`,
    kill() {
      for (const s of sockets) s.destroy();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------

describe('clone and fetch over smart HTTP', () => {
  let root: string;
  let source: RepoBuilder;
  let open: GitServer;
  let authed: GitServer;
  let slow: Awaited<ReturnType<typeof startSlowProxy>>;
  const BRANCHES = ['next-devel', 'stable', 'testing', 'testing-devel'];

  beforeAll(async () => {
    source = createRepo();
    source.branch('testing-devel');
    for (let i = 0; i < 30; i++) {
      source.commit(`lockfiles: bump ${i}`, {
        'manifest-lock.x86_64.json': lockfileJson({ kernel: `6.${i}.0-1.fc40.x86_64`, [`pkg${i}`]: `1-${i}.fc40.x86_64` }),
      });
    }
    source.branch('stable', 'testing-devel~5');
    source.branch('testing', 'testing-devel~2');
    source.branch('next-devel', 'testing-devel~10');
    source.checkout('testing-devel');
    root = makeTempDir();
    source.bareClone(path.join(root, 'config.git'));
    execFileSync('git', ['--git-dir', path.join(root, 'config.git'), 'symbolic-ref', 'HEAD', 'refs/heads/testing-devel']);

    // A repo whose pack is a few MB of incompressible data, for the slow-download tests.
    const big = createRepo();
    big.branch('main');
    big.commit('big', { 'blob.txt': crypto.randomBytes(3_000_000).toString('base64') });
    big.bareClone(path.join(root, 'big.git'));

    open = await startGitServer({ root });
    authed = await startGitServer({ root, auth: AUTH });
    slow = await startSlowProxy(open.url, { chunk: 64 * 1024, everyMs: 20 });
  });
  afterAll(async () => {
    await slow?.stop();
    await open?.stop();
    await authed?.stop();
    cleanupTempDirs();
  });

  /** A fresh bare copy of config.git under its own name, so fetch tests can move it. */
  function upstreamCopy(name: string): string {
    const dest = path.join(root, name);
    execFileSync('git', ['clone', '-q', '--bare', path.join(root, 'config.git'), dest]);
    execFileSync('git', ['--git-dir', dest, 'symbolic-ref', 'HEAD', 'refs/heads/testing-devel']);
    return dest;
  }

  /** Pushes a new commit on `branch` of a bare upstream, from a scratch clone. */
  function commitUpstream(upstream: string, branch: string, message: string, files: Record<string, string>): string {
    const work = path.join(makeTempDir(), 'w');
    execFileSync('git', ['clone', '-q', '-b', branch, upstream, work]);
    for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(work, f), text);
    const env = { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@e' };
    execFileSync('git', ['-C', work, 'add', '-A'], { env });
    execFileSync('git', ['-C', work, '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', message], { env });
    execFileSync('git', ['-C', work, 'push', '-q', 'origin', branch], { env });
    return execFileSync('git', ['-C', work, 'rev-parse', 'HEAD']).toString().trim();
  }

  describe('clone', () => {
    it('clones every branch as refs/remotes/origin/* into a bare repo, with a local branch for HEAD and progress', async () => {
      const parent = makeTempDir();
      const dir = path.join(parent, 'clone');
      const events: TransferProgress[] = [];
      await cloneRepo(open.repoUrl('config.git'), dir, { onProgress: (p) => events.push(p) });

      const refs = refsOf(dir);
      for (const b of BRANCHES) expect(refs[`refs/remotes/origin/${b}`]).toBe(source.rev(b));
      expect(refs['refs/heads/testing-devel']).toBe(source.rev('testing-devel'));
      expect(gitOut(dir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/testing-devel');
      expect(gitOut(dir, 'config', 'core.bare')).toBe('true');
      expect(gitOut(dir, 'config', 'remote.origin.url')).toBe(open.repoUrl('config.git'));
      expect(gitOut(dir, 'config', 'remote.origin.fetch')).toBe('+refs/heads/*:refs/remotes/origin/*');
      expect(fs.existsSync(path.join(dir, 'manifest-lock.x86_64.json'))).toBe(false);
      expect(fs.existsSync(path.join(dir, 'index'))).toBe(false);
      fsck(dir);
      expect(leftovers(parent)).toEqual([]);

      const phases = [...new Set(events.map((e) => e.phase))];
      expect(phases).toContain('Downloading');
      expect(phases).toContain('Resolving deltas');
      for (const e of events) {
        expect(e.loaded).toBeGreaterThanOrEqual(0);
        expect(e.total).toBeGreaterThanOrEqual(0);
      }
      // As git counts: every object while indexing, then the deltas among them.
      const indexed = events.filter((e) => e.phase === 'Indexing objects').pop()!;
      expect(indexed.total).toBeGreaterThan(30);
      expect(indexed.loaded).toBe(indexed.total);
      const last = events.filter((e) => e.phase === 'Resolving deltas').pop()!;
      expect(last.total).toBeGreaterThan(0);
      expect(last.loaded).toBe(last.total);

      const repo = await ConfigRepo.open(dir);
      expect((await repo.resolve('stable')).oid).toBe(source.rev('stable'));
      repo.close();
    });

    it('clones a remote whose HEAD names a missing branch, with a warning, as git does', async () => {
      const upstream = upstreamCopy('dangling.git');
      execFileSync('git', ['--git-dir', upstream, 'symbolic-ref', 'HEAD', 'refs/heads/gone']);
      const dir = path.join(makeTempDir(), 'clone');
      const warnings: string[] = [];
      await cloneRepo(open.repoUrl('dangling.git'), dir, { onWarning: (w) => warnings.push(w) });
      const refs = refsOf(dir);
      for (const b of BRANCHES) expect(refs[`refs/remotes/origin/${b}`]).toBe(source.rev(b));
      expect(Object.keys(refs).filter((r) => r.startsWith('refs/heads/'))).toEqual([]);
      expect(warnings).toEqual([expect.stringMatching(/HEAD .*does not exist/)]);
      expect(gitOut(dir, 'config', 'core.bare')).toBe('true');
      fsck(dir);
      const moved = await fetchAll(dir);
      expect(moved).toEqual([]);
    });

    it('clones into an existing empty folder', async () => {
      const dir = makeTempDir();
      await cloneRepo(open.repoUrl('config.git'), dir);
      expect(refsOf(dir)['refs/remotes/origin/stable']).toBe(source.rev('stable'));
    });

    it('asks for credentials only when the server wants them, and approves right ones', async () => {
      const creds = recorder([AUTH]);
      const dir = path.join(makeTempDir(), 'c');
      await cloneRepo(authed.repoUrl('config.git'), dir, { credentials: creds });
      expect(creds.log).toEqual(['get 0', 'approve ada:right']);
      expect(refsOf(dir)['refs/remotes/origin/testing']).toBe(source.rev('testing'));

      const anonymous = recorder([AUTH]);
      await cloneRepo(open.repoUrl('config.git'), path.join(makeTempDir(), 'c'), { credentials: anonymous });
      expect(anonymous.log).toEqual([]);
    });

    it('rejects wrong credentials and fails with auth, leaking nothing and leaving nothing', async () => {
      const parent = makeTempDir();
      const dir = path.join(parent, 'c');
      const creds = recorder([{ username: 'ada', password: 'wrong-password' }]);
      const err = await expectAppError(cloneRepo(authed.repoUrl('config.git'), dir, { credentials: creds }), 'auth', /refused the credentials/);
      expect(err.message).toMatch(/token/);
      expect(creds.log).toEqual(['get 0', 'reject ada:wrong', 'get 1']);
      expect(fs.existsSync(dir)).toBe(false);
      expect(fs.readdirSync(parent)).toEqual([]);
    });

    it('retries after a refused answer: reject, then approve', async () => {
      const creds = recorder([{ username: 'ada', password: 'wrong-password' }, AUTH]);
      await cloneRepo(authed.repoUrl('config.git'), path.join(makeTempDir(), 'c'), { credentials: creds });
      expect(creds.log).toEqual(['get 0', 'reject ada:wrong', 'get 1', 'approve ada:right']);
    });

    it('gives up after four refused answers', async () => {
      const wrong = { username: 'ada', password: 'wrong-password' };
      const creds = recorder([wrong, wrong, wrong, wrong, wrong, wrong]);
      await expectAppError(cloneRepo(authed.repoUrl('config.git'), path.join(makeTempDir(), 'c'), { credentials: creds }), 'auth');
      expect(creds.log.filter((l) => l.startsWith('get'))).toHaveLength(4);
      expect(creds.log.filter((l) => l.startsWith('reject'))).toHaveLength(4);
    });

    it('fails with auth when the server wants credentials and there are none', async () => {
      await expectAppError(cloneRepo(authed.repoUrl('config.git'), path.join(makeTempDir(), 'c')), 'auth', /credentials/);
      await expectAppError(
        cloneRepo(authed.repoUrl('config.git'), path.join(makeTempDir(), 'c'), { credentials: recorder([]) }),
        'auth',
        /none were given/,
      );
    });

    it('uses credentials written in the URL without keeping them in the config or any message', async () => {
      const withToken = authed.repoUrl('config.git').replace('http://', `http://${AUTH.username}:${AUTH.password}@`);
      const dir = path.join(makeTempDir(), 'c');
      await cloneRepo(withToken, dir);
      const config = fs.readFileSync(path.join(dir, 'config'), 'utf8');
      expect(config).not.toContain(AUTH.password);
      expect(gitOut(dir, 'config', 'remote.origin.url')).toBe(authed.repoUrl('config.git').replace('http://', 'http://ada@'));

      const wrongInUrl = authed.repoUrl('config.git').replace('http://', 'http://ada:wrong-password@');
      await expectAppError(cloneRepo(wrongInUrl, path.join(makeTempDir(), 'c')), 'auth');
      const missing = open.repoUrl('nope.git').replace('http://', `http://ada:${AUTH.password}@`);
      await expectAppError(cloneRepo(missing, path.join(makeTempDir(), 'c')), 'bad-input', /HTTP 404/);
    });

    it('fails with network and leaves nothing when the server dies mid-clone', async () => {
      const parent = makeTempDir();
      const dir = path.join(parent, 'c');
      open.failNext(/\/git-upload-pack$/, 300);
      await expectAppError(cloneRepo(open.repoUrl('config.git'), dir), 'network', /connection .* was lost.*retry/);
      expect(fs.existsSync(dir)).toBe(false);
      expect(fs.readdirSync(parent)).toEqual([]);

      // Cut later, in the middle of a big pack.
      open.failNext(/\/git-upload-pack$/, 1_000_000);
      await expectAppError(cloneRepo(open.repoUrl('big.git'), dir), 'network', /retry/);
      expect(fs.readdirSync(parent)).toEqual([]);
    });

    it('fails with network and leaves nothing when the server is killed during the download', async () => {
      const parent = makeTempDir();
      const dir = path.join(parent, 'c');
      let killed = false;
      const p = cloneRepo(slow.repoUrl('big.git'), dir, {
        onProgress: (e) => {
          if (e.phase === 'Downloading' && !killed) {
            killed = true;
            slow.kill();
          }
        },
      });
      await expectAppError(p, 'network', /retry/);
      expect(killed).toBe(true);
      expect(fs.readdirSync(parent)).toEqual([]);
    });

    it('says the server cannot be reached, and that a URL is not a repository', async () => {
      const gone = await startGitServer({ root });
      const url = gone.repoUrl('config.git');
      await gone.stop();
      await expectAppError(cloneRepo(url, path.join(makeTempDir(), 'c')), 'network', /could not be reached; check the URL or your connection/);
      await expectAppError(cloneRepo(open.repoUrl('missing.git'), path.join(makeTempDir(), 'c')), 'bad-input', /no repository at that URL/);
    });

    it('cancels on the first progress event and removes everything', async () => {
      const parent = makeTempDir();
      const dir = path.join(parent, 'c');
      const ac = new AbortController();
      await expectAppError(cloneRepo(open.repoUrl('config.git'), dir, { signal: ac.signal, onProgress: () => ac.abort() }), 'cancelled', /cancelled/);
      expect(fs.existsSync(dir)).toBe(false);
      expect(fs.readdirSync(parent)).toEqual([]);
    });

    it('cancels mid-download by aborting the request itself, at once', async () => {
      const parent = makeTempDir();
      const dir = path.join(parent, 'c');
      const ac = new AbortController();
      slow.state.clientHungUp = false;
      slow.state.packBytesSent = 0;
      let abortedAt = 0;
      const p = cloneRepo(slow.repoUrl('big.git'), dir, {
        signal: ac.signal,
        onProgress: (e) => {
          if (e.phase === 'Downloading' && e.loaded > 100_000 && !abortedAt) {
            abortedAt = Date.now();
            ac.abort();
          }
        },
      });
      await expectAppError(p, 'cancelled');
      expect(Date.now() - abortedAt).toBeLessThan(1000);
      // The trickle would take ~1.3 s: the proxy saw the client hang up long before the end.
      await expect.poll(() => slow.state.clientHungUp, { timeout: 1000 }).toBe(true);
      expect(slow.state.packBytesSent).toBeLessThan(3_000_000);
      expect(fs.readdirSync(parent)).toEqual([]);
    });

    it('cancels while the pack is being indexed', async () => {
      const parent = makeTempDir();
      const ac = new AbortController();
      const phases: string[] = [];
      const p = cloneRepo(open.repoUrl('config.git'), path.join(parent, 'c'), {
        signal: ac.signal,
        onProgress: (e) => {
          phases.push(e.phase);
          if (e.phase === 'Resolving deltas') ac.abort();
        },
      });
      await expectAppError(p, 'cancelled');
      expect(phases).toContain('Downloading');
      expect(fs.readdirSync(parent)).toEqual([]);
    });

    it('cancels while waiting for credentials, and before starting', async () => {
      const ac = new AbortController();
      const never: CredentialProvider = {
        get: () => {
          setTimeout(() => ac.abort(), 50);
          return new Promise(() => undefined);
        },
        approve: async () => undefined,
        reject: async () => undefined,
      };
      const parent = makeTempDir();
      await expectAppError(cloneRepo(authed.repoUrl('config.git'), path.join(parent, 'c'), { signal: ac.signal, credentials: never }), 'cancelled');
      await expectAppError(cloneRepo(open.repoUrl('config.git'), path.join(parent, 'd'), { signal: AbortSignal.abort() }), 'cancelled');
      expect(fs.readdirSync(parent)).toEqual([]);
    });

    it('keeps going when a progress listener throws', async () => {
      const dir = path.join(makeTempDir(), 'c');
      await cloneRepo(open.repoUrl('config.git'), dir, {
        onProgress: () => {
          throw new Error('listener bug');
        },
      });
      expect(refsOf(dir)['refs/remotes/origin/stable']).toBe(source.rev('stable'));
    });

    it('refuses SSH and other non-http URLs, non-URLs, and a destination that is not empty', async () => {
      const x = () => path.join(makeTempDir(), 'x');
      await expectAppError(cloneRepo('git@github.com:coreos/fedora-coreos-config.git', x()), 'bad-input', /SSH is not supported.*HTTPS URL/);
      await expectAppError(cloneRepo('ssh://git@github.com/coreos/fedora-coreos-config.git', x()), 'bad-input', /SSH is not supported.*HTTPS URL/);
      await expectAppError(cloneRepo('github.com:coreos/fedora-coreos-config', x()), 'bad-input', /SSH/);
      await expectAppError(cloneRepo('git://github.com/coreos/x.git', x()), 'bad-input', /HTTPS URL/);
      await expectAppError(cloneRepo('not a url', x()), 'bad-input', /not a URL/);
      await expectAppError(cloneRepo('/srv/git/config.git', x()), 'bad-input', /not a URL/);

      const full = makeTempDir();
      fs.writeFileSync(path.join(full, 'keep.txt'), 'mine');
      await expectAppError(cloneRepo(open.repoUrl('config.git'), full), 'bad-input', /not empty/);
      expect(fs.readdirSync(full)).toEqual(['keep.txt']);
      const file = path.join(makeTempDir(), 'file');
      fs.writeFileSync(file, 'x');
      await expectAppError(cloneRepo(open.repoUrl('config.git'), file), 'bad-input', /not a folder/);
    });

    it('removes parent folders it created when the clone fails, and stale temporaries of killed clones', async () => {
      const base = makeTempDir();
      const dir = path.join(base, 'a', 'b', 'c');
      await expectAppError(cloneRepo(open.repoUrl('missing.git'), dir), 'bad-input');
      expect(fs.readdirSync(base)).toEqual([]);

      // A clone killed with SIGKILL leaves its hidden folder; the next clone there sweeps it.
      const parent = makeTempDir();
      const stale = path.join(parent, '.c.lockstep-clone-999999999-abcd');
      fs.mkdirSync(path.join(stale, 'objects'), { recursive: true });
      await cloneRepo(open.repoUrl('config.git'), path.join(parent, 'c'));
      expect(fs.readdirSync(parent)).toEqual(['c']);
    });

    it.skipIf(!HAVE_FIXTURE)('clones the fixture with its seven streams', async () => {
      const fixtureRoot = makeTempDir();
      execFileSync('git', ['clone', '-q', '--bare', FIXTURE_BUNDLE, path.join(fixtureRoot, 'fcos.git')]);
      const server = await startGitServer({ root: fixtureRoot });
      try {
        const dir = path.join(makeTempDir(), 'fcos');
        await cloneRepo(server.repoUrl('fcos.git'), dir);
        const branches = gitOut(dir, 'branch', '-r', '--format=%(refname)')
          .split('\n')
          .filter((b) => !b.endsWith('/HEAD'));
        expect(branches).toHaveLength(7);
        const expected = refsOf(path.join(fixtureRoot, 'fcos.git'));
        for (const b of branches) expect(refsOf(dir)[b]).toBe(expected[b.replace('refs/remotes/origin/', 'refs/heads/')]);
        fsck(dir);
      } finally {
        await server.stop();
      }
    }, 180_000);
    if (!HAVE_FIXTURE) it('fixture clone skipped', () => console.warn(`SKIPPED the fixture clone: ${fixtureSkipReason()}`));
  });

  describe('fetch', () => {
    it('returns the branches that moved, new ones with from = null, and prunes deleted ones', async () => {
      const up = upstreamCopy('fetch1.git');
      const dir = path.join(makeTempDir(), 'clone');
      await cloneRepo(open.repoUrl('fetch1.git'), dir);
      const stableBefore = refsOf(dir)['refs/remotes/origin/stable'];

      const moved = commitUpstream(up, 'stable', 'lockfiles: stable moves', { 'README.md': 'x\n' });
      execFileSync('git', ['--git-dir', up, 'branch', '-D', 'testing']);
      execFileSync('git', ['--git-dir', up, 'branch', 'branched', 'refs/heads/next-devel']);
      // A draft and a local branch of the user: a fetch never touches those.
      execFileSync('git', ['--git-dir', dir, 'branch', 'lockstep/testing-devel/foo-1-1', 'refs/remotes/origin/testing-devel']);

      const events: TransferProgress[] = [];
      const result = await fetchAll(dir, { onProgress: (p) => events.push(p) });
      expect(result).toEqual([
        { name: 'branched', from: null, to: source.rev('next-devel') },
        { name: 'stable', from: stableBefore, to: moved },
      ]);
      const refs = refsOf(dir);
      expect(refs['refs/remotes/origin/testing']).toBeUndefined();
      expect(refs['refs/remotes/origin/stable']).toBe(moved);
      expect(refs['refs/heads/lockstep/testing-devel/foo-1-1']).toBe(source.rev('testing-devel'));
      expect(refs['refs/heads/testing-devel']).toBe(source.rev('testing-devel'));
      expect(events.length).toBeGreaterThan(0);
      fsck(dir);

      const repo = await ConfigRepo.open(dir);
      expect(repo.commit(moved).message).toBe('lockfiles: stable moves\n');
      repo.close();
      expect(gitOut(dir, 'show', `${moved}:README.md`)).toBe('x');

      expect(await fetchAll(dir)).toEqual([]);
    });

    it('fetches with credentials from the provider (the clone kept none)', async () => {
      const up = upstreamCopy('fetch-auth.git');
      const dir = path.join(makeTempDir(), 'clone');
      await cloneRepo(authed.repoUrl('fetch-auth.git').replace('http://', `http://ada:${AUTH.password}@`), dir);
      const head = commitUpstream(up, 'testing-devel', 'more', { 'a.txt': 'a\n' });

      await expectAppError(fetchAll(dir), 'auth');
      const creds = recorder([AUTH]);
      const result = await fetchAll(dir, { credentials: creds });
      expect(result.map((r) => [r.name, r.to])).toEqual([['testing-devel', head]]);
      expect(creds.log).toEqual(['get 0', 'approve ada:right']);

      const wrong = recorder([{ username: 'ada', password: 'wrong-password' }]);
      commitUpstream(up, 'testing-devel', 'more', { 'b.txt': 'b\n' });
      await expectAppError(fetchAll(dir, { credentials: wrong }), 'auth', /refused/);
      expect(wrong.log).toContain('reject ada:wrong');
      expect(refsOf(dir)['refs/remotes/origin/testing-devel']).toBe(head);
    });

    it('changes no ref when the server dies mid-fetch, and a retry then works', async () => {
      const up = upstreamCopy('fetch-die.git');
      const dir = path.join(makeTempDir(), 'clone');
      await cloneRepo(open.repoUrl('fetch-die.git'), dir);
      const before = refsOf(dir);
      const head = commitUpstream(up, 'testing-devel', 'big change', { 'big.txt': crypto.randomBytes(200_000).toString('base64') });
      execFileSync('git', ['--git-dir', up, 'branch', '-D', 'next-devel']);

      open.failNext(/\/git-upload-pack$/, 2_000);
      await expectAppError(fetchAll(dir), 'network', /lost.*retry/);
      expect(refsOf(dir)).toEqual(before);
      fsck(dir);

      const result = await fetchAll(dir);
      expect(result).toEqual([{ name: 'testing-devel', from: before['refs/remotes/origin/testing-devel'], to: head }]);
      expect(refsOf(dir)['refs/remotes/origin/next-devel']).toBeUndefined();
      fsck(dir);
    });

    it('changes no ref when cancelled', async () => {
      const up = upstreamCopy('fetch-cancel.git');
      const dir = path.join(makeTempDir(), 'clone');
      await cloneRepo(open.repoUrl('fetch-cancel.git'), dir);
      const before = refsOf(dir);
      commitUpstream(up, 'stable', 'moves', { 'c.txt': 'c\n' });
      const ac = new AbortController();
      await expectAppError(fetchAll(dir, { signal: ac.signal, onProgress: () => ac.abort() }), 'cancelled');
      expect(refsOf(dir)).toEqual(before);
      fsck(dir);
    });

    it('works on a .git folder and on a `git clone --bare` (which has no fetch refspec)', async () => {
      const up = upstreamCopy('fetch-plain.git');
      const plain = path.join(makeTempDir(), 'plain');
      // Cloned from the folder, then pointed at the server: a synchronous git talking to the
      // in-process server would deadlock it.
      execFileSync('git', ['clone', '-q', up, plain]);
      execFileSync('git', ['-C', plain, 'remote', 'set-url', 'origin', open.repoUrl('fetch-plain.git')]);
      const bare = path.join(makeTempDir(), 'bare.git');
      execFileSync('git', ['clone', '-q', '--bare', up, bare]);
      execFileSync('git', ['--git-dir', bare, 'remote', 'set-url', 'origin', open.repoUrl('fetch-plain.git')]);
      const head = commitUpstream(up, 'testing', 'moves', { 'd.txt': 'd\n' });

      expect((await fetchAll(path.join(plain, '.git'))).map((r) => [r.name, r.to])).toEqual([['testing', head]]);
      const fromBare = await fetchAll(bare);
      expect(fromBare.map((r) => r.name)).toEqual(BRANCHES);
      expect(fromBare.every((r) => r.from === null)).toBe(true);
      expect(refsOf(bare)['refs/heads/testing']).toBe(source.rev('testing'));
      expect(refsOf(bare)['refs/remotes/origin/testing']).toBe(head);
    });

    it('refuses a mirror refspec (its prune would delete drafts), SSH remotes and a missing remote', async () => {
      const mirror = path.join(makeTempDir(), 'm.git');
      execFileSync('git', ['clone', '-q', '--mirror', path.join(root, 'config.git'), mirror]);
      execFileSync('git', ['--git-dir', mirror, 'remote', 'set-url', 'origin', open.repoUrl('config.git')]);
      execFileSync('git', ['--git-dir', mirror, 'branch', 'lockstep/draft', 'testing']);
      await expectAppError(fetchAll(mirror), 'bad-input', /mirror/);
      expect(refsOf(mirror)['refs/heads/lockstep/draft']).toBe(source.rev('testing'));

      const dir = path.join(makeTempDir(), 'clone');
      await cloneRepo(open.repoUrl('config.git'), dir);
      await expectAppError(fetchAll(dir, { remote: 'fork' }), 'bad-input', /no remote "fork"/);
      execFileSync('git', ['--git-dir', dir, 'remote', 'add', 'gh', 'git@github.com:me/fcos.git']);
      await expectAppError(fetchAll(dir, { remote: 'gh' }), 'bad-input', /HTTPS only/);
      await expectAppError(fetchAll(makeTempDir()), 'bad-input', /not a git folder/);
    });
  });
});
