import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../../helpers/cli';
import { startGitServer, type GitServer } from '../../helpers/git-server';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

// A draft from first save to a re-push after a rebase, through the CLI against a real
// `git http-backend`: the PR's branch follows the rebase under a lease, and a commit someone
// else put on that branch is never overwritten.
const gitAsync = promisify(execFile);
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';

describe('a draft from first save to a re-push after a rebase', () => {
  let upstream: RepoBuilder;
  let root: string;
  let server: GitServer;
  let clone: string;
  let home: string;
  const env = () => ({ GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.org', HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1', LOCKSTEP_DATA_DIR: path.join(home, 'data') });
  const cli = (...args: string[]) => runCliAsync([...args, '--repo', clone], { env: env() });
  const serverGit = (...args: string[]) => execFileSync('git', ['--git-dir', path.join(root, 'config.git'), ...args]).toString().trim();
  const gitEnv = () => ({ ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Bob', GIT_AUTHOR_EMAIL: 'bob@example.org', GIT_COMMITTER_NAME: 'Bob', GIT_COMMITTER_EMAIL: 'bob@example.org' });
  /** Someone else commits `files` on the server's `branch`. */
  async function foreignCommit(branch: string, files: Record<string, string>): Promise<string> {
    const work = path.join(makeTempDir(), 'w');
    await gitAsync('git', ['clone', '-q', '-b', branch, path.join(root, 'config.git'), work], { env: gitEnv() });
    for (const [f, t] of Object.entries(files)) fs.writeFileSync(path.join(work, f), t);
    await gitAsync('git', ['-C', work, 'add', '-A'], { env: gitEnv() });
    await gitAsync('git', ['-C', work, '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'foreign'], { env: gitEnv() });
    await gitAsync('git', ['-C', work, 'push', '-q', 'origin', branch], { env: gitEnv() });
    return (await gitAsync('git', ['-C', work, 'rev-parse', 'HEAD'])).stdout.trim();
  }
  const drafts = async () => JSON.parse((await cli('drafts', '--json')).stdout) as { branch: string; state: string; stale: boolean; needs_push: boolean; head: string; allowed: string[] }[];

  beforeAll(async () => {
    upstream = createRepo();
    upstream.branch('stable');
    upstream.commit('lockfiles: import', {
      'manifest-lock.x86_64.json': lockfileJson({ podman: { evra: '5:5.2.3-1.fc40.x86_64', sourcerpm: 'podman' }, kernel: { evra: '6.10.1-200.fc40.x86_64', sourcerpm: 'kernel' } }),
      'manifest-lock.overrides.yaml': overridesYaml({}),
    });
    upstream.branch('testing-devel', 'stable');
    root = makeTempDir();
    upstream.bareClone(path.join(root, 'config.git'));
    server = await startGitServer({ root });
    home = makeTempDir();
    clone = path.join(makeTempDir(), 'clone');
    expect((await runCliAsync(['clone', server.repoUrl('config.git'), clone], { env: env() })).status).toBe(0);
  });
  afterAll(async () => {
    await server.stop();
    cleanupTempDirs();
  });

  it('follows the rebase on the same remote branch, and never overwrites a foreign commit', async () => {
    const branch = (await cli('pin', 'podman', '5:5.2.5-1.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON)).stdout.trim();
    expect(branch).toBe('lockstep/stable/podman-5.2.5-1.fc40');
    const pushed = await cli('push', branch);
    expect(pushed.stderr).toBe('');
    const remoteBranch = pushed.stdout.split('\n')[0];
    expect(remoteBranch).toBe('override-stable-podman-5.2.5-1.fc40');
    const first = serverGit('rev-parse', `refs/heads/${remoteBranch}`);
    expect((await drafts())[0]).toMatchObject({ state: 'pushed', stale: false, needs_push: false });

    // The stream moves on the server. Not fetched yet: the push is refused as stale on the server.
    const moved = await foreignCommit('stable', { 'README.md': 'moved\n' });
    const early = await cli('push', branch, '--remote-branch', 'override-other');
    expect(early.status).toBe(1);
    expect(early.stderr).toMatch(/stale on the server: .* has stable at [0-9a-f]{12}.*fetch, then rebase/);
    expect(serverGit('branch', '--list', 'override-other')).toBe('');

    // Fetch: the draft is stale, and fetch says so.
    const fetched = await cli('fetch');
    expect(fetched.status).toBe(0);
    expect(fetched.stdout).toContain(`stale: ${branch}`);
    expect((await drafts())[0]).toMatchObject({ stale: true, needs_push: false });
    expect((await cli('push', branch)).status).toBe(1);

    // Rebase: based on the new head, pushed once, so it needs a push (and offers it).
    expect((await cli('rebase', branch)).status).toBe(0);
    let d = (await drafts())[0];
    expect(d).toMatchObject({ state: 'draft', stale: false, needs_push: true });
    expect(d.allowed).toContain('push');
    expect(execFileSync('git', ['--git-dir', clone, 'rev-parse', `${branch}^`]).toString().trim()).toBe(moved);

    // Re-push: the same remote branch, now at the rebased commit (the PR follows).
    const again = await cli('push', branch);
    expect(again.stderr).toBe('');
    expect(again.stdout.split('\n')[0]).toBe(remoteBranch);
    expect(serverGit('rev-parse', `refs/heads/${remoteBranch}`)).toBe(d.head);
    expect(serverGit('rev-parse', `refs/heads/${remoteBranch}`)).not.toBe(first);
    expect((await drafts())[0]).toMatchObject({ state: 'pushed', needs_push: false });

    // Someone else commits on the PR branch; the stream moves again; rebase + push is refused.
    const foreign = await foreignCommit(remoteBranch, { 'NOTES.md': 'a reviewer fixup\n' });
    await foreignCommit('stable', { 'README.md': 'moved again\n' });
    expect((await cli('fetch')).status).toBe(0);
    expect((await cli('rebase', branch)).status).toBe(0);
    const refused = await cli('push', branch);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(new RegExp(`branch ${remoteBranch} is at [0-9a-f]{12}, not at [0-9a-f]{12} where Lockstep pushed it`));
    expect(serverGit('rev-parse', `refs/heads/${remoteBranch}`)).toBe(foreign);
    d = (await drafts())[0];
    expect(d.needs_push).toBe(true);

    // Discard: the local branch and the record go; the server keeps what it has.
    expect((await cli('discard', branch)).status).toBe(0);
    expect(await drafts()).toEqual([]);
    expect(execFileSync('git', ['--git-dir', clone, 'branch', '--list', branch]).toString()).toBe('');
    expect(serverGit('rev-parse', `refs/heads/${remoteBranch}`)).toBe(foreign);
    execFileSync('git', ['--git-dir', clone, 'fsck', '--strict', '--no-dangling'], { stdio: 'pipe' });
  }, 120_000);

  it('never lists pushed override branches as streams', async () => {
    await gitAsync('git', ['--git-dir', clone, 'fetch', '-q', 'origin'], { env: gitEnv() });
    expect(execFileSync('git', ['--git-dir', clone, 'branch', '-r']).toString()).toContain('origin/override-stable-podman');
    const streams = JSON.parse((await cli('streams', '--json')).stdout) as { name: string }[];
    expect(streams.map((s) => s.name)).toEqual(['testing-devel', 'stable']);
  });

  it('lets four parallel writers each save a draft of the same package, none lost', async () => {
    // Four requests (four reasons) for one package: four drafts. The same request four times is one (see parallel-saves).
    const runs = await Promise.all([0, 1, 2, 3].map((i) => cli('pin', 'kernel', '6.10.2-200.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', `${REASON}#${i}`)));
    for (const r of runs) expect(r.stderr).toBe('');
    const branches = runs.map((r) => r.stdout.trim()).sort();
    expect(branches).toEqual(['lockstep/testing-devel/kernel-6.10.2-200.fc40', 'lockstep/testing-devel/kernel-6.10.2-200.fc40-2', 'lockstep/testing-devel/kernel-6.10.2-200.fc40-3', 'lockstep/testing-devel/kernel-6.10.2-200.fc40-4']);
    const listed = (await drafts()).map((x) => x.branch).sort();
    for (const b of branches) expect(listed).toContain(b);
  }, 60_000);
});
