import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { cloneRepo } from '../../../main/git/clone';
import { fetchAll } from '../../../main/git/fetch';
import { ConfigRepo } from '../../../main/services/config-repo';
import { fileTokenStore, type CredentialProvider, type Credentials } from '../../../main/services/credentials';
import { FIXTURE_BUNDLE, HAVE_FIXTURE, warnIfNoFixture } from '../../helpers/fixture';
import { startGitServer, type GitServer } from '../../helpers/git-server';
import { createRepo, lockfileJson, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

warnIfNoFixture('clone-fetch');

const AUTH = { username: 'ada', password: 's3cret-token' };

function recorder(answers: (Credentials | null)[]): CredentialProvider & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    async get(url, attempt) {
      log.push(`get ${attempt}`);
      return answers[attempt] ?? null;
    },
    async approve(_url, c) {
      log.push(`approve ${c.username}`);
    },
    async reject(_url, c) {
      log.push(`reject ${c.username}`);
    },
  };
}

async function expectAppError(p: Promise<unknown>, code: string, re: RegExp): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(code);
    expect((err as AppError).message).toMatch(re);
    expect((err as AppError).message).not.toContain(AUTH.password);
    return err as AppError;
  }
  throw new Error('expected a failure');
}

describe('clone and fetch over smart HTTP', () => {
  let root: string;
  let source: RepoBuilder;
  let open: GitServer;
  let authed: GitServer;

  beforeAll(async () => {
    source = createRepo();
    source.branch('testing-devel');
    for (let i = 0; i < 30; i++) source.commit(`lockfiles: bump ${i}`, { 'manifest-lock.x86_64.json': lockfileJson({ kernel: `6.${i}.0-1.fc40.x86_64`, [`pkg${i}`]: `1-${i}.fc40.x86_64` }) });
    source.branch('stable', 'testing-devel~5');
    source.branch('testing', 'testing-devel~2');
    root = makeTempDir();
    source.bareClone(path.join(root, 'config.git'));
    execFileSync('git', ['--git-dir', path.join(root, 'config.git'), 'symbolic-ref', 'HEAD', 'refs/heads/testing-devel']);
    open = await startGitServer({ root });
    authed = await startGitServer({ root, auth: AUTH });
  });
  afterAll(async () => {
    await open.stop();
    await authed.stop();
    cleanupTempDirs();
  });

  it('clones every branch as a remote-tracking branch into a bare repo, with progress', async () => {
    const dir = path.join(makeTempDir(), 'clone');
    const phases = new Set<string>();
    await cloneRepo(open.repoUrl('config.git'), dir, { onProgress: (p) => phases.add(p.phase) });
    const refs = execFileSync('git', ['--git-dir', dir, 'for-each-ref', '--format=%(refname)']).toString();
    for (const b of ['testing-devel', 'stable', 'testing']) expect(refs).toContain(`refs/remotes/origin/${b}`);
    expect(execFileSync('git', ['--git-dir', dir, 'config', 'core.bare']).toString().trim()).toBe('true');
    expect(fs.existsSync(path.join(dir, 'manifest-lock.x86_64.json'))).toBe(false);
    expect(phases.size).toBeGreaterThan(0);
    const repo = await ConfigRepo.open(dir);
    expect((await repo.resolve('stable')).oid).toBe(source.rev('stable'));
    repo.close();
  });

  it('asks for credentials only when the server wants them, and approves good ones', async () => {
    const creds = recorder([AUTH]);
    await cloneRepo(authed.repoUrl('config.git'), path.join(makeTempDir(), 'c'), { credentials: creds });
    expect(creds.log).toEqual(['get 0', 'approve ada']);
  });

  it('rejects wrong credentials with an auth error that does not leak them', async () => {
    const creds = recorder([{ username: 'ada', password: 'wrong' }]);
    const dir = path.join(makeTempDir(), 'c');
    await expectAppError(cloneRepo(authed.repoUrl('config.git'), dir, { credentials: creds }), 'auth', /credentials/);
    expect(creds.log).toContain('reject ada');
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('leaves nothing behind when the server dies mid-clone', async () => {
    const dir = path.join(makeTempDir(), 'c');
    open.failNext(/\/git-upload-pack$/, 300);
    await expectAppError(cloneRepo(open.repoUrl('config.git'), dir), 'network', /retry/);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('cancels and removes the folder', async () => {
    const dir = path.join(makeTempDir(), 'c');
    const ac = new AbortController();
    const p = cloneRepo(open.repoUrl('config.git'), dir, { signal: ac.signal, onProgress: () => ac.abort() });
    await expectAppError(p, 'cancelled', /cancelled/);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('refuses SSH URLs, non-URLs and a non-empty destination', async () => {
    await expectAppError(cloneRepo('git@github.com:coreos/fedora-coreos-config.git', path.join(makeTempDir(), 'x')), 'bad-input', /HTTPS URL/);
    await expectAppError(cloneRepo('not a url', path.join(makeTempDir(), 'x')), 'bad-input', /not a URL/);
    const full = makeTempDir();
    fs.writeFileSync(path.join(full, 'keep.txt'), 'mine');
    await expectAppError(cloneRepo(open.repoUrl('config.git'), full), 'bad-input', /not empty/);
    expect(fs.readFileSync(path.join(full, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('fetches moved and deleted branches, reporting what moved', async () => {
    const dir = path.join(makeTempDir(), 'clone');
    await cloneRepo(open.repoUrl('config.git'), dir);
    source.checkout('stable');
    const moved = source.commit('lockfiles: stable moves', { 'README.md': 'x\n' });
    source.checkout('testing-devel');
    execFileSync('git', ['-C', source.dir, 'push', '-q', '-f', path.join(root, 'config.git'), 'stable']);
    execFileSync('git', ['--git-dir', path.join(root, 'config.git'), 'branch', '-D', 'testing']);
    const result = await fetchAll(dir);
    expect(result).toEqual([{ name: 'stable', from: source.rev('stable~1'), to: moved }]);
    const refs = execFileSync('git', ['--git-dir', dir, 'for-each-ref', '--format=%(refname)']).toString();
    expect(refs).not.toContain('refs/remotes/origin/testing\n');
    const repo = await ConfigRepo.open(dir);
    expect(repo.commit(moved).message).toBe('lockfiles: stable moves\n');
    repo.close();
  });

  it.skipIf(!HAVE_FIXTURE)('clones the fixture with its seven streams', async () => {
    const fixtureRoot = makeTempDir();
    execFileSync('git', ['clone', '-q', '--bare', FIXTURE_BUNDLE, path.join(fixtureRoot, 'fcos.git')]);
    const server = await startGitServer({ root: fixtureRoot });
    try {
      const dir = path.join(makeTempDir(), 'fcos');
      await cloneRepo(server.repoUrl('fcos.git'), dir);
      const branches = execFileSync('git', ['--git-dir', dir, 'branch', '-r']).toString().trim().split('\n');
      expect(branches.filter((b) => !b.includes('HEAD'))).toHaveLength(7);
    } finally {
      await server.stop();
    }
  }, 120_000);
});

describe('fileTokenStore', () => {
  it('keeps tokens in a file only the user can read', async () => {
    const file = path.join(makeTempDir(), 'tokens.json');
    const store = fileTokenStore(file);
    await store.save('https://github.com/coreos/x.git', AUTH);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await store.get('https://github.com/other/y.git', 0)).toEqual(AUTH);
    await store.reject('https://github.com/coreos/x.git', AUTH);
    expect(await store.get('https://github.com/coreos/x.git', 0)).toBeNull();
  });
});
