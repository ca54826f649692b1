import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

// Every repo layout either works or is refused at open, saying what it is and what to do.
const ID = { GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.org' };
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';
const git = (...args: string[]) => execFileSync('git', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();

describe('repo layouts', () => {
  let up: RepoBuilder;
  beforeAll(() => {
    up = createRepo();
    up.branch('testing-devel');
    for (let i = 1; i <= 3; i++) {
      up.commit(`lockfiles: bump ${i}`, {
        'manifest-lock.x86_64.json': lockfileJson({ podman: { evra: `5:5.2.${i}-1.fc40.x86_64`, sourcerpm: 'podman' }, kernel: `6.10.${i}-200.fc40.x86_64` }),
        'manifest-lock.overrides.yaml': overridesYaml({}),
      });
    }
    up.git('config', 'uploadpack.allowFilter', 'true');
  });
  afterAll(() => cleanupTempDirs());

  const refused = (dir: string, what: RegExp, todo: RegExp) => {
    const r = runCli(['streams', '--repo', dir]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(what);
    expect(r.stderr).toMatch(todo);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  };

  it('works in a linked worktree, and will not move a branch another worktree has checked out', () => {
    const main = path.join(makeTempDir(), 'main');
    git('clone', '-q', up.dir, main);
    const wt = path.join(makeTempDir(), 'wt');
    git('-C', main, 'worktree', 'add', '-q', '--detach', wt);
    const streams = runCli(['streams', '--json', '--repo', wt]);
    expect(streams.stderr).toBe('');
    expect(JSON.parse(streams.stdout).map((s: { name: string }) => s.name)).toEqual(['testing-devel']);
    expect(runCli(['history', 'podman', '--stream', 'testing-devel', '--json', '--repo', wt]).stdout).toContain('5:5.2.1-1.fc40');
    const pin = runCli(['pin', 'podman', '5:5.2.9-1.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', REASON, '--repo', wt], { env: ID });
    expect(pin.stderr).toBe('');
    const branch = pin.stdout.trim();
    // The draft is one of the repo's: the main clone lists it too.
    expect(runCli(['drafts', '--json', '--repo', main]).stdout).toContain(branch);
    const other = path.join(makeTempDir(), 'other');
    git('-C', main, 'worktree', 'add', '-q', other, branch);
    const discard = runCli(['discard', branch, '--repo', wt]);
    expect(discard.status).toBe(2);
    expect(discard.stderr).toContain(`checked out in ${fs.realpathSync(other)}`);
    expect(git('-C', main, 'rev-parse', branch)).toBe(JSON.parse(runCli(['drafts', '--json', '--repo', main]).stdout)[0].head);
  });

  it('works with a .git file naming a git folder elsewhere (submodule-style)', () => {
    const bare = up.bareClone(path.join(makeTempDir(), 'sub.git'));
    const dir = makeTempDir();
    fs.writeFileSync(path.join(dir, '.git'), `gitdir: ${bare}\n`);
    const r = runCli(['streams', '--json', '--repo', dir]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toHaveLength(1);
  });

  it('refuses a .git file that points nowhere', () => {
    const dir = makeTempDir();
    fs.writeFileSync(path.join(dir, '.git'), 'gitdir: /nonexistent/wt\n');
    refused(dir, /does not exist/, /git worktree repair/);
  });

  it('refuses a shallow clone', () => {
    const dir = path.join(makeTempDir(), 'shallow');
    git('clone', '-q', '--depth', '1', `file://${up.dir}`, dir);
    refused(dir, /a shallow clone/, /fetch --unshallow/);
  });

  it('refuses a partial clone', () => {
    const dir = path.join(makeTempDir(), 'partial');
    git('clone', '-q', '--filter=blob:none', '--no-checkout', `file://${up.dir}`, dir);
    refused(dir, /a partial clone/, /fetch --refetch origin/);
  });

  it('refuses borrowed objects (alternates)', () => {
    const dir = path.join(makeTempDir(), 'shared');
    git('clone', '-q', '--shared', up.dir, dir);
    refused(dir, /borrows objects from .* \(git alternates/, /repack -a -d/);
  });

  it('refuses a truncated or mismatched pack index, naming it', () => {
    const dir = up.bareClone(path.join(makeTempDir(), 'packed.git'));
    git('-C', dir, 'repack', '-a', '-d', '-q');
    const packDir = path.join(dir, 'objects', 'pack');
    const idx = path.join(packDir, fs.readdirSync(packDir).find((f) => f.endsWith('.idx'))!);
    const good = fs.readFileSync(idx);
    fs.chmodSync(idx, 0o644);
    fs.writeFileSync(idx, good.subarray(0, good.length - 100));
    refused(dir, /pack index .*\.idx is damaged \(truncated/, /index-pack/);
    fs.writeFileSync(idx, good.subarray(0, 600));
    refused(dir, /is damaged \(truncated/, /index-pack/);
    const bad = Buffer.from(good);
    bad[bad.length - 30] ^= 0xff;
    fs.writeFileSync(idx, bad);
    refused(dir, /does not match its pack/, /index-pack/);
    fs.writeFileSync(idx, good);
    expect(runCli(['streams', '--repo', dir]).status).toBe(0);
  });
});
