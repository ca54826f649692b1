/**
 * A GitHub token set in Settings (SPEC §2.9): kept only in the host's store (the OS store or
 * git's helper), never shown back, refused when it cannot be a token, and used by the push queue
 * at once to create the PR; the environment's token wins over it, and "forget" removes it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../../main/app/session';
import { gitHelperTokenStore, type Credentials } from '../../../main/git/transport/credentials';
import { runCliAsync } from '../../helpers/cli';
import { startForge } from '../../helpers/forge-stand-in';
import { startGitServer, type GitServer } from '../../helpers/git-server';
import { createRepo, lockfileJson, overridesYaml } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const ID = { GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.org' };
const VARS = ['HOME', 'XDG_CONFIG_HOME', 'GIT_CONFIG_NOSYSTEM', 'LOCKSTEP_GITHUB_TOKEN', 'GITHUB_TOKEN', 'LOCKSTEP_GITHUB_API_URL', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL'];

describe('a GitHub token set in Settings', () => {
  const kept = new Map<string, Credentials>();
  const before = Object.fromEntries(VARS.map((k) => [k, process.env[k]]));
  let server: GitServer;
  let forge: Awaited<ReturnType<typeof startForge>>;
  let session: Session;
  let clone: string;
  let branch: string;

  beforeAll(async () => {
    const home = makeTempDir();
    // No helper of the machine's answers, and no token in the environment.
    Object.assign(process.env, { HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1', ...ID });
    delete process.env.LOCKSTEP_GITHUB_TOKEN;
    delete process.env.GITHUB_TOKEN;
    const upstream = createRepo();
    upstream.branch('testing-devel');
    upstream.commit('lockfiles: import', { 'manifest-lock.x86_64.json': lockfileJson({ podman: { evra: '5:5.2.3-1.fc40.x86_64', sourcerpm: 'podman' } }), 'manifest-lock.overrides.yaml': overridesYaml({}) });
    const root = makeTempDir();
    upstream.bareClone(path.join(root, 'coreos', 'fedora-coreos-config.git'));
    server = await startGitServer({ root });
    forge = await startForge();
    process.env.LOCKSTEP_GITHUB_API_URL = forge.url;
    clone = path.join(makeTempDir(), 'config.git');
    const c = await runCliAsync(['clone', server.repoUrl('coreos/fedora-coreos-config.git'), clone]);
    expect(c.status, c.stderr).toBe(0);
    const p = await runCliAsync(['pin', 'podman', '5:5.2.5-1.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', 'https://example.org/1', '--repo', clone], { env: ID });
    expect(p.status, p.stderr).toBe(0);
    branch = p.stdout.trim();
    session = new Session({
      host: 'electron',
      dataDir: makeTempDir(),
      emit: () => undefined,
      tokenStore: {
        get: async (url) => kept.get(url) ?? null,
        approve: async () => undefined,
        reject: async (url) => void kept.delete(url),
        save: async (url, c) => void kept.set(url, c),
      },
      tokenStoreKind: 'os',
    });
    await session.open(clone);
  });
  afterAll(async () => {
    session?.queue?.stop();
    await Promise.all([server?.stop(), forge?.stop()]);
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    cleanupTempDirs();
  });

  it('none at first: checks are read anonymously', async () => {
    expect(await session.githubTokenStatus()).toEqual({ source: null, store: 'os' });
  });

  it('refuses what cannot be a token, without quoting it, and keeps nothing', async () => {
    await expect(session.setGithubToken('ghp_abc def')).rejects.toMatchObject({ code: 'bad-input', message: expect.not.stringContaining('ghp_abc') });
    expect(kept.size).toBe(0);
  });

  it('is kept in the host store only, answered as its source, and used by the queue to create the PR', async () => {
    const status = await session.setGithubToken('  ghp_settings0123456789  ');
    expect(status).toEqual({ source: 'saved', store: 'os' });
    expect(JSON.stringify(status)).not.toContain('ghp_');
    expect([...kept]).toEqual([['https://github.com/', { username: 'x-access-token', password: 'ghp_settings0123456789' }]]);
    const queue = session.queue ?? session.startQueue();
    await (session.queue ?? queue).enqueue(branch);
    await expect.poll(() => forge.pulls.length, { timeout: 30_000 }).toBe(1);
    expect(forge.pulls[0].base).toBe('testing-devel');
  });

  it("the environment's token wins, and says which variable", async () => {
    process.env.GITHUB_TOKEN = 'from-env';
    try {
      expect(await session.githubTokenStatus()).toEqual({ source: 'env', variable: 'GITHUB_TOKEN', store: 'os' });
    } finally {
      delete process.env.GITHUB_TOKEN;
    }
  });

  it('forget removes it from the store', async () => {
    expect(await session.setGithubToken('')).toEqual({ source: null, store: 'os' });
    expect(kept.size).toBe(0);
  });
});

describe("a GitHub token kept in git's credential helper (the browser host)", () => {
  const before = Object.fromEntries(VARS.map((k) => [k, process.env[k]]));
  let creds: string;
  let session: Session;
  beforeAll(() => {
    const home = makeTempDir();
    creds = path.join(home, 'git-credentials');
    // The user's own github.com login is already there: it must survive "forget".
    fs.writeFileSync(creds, 'https://ada:own-login-pass@github.com\n');
    fs.writeFileSync(path.join(home, '.gitconfig'), `[credential]\n\thelper = store --file=${creds}\n`);
    Object.assign(process.env, { HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1' });
    delete process.env.LOCKSTEP_GITHUB_TOKEN;
    delete process.env.GITHUB_TOKEN;
    session = new Session({ host: 'browser', dataDir: makeTempDir(), emit: () => undefined, tokenStore: gitHelperTokenStore(), tokenStoreKind: 'git-helper' });
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it("is saved beside the user's own login, and forgetting it leaves that login alone", async () => {
    expect(await session.githubTokenStatus()).toEqual({ source: 'git-helper', store: 'git-helper' });
    expect(await session.setGithubToken('ghp_kept_by_git')).toEqual({ source: 'saved', store: 'git-helper' });
    expect(fs.readFileSync(creds, 'utf8')).toContain('x-access-token:ghp_kept_by_git@github.com');
    expect(await session.githubToken()).toMatchObject({ token: 'ghp_kept_by_git' });
    expect(await session.setGithubToken('')).toEqual({ source: 'git-helper', store: 'git-helper' });
    const left = fs.readFileSync(creds, 'utf8');
    expect(left).not.toContain('ghp_kept_by_git');
    expect(left).toContain('https://ada:own-login-pass@github.com');
  });
});
