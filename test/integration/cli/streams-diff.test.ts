import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliJson, runCli } from '../../helpers/cli';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

interface StreamRow {
  name: string;
  ref: string;
  head: string;
  date: string;
  arches: Record<string, number>;
  overrides: { pin: number; 'fast-track': number; other: number };
  behind: number | null;
}

const PODMAN_BODHI = 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638';

/**
 * testing-devel: three lockfile commits and a merge of a side branch; testing: promoted from
 * testing-devel's second commit; stable: an older state; rawhide: only the override file;
 * plus a non-stream branch and one of Lockstep's own draft branches.
 */
function buildConfigRepo(): { repo: RepoBuilder; heads: Record<string, string> } {
  const repo = createRepo();
  const x86 = (kernel: string, extra: Record<string, string> = {}) =>
    lockfileJson({
      kernel: { evra: `${kernel}.x86_64`, sourcerpm: 'kernel' },
      'kernel-core': { evra: `${kernel}.x86_64`, sourcerpm: 'kernel' },
      podman: { evra: '5:5.2.4-1.fc40.x86_64', sourcerpm: 'podman' },
      'grub2-pc': { evra: '1:2.12-4.fc40.x86_64', sourcerpm: 'grub2' },
      'device-mapper': { evra: '1.02.197-1.fc40.x86_64', sourcerpm: 'lvm2' },
      tzdata: { evra: '2024a-5.fc40.noarch', sourcerpm: 'tzdata' },
      ...Object.fromEntries(Object.entries(extra).map(([n, e]) => [n, { evra: e, sourcerpm: n }])),
    });
  const arm = (kernel: string) =>
    lockfileJson({
      kernel: { evra: `${kernel}.aarch64`, sourcerpm: 'kernel' },
      podman: { evra: '5:5.2.4-1.fc40.aarch64', sourcerpm: 'podman' },
      tzdata: { evra: '2024a-5.fc40.noarch', sourcerpm: 'tzdata' },
    });
  repo.branch('testing-devel');
  const c1 = repo.commit('lockfiles: initial import', {
    'manifest-lock.x86_64.json': x86('6.9.12-200.fc40'),
    'manifest-lock.aarch64.json': arm('6.9.12-200.fc40'),
    'manifest-lock.overrides.yaml': overridesYaml({}),
    'README.md': 'config\n',
  });
  const c2 = repo.commit('lockfiles: bump to latest', {
    'manifest-lock.x86_64.json': x86('6.10.12-200.fc40', { 'tzdata-java': '2024a-5.fc40.noarch' }),
    'manifest-lock.aarch64.json': arm('6.10.12-200.fc40'),
  });
  repo.branch('side', c2);
  repo.commit('overrides: fast-track podman-5.2.5-1.fc40', {
    'manifest-lock.overrides.yaml': overridesYaml({
      podman: { evr: '5:5.2.5-1.fc40', type: 'fast-track', bodhi: PODMAN_BODHI, reason: 'https://github.com/coreos/fedora-coreos-tracker/issues/1809' },
      'grub2-pc': { evr: '1:2.12-5.fc40', type: 'pin', reason: 'https://github.com/coreos/fedora-coreos-tracker/issues/1' },
    }),
  });
  repo.checkout('testing-devel');
  repo.merge('side', 'Merge pull request #1 from side');
  repo.git('branch', '-q', '-d', 'side');
  repo.commit('lockfiles: unrelated change', { 'README.md': 'config repo\n' });
  repo.branch('testing', c2);
  repo.branch('stable', c1);
  repo.branch('rawhide', c1);
  repo.commit('rawhide: only overrides', {
    'manifest-lock.x86_64.json': null,
    'manifest-lock.aarch64.json': null,
    'manifest-lock.overrides.yaml': overridesYaml({ 'grub2-pc': { evr: '1:2.12-9.fc42', type: 'pin', reason: 'https://example.org/2' } }),
  });
  repo.branch('lockstep/testing-devel/podman-5.2.5-1.fc40', c2);
  repo.branch('main', c1);
  repo.commit('not a stream', {
    'manifest-lock.x86_64.json': null,
    'manifest-lock.aarch64.json': null,
    'manifest-lock.overrides.yaml': null,
  });
  repo.checkout('testing-devel');
  const heads: Record<string, string> = {};
  for (const b of ['testing-devel', 'testing', 'stable', 'rawhide']) heads[b] = repo.rev(b);
  return { repo, heads };
}

describe('lockstep streams and diff on a built repo', () => {
  let repo: RepoBuilder;
  let heads: Record<string, string>;
  let bare: string;
  let plain: string;

  beforeAll(() => {
    ({ repo, heads } = buildConfigRepo());
    bare = repo.bareClone(path.join(makeTempDir(), 'bare.git'));
    plain = path.join(makeTempDir(), 'plain');
    repo.git('clone', '-q', '-b', 'testing-devel', repo.dir, plain);
  });
  afterAll(() => cleanupTempDirs());

  it('lists the streams in promotion order, skipping draft and non-lock branches', () => {
    for (const dir of [bare, plain, repo.dir]) {
      const rows = cliJson<StreamRow[]>(['streams', '--repo', dir]);
      expect(rows.map((r) => r.name)).toEqual(['testing-devel', 'testing', 'stable', 'rawhide']);
    }
  });

  it('resolves streams to the remote-tracking branch in a plain clone', () => {
    const rows = cliJson<StreamRow[]>(['streams', '--repo', plain]);
    expect(rows.find((r) => r.name === 'stable')).toMatchObject({ ref: 'refs/remotes/origin/stable', head: heads.stable });
    expect(rows.find((r) => r.name === 'testing-devel')?.ref).toBe('refs/remotes/origin/testing-devel');
  });

  it('counts packages per arch and overrides by type', () => {
    const rows = cliJson<StreamRow[]>(['streams', '--repo', bare]);
    const td = rows.find((r) => r.name === 'testing-devel')!;
    expect(td.arches).toEqual({ x86_64: 7, aarch64: 3 });
    expect(td.overrides).toEqual({ pin: 1, 'fast-track': 1, other: 0 });
    expect(td.head).toBe(heads['testing-devel']);
    expect(td.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)$/);
    expect(rows.find((r) => r.name === 'rawhide')?.arches).toEqual({});
  });

  it('says how far each stream is behind its promotion source', () => {
    const rows = cliJson<StreamRow[]>(['streams', '--repo', bare]);
    const by = Object.fromEntries(rows.map((r) => [r.name, r.behind]));
    // testing is testing-devel's c2; since then testing-devel gained the merge (new overrides) and
    // a README commit, so the newest identical commit is c2, two first-parent steps back.
    expect(by.testing).toBe(2);
    expect(by.stable).toBe(1);
    expect(by['testing-devel']).toBeNull();
  });

  it('diffs two streams with rpm ordering, overrides applied', () => {
    const d = cliJson<Record<string, Record<string, Record<string, unknown>>>>(['diff', 'stable', 'testing-devel', '--repo', bare]);
    expect(Object.keys(d)).toEqual(['x86_64', 'aarch64']);
    expect(d.x86_64.upgraded).toEqual({
      kernel: ['6.9.12-200.fc40', '6.10.12-200.fc40'],
      'kernel-core': ['6.9.12-200.fc40', '6.10.12-200.fc40'],
      podman: ['5:5.2.4-1.fc40', '5:5.2.5-1.fc40'],
      'grub2-pc': ['1:2.12-4.fc40', '1:2.12-5.fc40'],
    });
    expect(d.x86_64.added).toEqual({ 'tzdata-java': '2024a-5.fc40' });
    expect(d.x86_64.removed).toEqual({});
    expect(d.x86_64.downgraded).toEqual({});
    expect(d.x86_64.arch_changed).toEqual({});
    expect(d.aarch64.upgraded).toEqual({
      kernel: ['6.9.12-200.fc40', '6.10.12-200.fc40'],
      podman: ['5:5.2.4-1.fc40', '5:5.2.5-1.fc40'],
    });
  });

  it('diffs the lockfiles alone with --no-overrides, and one arch with --arch', () => {
    const d = cliJson<Record<string, Record<string, Record<string, unknown>>>>([
      'diff', 'stable', 'testing-devel', '--repo', bare, '--no-overrides', '--arch', 'aarch64',
    ]);
    expect(Object.keys(d)).toEqual(['aarch64']);
    expect(d.aarch64.upgraded).toEqual({ kernel: ['6.9.12-200.fc40', '6.10.12-200.fc40'] });
  });

  it('accepts commit ids, short ids, X~N and X^ as refs', () => {
    const full = cliJson<Record<string, Record<string, object>>>(['diff', heads.stable, 'testing-devel~1', '--repo', bare]);
    const short = cliJson<Record<string, Record<string, object>>>(['diff', heads.stable.slice(0, 8), 'testing-devel^', '--repo', bare]);
    expect(short).toEqual(full);
    expect(Object.keys(full.x86_64.upgraded)).toContain('podman');
  });

  it('writes Markdown a maintainer can paste into a PR', () => {
    const r = runCli(['diff', 'stable', 'testing-devel', '--repo', bare, '--md']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('### Lockfile diff: `stable`');
    expect(r.stdout).toContain('#### All arches (x86_64, aarch64): 2 upgraded');
    expect(r.stdout).toContain('| kernel | 6.9.12-200.fc40 | 6.10.12-200.fc40 | upgraded |  |');
    expect(r.stdout).toContain('| kernel | 6.9.12-200.fc40 | 6.10.12-200.fc40 | upgraded | kernel-core |');
    expect(r.stdout).toContain('5:5.2.5-1.fc40 (fast-track)');
  });

  it('prints a readable table by default', () => {
    const r = runCli(['diff', 'stable', 'testing-devel', '--repo', bare]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/x86_64: 4 upgraded, 0 downgraded, 1 added, 0 removed, 0 arch changed/);
    expect(r.stdout).toMatch(/podman\s+5:5.2.4-1.fc40\s+->\s+5:5.2.5-1.fc40\s+upgraded\s+\[fast-track\]/);
    const s = runCli(['streams', '--repo', bare]);
    expect(s.stdout).toMatch(/^STREAM\s+HEAD\s+DATE/);
    expect(s.stdout).toMatch(/testing\s+[0-9a-f]{12}\s+\S+\s+x86_64:7 aarch64:3\s+0\s+0\s+0\s+2 \(testing-devel\)/);
  });

  it('exits 2 with one line naming the problem on bad input, and 0 only on success', () => {
    const cases: [string[], RegExp][] = [
      [['diff', 'stable', 'nope', '--repo', bare], /unknown ref "nope"/],
      [['diff', 'stable', 'testing-devel', '--repo', bare, '--json', '--md'], /--json and --md/],
      [['streams', '--repo', path.join(bare, 'does-not-exist')], /no such folder/],
      [['streams', '--repo', makeTempDir()], /not a git repository/],
      [['diff', 'stable', 'main', '--repo', bare], /has no manifest-lock files/],
      [['diff', 'stable', 'testing-devel~9', '--repo', bare], /has no parent/],
      [['diff', 'stable', 'testing-devel', '--repo', bare, '--arch', 'x86/64'], /invalid arch/],
      [['diff', 'stable', '--repo', bare], /missing required argument/],
      [['frobnicate'], /unknown command/],
    ];
    for (const [args, re] of cases) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });

  it('names the file and commit of a malformed lockfile', () => {
    repo.branch('broken', heads['testing-devel']);
    const bad = repo.commit('break it', { 'manifest-lock.x86_64.json': '{"packages": {"kernel": {"version": "1"}}}\n' });
    repo.checkout('testing-devel');
    const r = runCli(['diff', 'stable', 'broken', '--repo', repo.dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('manifest-lock.x86_64.json');
    expect(r.stderr).toContain(bad.slice(0, 12));
    expect(r.stderr).toContain('"kernel"');
  });
});

describe('lockstep vercmp and evrcmp', () => {
  it('compares as rpm does', () => {
    expect(runCli(['vercmp', '1.0', '1.0.1']).stdout).toBe('-1\n');
    expect(runCli(['vercmp', '1.0~rc1', '1.0']).stdout).toBe('-1\n');
    expect(runCli(['vercmp', '6.10', '6.9']).stdout).toBe('1\n');
    expect(runCli(['evrcmp', '1:1.0-1', '2.0-1']).stdout).toBe('1\n');
    expect(runCli(['evrcmp', '0:1.10.3-3.fc40', '1.10.3-3.fc40']).stdout).toBe('0\n');
  });

  it('reads tab-separated pairs from stdin', () => {
    const r = runCli(['evrcmp', '--stdin'], { input: '1-1\t1-2\n2:1-1\t1:9-9\n1.0-1\t1.0-1\n' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('-1\n1\n0\n');
  });

  it('rejects a malformed stdin line naming it, printing no results', () => {
    const r = runCli(['vercmp', '--stdin'], { input: '1\t2\nno tab here\n' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/stdin line 2/);
    const e = runCli(['evrcmp', '1:x:y-1', '1-1']);
    expect(e.status).toBe(2);
    expect(e.stderr).toMatch(/1:x:y-1/);
  });

  it('prints its version', () => {
    expect(runCli(['--version']).stdout).toMatch(/^lockstep \d+\.\d+\.\d+\n$/);
  });
});
