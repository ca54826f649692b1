import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigRepo } from '../../../main/services/review/config-repo';
import { HistoryIndex } from '../../../main/services/history/history-index';
import { buildAllIndexes } from '../../../main/services/history/worker';
import { makeTempDir } from '../../helpers/tmp';
import { execFileSync } from 'node:child_process';
import { cliJson, runCli } from '../../helpers/cli';
import { fixtureBareRepo, HAVE_FIXTURE, warnIfNoFixture } from '../../helpers/fixture';
import { plainHistory } from '../../helpers/plain-lock';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs } from '../../helpers/tmp';

warnIfNoFixture('history');

type Row = { commit: string; date: string; evr: string | null; arch: string | null; subject: string };
const pick = (rows: Row[]) => rows.map(({ commit, date, evr, arch, subject }) => ({ commit, date, evr, arch, subject }));

describe('lockstep history on a built repo', () => {
  let repo: RepoBuilder;

  beforeAll(() => {
    repo = createRepo();
    repo.branch('testing-devel');
    const lock = (pkgs: Record<string, string>) => ({ 'manifest-lock.x86_64.json': lockfileJson(pkgs), 'manifest-lock.aarch64.json': lockfileJson(Object.fromEntries(Object.entries(pkgs).map(([n, e]) => [n, e.replace('x86_64', 'aarch64')]))) });
    repo.commit('lockfiles: import', { ...lock({ podman: '2:1.9.0-1.fc32.x86_64', tzdata: '2024a-1.fc40.x86_64', gone: '1-1.fc40.x86_64' }), 'manifest-lock.overrides.yaml': overridesYaml({}) });
    repo.commit('lockfiles: epoch bump, arch change, removal', { ...lock({ podman: '5:5.2.4-1.fc40.x86_64', tzdata: '2024a-1.fc40.noarch' }) });
    repo.commit('docs only', { 'README.md': 'x\n' });
    repo.branch('side', 'HEAD');
    repo.commit('overrides: fast-track podman-5.2.5-1.fc40', { 'manifest-lock.overrides.yaml': overridesYaml({ podman: { evr: '5:5.2.5-1.fc40', type: 'fast-track' }, 'grub2-pc': { evr: '1-1', type: 'pin', reason: 'https://r' } }) });
    repo.commit('side: second commit', { 'notes.txt': 'n\n' });
    repo.checkout('testing-devel');
    repo.merge('side', 'Merge pull request #7 from side');
    repo.commit('lockfiles: re-add gone, base catches up', { ...lock({ podman: '5:5.2.5-1.fc40.x86_64', tzdata: '2024a-1.fc40.noarch', gone: '2-1.fc40.x86_64' }) });
    repo.commit('lockfiles: drop graduated overrides 🎓', { 'manifest-lock.overrides.yaml': overridesYaml({}) });
    repo.commit('overrides: pin podman on aarch64', { 'manifest-lock.overrides.aarch64.yaml': overridesYaml({ podman: { evra: '5:5.2.3-1.fc40.aarch64', type: 'pin', reason: 'https://r' } }) });
  });
  afterAll(() => cleanupTempDirs());

  it.each([
    ['podman', 'x86_64'],
    ['podman', 'aarch64'],
    ['tzdata', 'x86_64'],
    ['gone', 'x86_64'],
    ['grub2-pc', 'x86_64'],
  ])('%s on %s equals a plain reading with the git CLI', (name, arch) => {
    const got = cliJson<Row[]>(['history', name, '--repo', repo.dir, '--stream', 'testing-devel', '--arch', arch, '--no-cache']);
    expect(pick(got)).toEqual(plainHistory(repo.dir, 'testing-devel', arch, name));
  });

  it('records epoch changes, arch changes, removals, re-adds and overrides coming and going', () => {
    const got = cliJson<(Row & { override: { type: string } | null })[]>(['history', 'podman', '--repo', repo.dir, '--stream', 'testing-devel']);
    expect(got.map((r) => [r.evr, r.override?.type ?? null, r.subject])).toEqual([
      // The override left when the base caught up: no change of effective version, no entry.
      ['5:5.2.5-1.fc40', 'fast-track', 'Merge pull request #7 from side'],
      ['5:5.2.4-1.fc40', null, 'lockfiles: epoch bump, arch change, removal'],
      ['2:1.9.0-1.fc32', null, 'lockfiles: import'],
    ]);
    const tz = cliJson<Row[]>(['history', 'tzdata', '--repo', repo.dir, '--stream', 'testing-devel']);
    expect(tz.map((r) => r.arch)).toEqual(['noarch', 'x86_64']);
    const gone = cliJson<Row[]>(['history', 'gone', '--repo', repo.dir, '--stream', 'testing-devel']);
    expect(gone.map((r) => [r.evr, r.arch])).toEqual([['2-1.fc40', 'x86_64'], [null, null], ['1-1.fc40', 'x86_64']]);
  });

  it('never lists an inert override, and gives [] for a package never seen', () => {
    expect(cliJson(['history', 'grub2-pc', '--repo', repo.dir, '--stream', 'testing-devel'])).toEqual([]);
    expect(cliJson(['history', 'nosuch', '--repo', repo.dir, '--stream', 'testing-devel'])).toEqual([]);
  });

  it('gives a merge the messages of the commits it brought in', async () => {
    const r = await ConfigRepo.open(repo.dir);
    const h = await new HistoryIndex(r, { cache: false }).packageHistory('testing-devel', 'x86_64', 'podman');
    expect(h[0].merged?.map((m) => m.subject)).toEqual(['side: second commit', 'overrides: fast-track podman-5.2.5-1.fc40']);
    expect(h[0].author).toEqual({ name: 'Test Maintainer', email: 'maintainer@example.org' });
    r.close();
  });

  it('answers warm from the disk index, and extends it with only the new commits', async () => {
    const r = await ConfigRepo.open(repo.dir);
    const cold = await new HistoryIndex(r).packageHistory('testing-devel', 'x86_64', 'podman');
    const heads = fs.readdirSync(path.join(repo.gitdir, 'lockstep', 'history3')).filter((n) => n.endsWith('.head'));
    expect(heads.map((n) => fs.readFileSync(path.join(repo.gitdir, 'lockstep', 'history3', n), 'utf8').trim())).toEqual([repo.rev('testing-devel')]);
    const warmIndex = new HistoryIndex(r);
    expect(await warmIndex.packageHistory('testing-devel', 'x86_64', 'podman')).toEqual(cold);
    expect(warmIndex.lastBuildCommits).toBe(0);
    repo.commit('lockfiles: bump podman', { 'manifest-lock.x86_64.json': lockfileJson({ podman: '5:5.2.6-1.fc40.x86_64', tzdata: '2024a-1.fc40.noarch', gone: '2-1.fc40.x86_64' }) });
    r.close();
    const r2 = await ConfigRepo.open(repo.dir);
    const inc = new HistoryIndex(r2);
    const after = await inc.packageHistory('testing-devel', 'x86_64', 'podman');
    expect(inc.lastBuildCommits).toBe(1);
    expect(after[0].evr).toBe('5:5.2.6-1.fc40');
    expect(after.slice(1)).toEqual(cold);
    expect(pick(after as Row[])).toEqual(plainHistory(repo.dir, 'testing-devel', 'x86_64', 'podman'));
    r2.close();
  });

  it('refuses a bad ref or arch with exit 2', () => {
    expect(runCli(['history', 'podman', '--repo', repo.dir, '--stream', 'nope']).status).toBe(2);
    const r = runCli(['history', 'podman', '--repo', repo.dir, '--stream', 'testing-devel', '--arch', 'x/y']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/invalid arch/);
  });
});

describe("extending a stream's index when its head moves", () => {
  afterAll(() => cleanupTempDirs());

  it('appends only the new commits, also when another stream indexed them first, and rebuilds a rewritten stream', async () => {
    const repo = createRepo();
    repo.branch('testing-devel');
    const lock = (foo: string) => ({ 'manifest-lock.x86_64.json': lockfileJson({ foo: `${foo}.fc40.x86_64`, bar: '1-1.fc40.x86_64' }) });
    repo.commit('lockfiles: import', lock('1-1'));
    repo.commit('lockfiles: bump foo to 2', lock('2-1'));
    repo.branch('stable', 'testing-devel');
    repo.checkout('testing-devel');
    repo.commit('lockfiles: bump foo to 3', lock('3-1'));
    repo.commit('overrides: pin foo', { 'manifest-lock.overrides.yaml': overridesYaml({ foo: { evr: '2-1.fc40', type: 'pin', reason: 'https://r' } }) });
    repo.commit('lockfiles: bump foo to 4', lock('4-1'));

    const answer = async (stream: string) => {
      const r = await ConfigRepo.open(repo.dir);
      try {
        const index = new HistoryIndex(r);
        const cached = await index.packageHistory(stream, 'x86_64', 'foo');
        const walked = await new HistoryIndex(r, { cache: false }).packageHistory(stream, 'x86_64', 'foo');
        expect(cached).toEqual(walked);
        return { built: index.lastBuildCommits, evrs: cached.map((e) => e.evr) };
      } finally {
        r.close();
      }
    };
    // The pin holds foo at 2-1, so the bump to 4 changes nothing.
    expect(await answer('testing-devel')).toEqual({ built: 5, evrs: ['2-1.fc40', '3-1.fc40', '2-1.fc40', '1-1.fc40'] });
    expect((await answer('stable')).evrs).toEqual(['2-1.fc40', '1-1.fc40']);

    // stable fast-forwards onto commits testing-devel's index already holds: only those are read.
    repo.git('branch', '-f', 'stable', repo.rev('testing-devel~1'));
    expect(await answer('stable')).toEqual({ built: 2, evrs: ['2-1.fc40', '3-1.fc40', '2-1.fc40', '1-1.fc40'] });

    // stable rewritten (its indexed head no longer on its chain): rebuilt, same answer as the walk.
    repo.checkout('stable');
    repo.git('reset', '-q', '--hard', repo.rev('testing-devel~4'));
    repo.commit('lockfiles: a different 2', lock('2-2'));
    const rewritten = await answer('stable');
    expect(rewritten.evrs).toEqual(['2-2.fc40', '1-1.fc40']);
  });
});

describe('both history paths (index and --no-cache) follow the same rules', () => {
  let repo: RepoBuilder;
  const BAD: Record<string, string> = { empty: '', null: 'null', list: '[]', truncated: '{"packages": {"foo": {"evra": "1-1.fc40.x86_64"}' };

  beforeAll(() => {
    repo = createRepo();
    repo.branch('testing-devel');
    repo.commit('lockfiles: import', { 'manifest-lock.x86_64.json': lockfileJson({ foo: '1-1.fc40.x86_64' }) });
    repo.commit('overrides: all-arch noarch pin', { 'manifest-lock.overrides.yaml': overridesYaml({ foo: { evra: '2-1.fc40.noarch', type: 'pin', reason: 'https://r' } }) });
    repo.commit('overrides: x86_64 evr pin', { 'manifest-lock.overrides.x86_64.yaml': overridesYaml({ foo: { evr: '3-1.fc40', type: 'pin', reason: 'https://r' } }) });
    for (const [name, text] of Object.entries(BAD)) {
      repo.branch(`bad-${name}`, 'testing-devel');
      repo.commit(`lockfiles: ${name}`, { 'manifest-lock.x86_64.json': text });
    }
    repo.checkout('testing-devel');
  });
  afterAll(() => cleanupTempDirs());

  it('gives an evr override the arch of the lockfile entry it replaces, not of an earlier override', () => {
    const cached = cliJson<Row[]>(['history', 'foo', '--repo', repo.dir, '--stream', 'testing-devel']);
    const walked = cliJson<Row[]>(['history', 'foo', '--repo', repo.dir, '--stream', 'testing-devel', '--no-cache']);
    expect(cached.map((r) => [r.evr, r.arch])).toEqual([
      ['3-1.fc40', 'x86_64'],
      ['2-1.fc40', 'noarch'],
      ['1-1.fc40', 'x86_64'],
    ]);
    expect(walked).toEqual(cached);
  });

  it.each(Object.keys(BAD))('refuses a %s lockfile at the head with a located bad-file error (exit 2), with and without the index', (name) => {
    for (const extra of [[], ['--no-cache']]) {
      const r = runCli(['history', 'foo', '--repo', repo.dir, '--stream', `bad-${name}`, ...extra]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/manifest-lock\.x86_64\.json/);
    }
  });

  it('refuses a head that keeps a lockfile broken in a commit before it', () => {
    repo.branch('bad-kept', 'bad-null');
    repo.commit('docs only', { 'README.md': 'x\n' });
    repo.checkout('testing-devel');
    for (const extra of [[], ['--no-cache']]) {
      const r = runCli(['history', 'foo', '--repo', repo.dir, '--stream', 'bad-kept', ...extra]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(repo.rev('bad-null').slice(0, 12));
    }
  });
});

describe('lockstep history builds the index of the stream asked only', () => {
  afterAll(() => cleanupTempDirs());

  it('writes one stream index, whatever other streams the repo has', () => {
    const repo = createRepo();
    repo.branch('testing-devel');
    repo.commit('lockfiles: import', { 'manifest-lock.x86_64.json': lockfileJson({ foo: '1-1.fc40.x86_64' }) });
    for (const s of ['next-devel', 'stable', 'testing']) {
      repo.branch(s, 'testing-devel');
      repo.commit(`${s}: bump`, { 'manifest-lock.x86_64.json': lockfileJson({ foo: `2-1.${s}.x86_64` }) });
    }
    expect(cliJson<Row[]>(['history', 'foo', '--repo', repo.dir, '--stream', 'stable']).map((r) => r.evr)).toEqual(['2-1.stable', '1-1.fc40']);
    const dir = path.join(repo.gitdir, 'lockstep', 'history3');
    const heads = fs.readdirSync(dir).filter((n) => n.endsWith('.head'));
    expect(heads.map((n) => fs.readFileSync(path.join(dir, n), 'utf8').trim())).toEqual([repo.rev('stable')]);
  });
});

describe.skipIf(!HAVE_FIXTURE)('lockstep history on the fixture equals the git CLI', () => {
  it.each([
    ['kernel', 'testing-devel', 'x86_64'],
    ['podman', 'testing-devel', 'x86_64'],
    ['ignition', 'stable', 'aarch64'],
    ['kernel', 'next-devel', 's390x'],
    ['moby-engine', 'testing-devel', 'x86_64'],
  ])('%s on %s %s', (name, stream, arch) => {
    const repo = fixtureBareRepo();
    const got = cliJson<Row[]>(['history', name, '--repo', repo, '--stream', stream, '--arch', arch, '--no-cache']);
    expect(got.length).toBeGreaterThan(0);
    expect(pick(got)).toEqual(plainHistory(repo, stream, arch, name));
  }, 120_000);

  it('builds every stream once, sharing rows across streams, and answers as the walk without index does', async () => {
    const gitdir = path.join(makeTempDir(), 'fcos.git');
    execFileSync('git', ['clone', '-q', '--bare', fixtureBareRepo(), gitdir]);
    expect(await buildAllIndexes(gitdir)).toBe(7);
    const r = await ConfigRepo.open(gitdir);
    try {
      for (const [name, stream, arch] of [
        ['kernel', 'next-devel', 's390x'],
        ['ignition', 'stable', 'aarch64'],
        ['podman', 'next', 'x86_64'],
        ['kernel', 'testing', 'ppc64le'],
      ]) {
        const index = new HistoryIndex(r);
        const warm = await index.packageHistory(stream, arch, name);
        expect(index.lastBuildCommits).toBe(0);
        expect(warm).toEqual(await new HistoryIndex(r, { cache: false }).packageHistory(stream, arch, name));
      }
    } finally {
      r.close();
    }
  }, 180_000);
});
