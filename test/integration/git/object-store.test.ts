import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ObjectStore } from '../../../main/git/objects/object-store';
import { formatGitDate } from '../../../main/git/objects/parse';
import { fixtureBareRepo, HAVE_FIXTURE, warnIfNoFixture } from '../../helpers/fixture';
import { createRepo, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs } from '../../helpers/tmp';

warnIfNoFixture('object-store');

/** Reads objects with one `git cat-file --batch`: the reference the store must equal. */
function catFileBatch(gitdir: string, oids: string[]): Map<string, { type: string; data: Buffer }> {
  const out = execFileSync('git', ['--git-dir', gitdir, 'cat-file', '--batch'], { input: `${oids.join('\n')}\n`, maxBuffer: 1 << 30 });
  const map = new Map<string, { type: string; data: Buffer }>();
  let pos = 0;
  for (const oid of oids) {
    const nl = out.indexOf(10, pos);
    const [, type, size] = out.subarray(pos, nl).toString().split(' ');
    map.set(oid, { type, data: out.subarray(nl + 1, nl + 1 + Number(size)) });
    pos = nl + 1 + Number(size) + 1;
  }
  return map;
}

const allOids = (gitdir: string) =>
  execFileSync('git', ['--git-dir', gitdir, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname)'])
    .toString()
    .trim()
    .split('\n');

describe('ObjectStore', () => {
  let repo: RepoBuilder;

  beforeAll(() => {
    repo = createRepo();
    repo.branch('main');
    let text = '';
    for (let i = 0; i < 60; i++) {
      text += `line ${i} ${'x'.repeat(i % 7)}\n`;
      repo.commit(`edit ${i}\n\nbody line one\nbody line two`, { 'file.txt': text, [`f${i % 5}.json`]: JSON.stringify({ i }) });
    }
    repo.branch('side', 'main~10');
    repo.commit('side work', { 'side.txt': 'side\n' });
    repo.checkout('main');
    repo.merge('side', 'Merge side');
    // Deep delta chains in one pack, then a second pack and some loose objects on top.
    repo.git('repack', '-adf', '--depth=50', '--window=50');
    for (let i = 0; i < 5; i++) repo.commit(`more ${i}`, { 'file.txt': `${text}more ${i}\n` });
    repo.git('repack', '-d');
    repo.commit('loose', { 'loose.txt': 'only loose\n' });
  });
  afterAll(() => cleanupTempDirs());

  it('reads every object exactly as git does: packed, deltified, in two packs and loose', async () => {
    const store = await ObjectStore.open(repo.gitdir);
    const oids = allOids(repo.gitdir);
    const want = catFileBatch(repo.gitdir, oids);
    expect(oids.length).toBeGreaterThan(150);
    for (const oid of oids) {
      const got = store.read(oid);
      expect(got.type, oid).toBe(want.get(oid)!.type);
      expect(got.data.equals(want.get(oid)!.data), oid).toBe(true);
    }
    const packs = execFileSync('ls', [path.join(repo.gitdir, 'objects', 'pack')]).toString();
    expect(packs.match(/\.idx/g)?.length).toBe(2);
  });

  it('parses merge commits and multi-line messages', async () => {
    const store = await ObjectStore.open(repo.gitdir);
    const merge = store.readCommit(repo.rev('main~6'));
    expect(merge.parents).toEqual([repo.rev('main~7'), repo.rev('side')]);
    expect(merge.message).toBe('Merge side\n');
    const edit = store.readCommit(repo.rev('main~8'));
    expect(edit.message).toBe('edit 58\n\nbody line one\nbody line two\n');
    expect(edit.author).toMatchObject({ name: 'Test Maintainer', email: 'maintainer@example.org' });
  });

  it('reads trees', async () => {
    const store = await ObjectStore.open(repo.gitdir);
    const tree = store.readTree(store.readCommit(repo.rev('HEAD')).tree);
    expect(tree.map((e) => e.name)).toContain('loose.txt');
    expect(tree.find((e) => e.name === 'file.txt')?.oid).toBe(repo.rev('HEAD:file.txt'));
  });

  it("tells every object's type as git does, a deltified commit's from entry headers without reading the pack", async () => {
    // Commits deltified against other commits (git verify-pack -v: a base column on a commit row).
    const deltified = repo
      .git('verify-pack', '-v', ...execFileSync('ls', [path.join(repo.gitdir, 'objects', 'pack')]).toString().split('\n').filter((n) => n.endsWith('.idx')).map((n) => path.join(repo.gitdir, 'objects', 'pack', n)))
      .split('\n')
      .map((l) => l.split(/\s+/))
      .filter((f) => f[1] === 'commit' && f.length >= 7)
      .map((f) => f[0]);
    expect(deltified.length, 'the repack deltified some commits').toBeGreaterThan(0);
    const store = await ObjectStore.open(repo.gitdir);
    const read = vi.spyOn(fs, 'readFileSync');
    try {
      for (const oid of deltified) expect(store.typeOf(oid), oid).toBe('commit');
      expect(read.mock.calls.filter(([f]) => String(f).endsWith('.pack')), 'whole packs read').toEqual([]);
    } finally {
      read.mockRestore();
    }
    const oids = allOids(repo.gitdir);
    const want = catFileBatch(repo.gitdir, oids);
    for (const oid of oids) expect(store.typeOf(oid), oid).toBe(want.get(oid)!.type);
  });

  it('names the object that is missing', async () => {
    const store = await ObjectStore.open(repo.gitdir);
    expect(() => store.read('0'.repeat(40))).toThrow(/object 0{40} not found/);
    expect(store.has('0'.repeat(40))).toBe(false);
  });

  it('finds packs added after opening once refreshed', async () => {
    const store = await ObjectStore.open(repo.gitdir);
    const c = repo.commit('after open', { 'new.txt': 'new\n' });
    repo.git('repack', '-d');
    await store.refresh();
    expect(store.readCommit(c).message).toBe('after open\n');
  });
});

describe('formatGitDate', () => {
  it.each(['2020-01-01T10:00:00-0700', '2020-06-30T23:30:00+0530', '2021-12-31T23:59:59+0000', '2019-08-19T08:00:00-0000'])(
    'prints %s as git prints its strict ISO committer date',
    async (date) => {
      const repo = createRepo();
      repo.branch('main');
      repo.git('commit', '-q', '--allow-empty', '-m', 'x', `--date=${date}`);
      const c = repo.rev('HEAD');
      execFileSync('git', ['commit', '-q', '--amend', '--allow-empty', '-m', 'x'], {
        cwd: repo.dir,
        env: { ...process.env, GIT_COMMITTER_DATE: date, GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'b', GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'b' },
      });
      void c;
      const head = repo.rev('HEAD');
      const store = await ObjectStore.open(repo.gitdir);
      expect(formatGitDate(store.readCommit(head).committer)).toBe(repo.git('log', '-1', '--format=%cI'));
    },
  );
});

describe.skipIf(!HAVE_FIXTURE)('ObjectStore on the fixture', () => {
  it('reads every version of testing-devel x86_64 lockfile byte for byte', async () => {
    const gitdir = fixtureBareRepo();
    const commits = execFileSync('git', ['--git-dir', gitdir, 'rev-list', '--first-parent', 'testing-devel']).toString().trim().split('\n');
    const blobs = execFileSync('git', ['--git-dir', gitdir, 'cat-file', '--batch-check=%(objectname)'], {
      input: commits.map((c) => `${c}:manifest-lock.x86_64.json`).join('\n') + '\n',
    })
      .toString()
      .trim()
      .split('\n')
      .map((l) => (/^[0-9a-f]{40}$/.test(l) ? l : null));
    // The fixture README: 1186 versions along the first-parent chain (some blobs recur).
    const versions = blobs.filter((b, i) => b !== null && b !== blobs[i + 1]).length;
    expect(versions).toBe(1186);
    const unique = [...new Set(blobs.filter((b): b is string => b !== null))];
    const want = catFileBatch(gitdir, unique);
    const store = await ObjectStore.open(gitdir);
    for (const oid of unique) expect(store.read(oid).data.equals(want.get(oid)!.data), oid).toBe(true);
  });
});
