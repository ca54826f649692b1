import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeTree } from '../../../main/git/objects/write';
import { runCli } from '../../helpers/cli';
import { createRepo, lockfileJson } from '../../helpers/repo-builder';
import { cleanupTempDirs } from '../../helpers/tmp';

const ID = { GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.org' };
// Names git stores as bytes: Latin-1 "café.txt" and a folder "d\xff", neither valid UTF-8.
const LATIN1 = Buffer.from('caf\xe9.txt', 'latin1');
const FOLDER = Buffer.from('d\xff', 'latin1');

/** `git ls-tree -z` of a commit's root as raw records, one per entry, minus the named files. */
function rootRecords(dir: string, commit: string, except: string[] = []): Buffer[] {
  const out = execFileSync('git', ['-C', dir, 'ls-tree', '-z', commit]);
  const rows: Buffer[] = [];
  for (let i = 0; i < out.length; ) {
    const nul = out.indexOf(0, i);
    const row = out.subarray(i, nul);
    const name = row.subarray(row.indexOf(0x09) + 1).toString('latin1');
    if (!except.includes(name)) rows.push(Buffer.from(row));
    i = nul + 1;
  }
  return rows;
}

function repoWithByteNames() {
  const r = createRepo();
  r.branch('testing-devel');
  r.commit('a', { 'manifest-lock.x86_64.json': lockfileJson({ podman: '5:5.2.4-1.fc40.x86_64' }) });
  fs.writeFileSync(Buffer.from(path.join(r.dir, LATIN1.toString('latin1')), 'latin1'), 'one\n');
  fs.mkdirSync(Buffer.from(path.join(r.dir, FOLDER.toString('latin1')), 'latin1'));
  fs.writeFileSync(Buffer.from(path.join(r.dir, FOLDER.toString('latin1'), 'x'), 'latin1'), 'two\n');
  r.commit('b', {});
  return r;
}

describe('names that are not UTF-8', () => {
  afterAll(() => cleanupTempDirs());

  it('a pin keeps every other root entry byte for byte', () => {
    const r = repoWithByteNames();
    const before = rootRecords(r.dir, 'testing-devel');
    expect(before.some((row) => row.includes(LATIN1))).toBe(true);
    const pin = runCli(['pin', 'podman', '5:5.2.5-1.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', 'https://example.org/1', '--repo', r.dir], { env: ID });
    expect(pin.stderr).toBe('');
    const after = rootRecords(r.dir, pin.stdout.trim(), ['manifest-lock.overrides.yaml']);
    expect(after).toEqual(before);
    // git itself finds nothing wrong with the tree written.
    execFileSync('git', ['-C', r.dir, 'fsck', '--strict', '--no-dangling']);
  });

  it('a promotion keeps them too', () => {
    const r = repoWithByteNames();
    r.branch('testing', 'testing-devel~1');
    const promo = runCli(['promote', 'testing-devel', '--stream', 'testing', '--repo', r.dir], { env: ID });
    expect(promo.stderr).toBe('');
    expect(rootRecords(r.dir, promo.stdout.trim())).toEqual(rootRecords(r.dir, 'testing-devel'));
  });

  it('encodes a tree as git does: bytewise order, a folder sorted as if its name ended in "/"', () => {
    const blob = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';
    const tree = encodeTree([
      { mode: '100644', path: 'a.b', oid: blob, type: 'blob' },
      { mode: '040000', path: 'a', oid: '4b825dc642cb6eb9a060e54bf8d69288fbee4904', type: 'tree' },
      { mode: '100644', path: 'a-', oid: blob, type: 'blob' },
      { mode: '100644', path: 'x', oid: blob, type: 'blob', raw: Buffer.from([0xe9]) },
    ]);
    const hashed = execFileSync('git', ['hash-object', '-t', 'tree', '--stdin'], { input: tree }).toString().trim();
    const made = execFileSync('git', ['mktree', '--missing', '-z'], {
      input: Buffer.concat([
        Buffer.from(`100644 blob ${blob}\ta.b\x00100644 blob ${blob}\ta-\x00040000 tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ta\x00100644 blob ${blob}\t`),
        Buffer.from([0xe9, 0]),
      ]),
      cwd: createRepo().dir,
    }).toString().trim();
    expect(hashed).toBe(made);
  });
});
