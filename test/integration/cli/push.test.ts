import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPullRequestUrl, parseForgeUrl } from '../../../shared/forge';
import { runCliAsync } from '../../helpers/cli';
import type { GitServer } from '../../helpers/git-server';
import { serveAndClone, type ServedRepo } from '../../helpers/served-repo';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

// Git talking to the in-process server must not block this process: async only.
const gitAsync = promisify(execFile);
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';
const AUTH = { username: 'ada', password: 'push-token' };

describe('lockstep push', () => {
  let upstream: RepoBuilder;
  let served: ServedRepo;
  let server: GitServer;
  let clone: string;
  let home: string;
  const cli = (...args: string[]) => runCliAsync([...args, '--repo', clone], { env: served.env() });
  const serverGit = (...args: string[]) => served.serverGit(...args);

  beforeAll(async () => {
    upstream = createRepo();
    upstream.branch('testing-devel');
    upstream.commit('lockfiles: import', {
      'manifest-lock.x86_64.json': lockfileJson({ kernel: { evra: '6.10.1-200.fc40.x86_64', sourcerpm: 'kernel' } }),
      'manifest-lock.overrides.yaml': overridesYaml({}),
    });
    upstream.branch('stable', 'testing-devel');
    served = await serveAndClone(upstream, { auth: AUTH });
    ({ server, clone, home } = served);
  });
  afterAll(async () => {
    await server.stop();
    cleanupTempDirs();
  });

  it('pushes a draft as a new branch and prints the PR page', async () => {
    const branch = (await cli('pin', 'kernel', '6.10.0-200.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON)).stdout.trim();
    const r = await cli('push', branch);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [remoteBranch] = r.stdout.trim().split('\n');
    expect(remoteBranch).toBe('override-stable-kernel-6.10.0-200.fc40');
    expect(serverGit('rev-parse', `refs/heads/${remoteBranch}`)).toBe(execFileSync('git', ['-C', clone, 'rev-parse', branch]).toString().trim());
    const drafts = JSON.parse((await cli('drafts', '--json')).stdout) as { branch: string; state: string }[];
    expect(drafts.find((d) => d.branch === branch)?.state).toBe('pushed');
    // Pushing again is a no-op, never a force.
    expect((await cli('push', branch)).status).toBe(0);
  });

  it('stops when the remote branch exists with other content, changing nothing', async () => {
    const branch = (await cli('pin', 'kernel', '6.9.0-200.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', REASON)).stdout.trim();
    serverGit('branch', 'override-testing-devel-kernel-6.9.0-200.fc40', 'stable');
    const before = serverGit('rev-parse', 'refs/heads/override-testing-devel-kernel-6.9.0-200.fc40');
    const r = await cli('push', branch);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/branch override-testing-devel-kernel-6.9.0-200.fc40 already exists with other commits \([0-9a-f]{12}\); push under another branch name/);
    expect(serverGit('rev-parse', 'refs/heads/override-testing-devel-kernel-6.9.0-200.fc40')).toBe(before);
    const again = await cli('push', branch, '--remote-branch', 'override-testing-devel-kernel-6.9.0-200.fc40-2');
    expect(again.status).toBe(0);
  });

  it('refuses a stale draft', async () => {
    const branch = (await cli('pin', 'kernel', '6.8.0-200.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON)).stdout.trim();
    upstream.checkout('stable');
    upstream.commit('moved', { 'README.md': 'x\n' });
    execFileSync('git', ['-C', upstream.dir, 'push', '-q', served.bare, 'stable']);
    await gitAsync('git', ['-C', clone, 'fetch', '-q'], { env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1' } });
    const r = await cli('push', branch);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/is stale: stable moved/);
  });

  it('pushes to a non-HTTP remote (a fork over SSH, here a path) through the git CLI, never forcing', async () => {
    const fork = path.join(makeTempDir(), 'fork.git');
    await gitAsync('git', ['clone', '-q', '--bare', served.bare, fork]);
    await gitAsync('git', ['-C', clone, 'remote', 'add', 'fork', fork]);
    const branch = (await cli('pin', 'kernel', '6.6.0-200.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', REASON)).stdout.trim();
    const r = await cli('push', branch, '--remote', 'fork');
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe('override-testing-devel-kernel-6.6.0-200.fc40');
    expect(execFileSync('git', ['--git-dir', fork, 'rev-parse', 'refs/heads/override-testing-devel-kernel-6.6.0-200.fc40']).toString().trim()).toBe(
      execFileSync('git', ['-C', clone, 'rev-parse', branch]).toString().trim(),
    );
    // The same name with other content on the fork: refused, not forced.
    const other = (await cli('pin', 'kernel', '6.5.0-200.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', REASON)).stdout.trim();
    const refused = await cli('push', other, '--remote', 'fork', '--remote-branch', 'override-testing-devel-kernel-6.6.0-200.fc40');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/fork.git branch override-testing-devel-kernel-6.6.0-200.fc40 already exists with other commits/);
  });

  it('fails with an auth error on wrong credentials, leaking nothing', async () => {
    fs.writeFileSync(path.join(home, '.git-credentials'), `http://ada:wrong@127.0.0.1:${new URL(server.url).port}\n`);
    const branch = (await cli('pin', 'kernel', '6.7.0-200.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', REASON)).stdout.trim();
    const r = await cli('push', branch);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/credentials/);
    expect(r.stderr).not.toContain('wrong');
  });
});

describe('PR pages', () => {
  it('builds the compare / new merge request URLs of each forge', () => {
    const up = parseForgeUrl('https://github.com/coreos/fedora-coreos-config.git')!;
    const fork = parseForgeUrl('git@github.com:ada/fedora-coreos-config.git')!;
    expect(newPullRequestUrl(up, fork, 'override-stable-x-1-1', 'stable', '[stable] overrides: pin x-1-1', 'See: u')).toBe(
      'https://github.com/coreos/fedora-coreos-config/compare/stable...ada:override-stable-x-1-1?expand=1&title=%5Bstable%5D%20overrides%3A%20pin%20x-1-1&body=See%3A%20u',
    );
    const gl = parseForgeUrl('https://gitlab.com/group/sub/config.git')!;
    expect(gl.owner).toBe('group/sub');
    expect(newPullRequestUrl(gl, gl, 'b', 'stable', 't', '')).toMatch(/^https:\/\/gitlab.com\/group\/sub\/config\/-\/merge_requests\/new\?merge_request%5Bsource_branch%5D=b/);
    const fj = parseForgeUrl('https://codeberg.org/o/r')!;
    expect(newPullRequestUrl(fj, fj, 'b', 'main', 't', 'x y')).toBe('https://codeberg.org/o/r/compare/main...b?title=t&body=x%20y');
    const pg = parseForgeUrl('https://pagure.io/fedora-x.git')!;
    expect(pg).toBeNull();
    const pg2 = parseForgeUrl('https://pagure.io/forks/ada/fedora-x.git')!;
    expect(pg2.kind).toBe('pagure');
  });
});
