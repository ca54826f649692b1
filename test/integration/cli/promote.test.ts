/**
 * `lockstep promote` against the oracle: release engineering's promotion steps run with the
 * real git and sed (test/helpers/promotion-repo.ts) on the same repo, compared tree for tree,
 * on the 2024 shape (no build-args.conf) and the 2026 one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { oraclePromotion, promotionRepo, type Shape } from '../../helpers/promotion-repo';
import type { RepoBuilder } from '../../helpers/repo-builder';

const env = { GIT_AUTHOR_NAME: 'Ada Maintainer', GIT_AUTHOR_EMAIL: 'ada@example.org', GIT_COMMITTER_NAME: 'Ada Maintainer', GIT_COMMITTER_EMAIL: 'ada@example.org' };
const cli = (repo: RepoBuilder, ...args: string[]) => runCli([...args, '--repo', repo.dir], { env });

/** Every ref and draft record, to show that a refusal or a dry run wrote nothing. */
function state(repo: RepoBuilder): string {
  const dir = path.join(repo.gitdir, 'lockstep', 'drafts');
  const records = fs.existsSync(dir) ? fs.readdirSync(dir).sort().join(',') : '';
  return `${repo.git('for-each-ref', '--format=%(refname) %(objectname)')}\n${records}\n${repo.git('status', '--porcelain')}`;
}

function promote(repo: RepoBuilder, source: string, target: string, ...more: string[]): string {
  const r = cli(repo, 'promote', source, '--stream', target, ...more);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.trim();
}

describe.each(['2024', '2026'] as Shape[])('lockstep promote on a %s repo', (shape) => {
  it('makes the tree the oracle makes, with the subject the check reads, on the target head', () => {
    const { repo, devel } = promotionRepo(shape);
    const head = repo.rev('HEAD');
    const before = repo.git('status', '--porcelain');
    const testing = repo.rev('testing');
    const branch = promote(repo, 'testing-devel', 'testing');
    expect(branch).toBe(`lockstep/testing/promote-testing-devel-${devel[2].slice(0, 12)}`);
    expect(repo.rev(`${branch}^{tree}`)).toBe(oraclePromotion(repo, 'testing-devel', 'testing'));
    expect(repo.git('log', '-1', '--format=%s%n%P', branch)).toBe(`tree: promote changes from testing-devel at ${devel[2]}\n${testing}`);
    // The work tree, HEAD and index are the user's.
    expect([repo.rev('HEAD'), repo.git('status', '--porcelain')]).toEqual([head, before]);
    // The gitlink comes from the source, the exec bit too; the denylist's `##` lines stay.
    expect(repo.git('ls-tree', branch, 'coreos-assembler')).toBe(repo.git('ls-tree', 'testing-devel', 'coreos-assembler'));
    expect(repo.git('ls-tree', branch, 'tests/kola/basic/new-test.sh')).toMatch(/^100755 /);
    const denylist = repo.git('show', `${branch}:kola-denylist.yaml`);
    expect(denylist).toContain('##  snooze: 2024-01-01\n');
    expect(denylist).toContain('  # snooze: 2024-10-30 (disabled on promotion)\n');
    const drafts = JSON.parse(cli(repo, 'drafts', '--json').stdout);
    expect(drafts).toMatchObject([{ branch, stream: 'testing', base: testing, type: 'promote', stale: false }]);
  });

  it('promotes testing onto stable and an older source commit with --at, each as the oracle does', () => {
    const { repo, devel } = promotionRepo(shape);
    const stable = promote(repo, 'testing', 'stable');
    expect(repo.rev(`${stable}^{tree}`)).toBe(oraclePromotion(repo, 'testing', 'stable'));
    const at = promote(repo, 'testing-devel', 'testing', '--at', devel[1].slice(0, 10));
    expect(repo.rev(`${at}^{tree}`)).toBe(oraclePromotion(repo, 'testing-devel', 'testing', devel[1]));
    expect(repo.git('log', '-1', '--format=%s', at)).toBe(`tree: promote changes from testing-devel at ${devel[1]}`);
  });

  it('says "nothing to promote" (exit 2) and writes nothing once the target has the promotion', () => {
    const { repo } = promotionRepo(shape);
    const branch = promote(repo, 'testing-devel', 'testing');
    // As if the PR was merged: the target is the promotion.
    repo.git('update-ref', 'refs/heads/testing', repo.rev(branch));
    expect(oraclePromotion(repo, 'testing-devel', 'testing')).toBeNull();
    const was = state(repo);
    const r = cli(repo, 'promote', 'testing-devel', '--stream', 'testing');
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^lockstep: nothing to promote: testing \([0-9a-f]{12}\) already has the tree of testing-devel/);
    expect(state(repo)).toBe(was);
  });

  it('writes nothing on a dry run, and its JSON says what the draft would be', () => {
    const { repo, devel } = promotionRepo(shape);
    const was = state(repo);
    const r = cli(repo, 'promote', 'testing-devel', '--stream', 'testing', '--dry-run', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ branch: null, commit: null, base: repo.rev('testing'), source: 'testing-devel', source_commit: devel[2], subject: `tree: promote changes from testing-devel at ${devel[2]}` });
    expect(out.files).toEqual([...(shape === '2026' ? ['build-args.conf'] : []), 'coreos-assembler', 'kola-denylist.yaml', 'manifest-lock.x86_64.json', 'manifests/', 'only-on-production.txt', 'tests/']);
    expect(out.kept.map((k: { file: string; status: string }) => `${k.file} ${k.status}`)).toEqual(['manifest.yaml kept', `build-args.conf ${shape === '2026' ? 'kept' : 'absent'}`, 'kola-denylist.yaml disabled']);
    expect(Object.keys(out.effect.x86_64.upgraded).sort()).toEqual(['bash', 'kernel', 'kernel-core']);
    expect(state(repo)).toBe(was);
  });
});

describe('lockstep promote, drafts over time', () => {
  it('gives the same draft for the same promotion on the same head', () => {
    const { repo } = promotionRepo('2026');
    const a = promote(repo, 'testing-devel', 'testing');
    const r = cli(repo, 'promote', 'testing-devel', '--stream', 'testing');
    expect([r.status, r.stdout.trim()]).toEqual([0, a]);
    expect(r.stderr).toContain('already drafts this promotion');
  });

  it('rebases onto a moved target from the same source commit, and --at a moved source from its new head', () => {
    const { repo, devel } = promotionRepo('2026');
    const branch = promote(repo, 'testing-devel', 'testing');
    repo.checkout('testing');
    repo.commit('manifest: a production-only change', { 'manifest.yaml': 'ref: fedora/${basearch}/coreos/testing\nvariables:\n  prod: true\n  new: 1\n' });
    repo.checkout('testing-devel');
    expect(JSON.parse(cli(repo, 'drafts', '--json').stdout)[0].stale).toBe(true);
    let r = cli(repo, 'rebase', branch);
    expect(r.status).toBe(0);
    expect(repo.rev(`${branch}^`)).toBe(repo.rev('testing'));
    expect(repo.rev(`${branch}^{tree}`)).toBe(oraclePromotion(repo, 'testing-devel', 'testing', devel[2]));
    expect(repo.git('log', '-1', '--format=%s', branch)).toBe(`tree: promote changes from testing-devel at ${devel[2]}`);

    const next = repo.commit('denylist: one more snooze', { 'kola-denylist.yaml': '- pattern: late\n    snooze: 2025-02-02\n' });
    expect(cli(repo, 'rebase', branch).stdout).toContain('is up to date');
    r = cli(repo, 'rebase', branch, '--at', 'testing-devel');
    expect(r.status).toBe(0);
    expect(repo.rev(`${branch}^{tree}`)).toBe(oraclePromotion(repo, 'testing-devel', 'testing', next));
    expect(repo.git('log', '-1', '--format=%s', branch)).toBe(`tree: promote changes from testing-devel at ${next}`);
  });

  it('refuses unknown streams, a commit not on the source and a target build-args.conf without STREAM=, writing nothing', () => {
    const { repo } = promotionRepo('2026');
    const other = repo.rev('stable');
    const was = state(repo);
    const cases: [string[], RegExp][] = [
      [['promote', 'nope', '--stream', 'testing'], /unknown source stream "nope"; streams here: testing-devel, testing, stable/],
      [['promote', 'testing-devel', '--stream', 'nope'], /unknown target stream "nope"/],
      [['promote', 'testing', '--stream', 'testing'], /cannot promote testing onto itself/],
      [['promote', 'testing-devel', '--stream', 'testing', '--at', other], /is not on testing-devel's history/],
      [['promote', 'testing-devel', '--stream', 'testing', '--at', 'no-such-ref'], /--at no-such-ref:/],
    ];
    for (const [args, message] of cases) {
      const r = cli(repo, ...args);
      expect([r.status, r.stdout], args.join(' ')).toEqual([2, '']);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    repo.checkout('testing');
    repo.commit('build-args: lose STREAM=', { 'build-args.conf': 'DESCRIPTION="x"\nVERSION=41\n' });
    repo.checkout('testing-devel');
    const now = state(repo);
    const r = cli(repo, 'promote', 'testing-devel', '--stream', 'testing');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/testing's build-args.conf \(at [0-9a-f]{12}\) has no STREAM= line/);
    expect(state(repo)).toBe(now);
    expect(was).not.toBe(now);
  });
});
