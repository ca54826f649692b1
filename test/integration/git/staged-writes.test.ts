/**
 * A clone is built in a staged folder: files written plainly, then the whole tree made durable
 * at once before the rename. What can be checked without a power cut: the writes land whole,
 * with their modes, and the sync goes through read-only files (packs) and nested folders.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stagedFs, syncTree, writeFileStaged } from '../../../main/git/atomic-fs';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

describe('staged writes', () => {
  afterAll(() => cleanupTempDirs());

  it('writes files whole, with the mode asked, and leaves no temporary file', async () => {
    const dir = makeTempDir();
    fs.mkdirSync(path.join(dir, 'objects', 'pack'), { recursive: true });
    await writeFileStaged(path.join(dir, 'objects', 'pack', 'pack-1.pack'), Buffer.from('PACK'), { mode: 0o444 });
    await stagedFs.promises.writeFile(path.join(dir, 'HEAD'), 'ref: refs/heads/main\n', 'utf8');
    await stagedFs.promises.writeFile(path.join(dir, 'HEAD'), 'ref: refs/heads/testing-devel\n', 'utf8');
    expect(fs.statSync(path.join(dir, 'objects', 'pack', 'pack-1.pack')).mode & 0o777).toBe(0o444);
    expect(fs.readFileSync(path.join(dir, 'HEAD'), 'utf8')).toBe('ref: refs/heads/testing-devel\n');
    expect(fs.readdirSync(dir).sort()).toEqual(['HEAD', 'objects']);
  });

  it('syncs a whole tree, read-only files and nested folders included', async () => {
    const dir = makeTempDir();
    fs.mkdirSync(path.join(dir, 'refs', 'remotes', 'origin'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'refs', 'remotes', 'origin', 'testing-devel'), `${'a'.repeat(40)}\n`);
    fs.writeFileSync(path.join(dir, 'pack.idx'), 'x', { mode: 0o444 });
    await expect(syncTree(dir)).resolves.toBeUndefined();
  });

  it('names the file when a staged write fails', async () => {
    const dir = makeTempDir();
    const err = await writeFileStaged(path.join(dir, 'missing', 'config'), 'x').catch((e: NodeJS.ErrnoException) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect((err as NodeJS.ErrnoException).path).toBe(path.join(dir, 'missing', 'config'));
  });
});
