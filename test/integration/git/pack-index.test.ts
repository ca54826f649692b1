/**
 * The pack index reader: every object's offset as `git show-index` gives it, whether the
 * lookup reads only its part of the file (the first ones) or the whole file (after that), and
 * offsets past 2 GiB from the large-offset table, in a hand-made index (no test makes a 2 GiB pack).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { PackIndex } from '../../../main/git/objects/pack-index';
import { createRepo } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

afterAll(() => cleanupTempDirs());

/** [oid, offset] of every object in the repo's one pack, and that pack's index file. */
function packedRepo(): { idx: string; objects: [string, number][] } {
  const repo = createRepo();
  repo.branch('main');
  for (let i = 0; i < 40; i++) repo.commit(`edit ${i}`, { 'a.txt': `${i}\n`.repeat(i + 1), [`d${i % 4}/b.json`]: JSON.stringify({ i }) });
  repo.git('repack', '-adq');
  const dir = path.join(repo.gitdir, 'objects', 'pack');
  const idx = path.join(dir, fs.readdirSync(dir).find((n) => n.endsWith('.idx'))!);
  const objects = execFileSync('git', ['show-index'], { input: fs.readFileSync(idx) })
    .toString()
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .map(([off, oid]) => [oid, Number(off)] as [string, number]);
  return { idx, objects };
}

describe('PackIndex', () => {
  const { idx, objects } = packedRepo();

  it('finds each object with reads of its own part of the index, never the whole file', () => {
    const whole = vi.spyOn(fs, 'readFileSync');
    try {
      // A fresh reader per object: every lookup is one of its first.
      for (const [oid, off] of objects) expect(new PackIndex(idx).find(Buffer.from(oid, 'hex'))).toBe(off);
      expect(whole.mock.calls.filter(([f]) => String(f).endsWith('.idx'))).toEqual([]);
    } finally {
      whole.mockRestore();
    }
  });

  it('finds every object, and none that is not there, once it has read the whole file', () => {
    const index = new PackIndex(idx);
    expect(objects.length).toBeGreaterThan(100);
    for (const [oid, off] of objects) expect(index.find(Buffer.from(oid, 'hex'))).toBe(off);
    for (const [oid] of objects.slice(0, 20)) {
      const other = Buffer.from(oid, 'hex');
      other[19] ^= 0xff;
      if (!objects.some(([o]) => o === other.toString('hex'))) expect(index.find(other)).toBe(-1);
    }
    expect(index.find(Buffer.alloc(20, 0))).toBe(-1);
    expect(index.find(Buffer.alloc(20, 0xff))).toBe(-1);
  });

  it('reads offsets past 2 GiB from the large-offset table, both ways', () => {
    // Version 2: magic, version, fan-out, ids, crc32s, 4-byte offsets, 8-byte offsets, two checksums.
    const ids = ['11'.repeat(20), '22'.repeat(20)].map((h) => Buffer.from(h, 'hex'));
    const fanout = Buffer.alloc(1024);
    for (let b = 0; b < 256; b++) fanout.writeUInt32BE((b >= 0x11 ? 1 : 0) + (b >= 0x22 ? 1 : 0), b * 4);
    const small = Buffer.alloc(8);
    small.writeUInt32BE(0x80000000, 0); // the first object: entry 0 of the large table
    small.writeUInt32BE(1234, 4);
    const large = Buffer.alloc(8);
    large.writeUInt32BE(2, 0);
    large.writeUInt32BE(5, 4); // 2 * 2^32 + 5
    const file = path.join(makeTempDir(), 'pack-large.idx');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2]), fanout, ...ids, Buffer.alloc(8), small, large, Buffer.alloc(40)]));
    expect(new PackIndex(file).find(ids[0])).toBe(2 * 2 ** 32 + 5);
    expect(new PackIndex(file).find(ids[1])).toBe(1234);
    const warm = new PackIndex(file);
    for (let i = 0; i < 20; i++) warm.find(ids[i % 2]);
    expect(warm.find(ids[0])).toBe(2 * 2 ** 32 + 5);
    expect(warm.find(ids[1])).toBe(1234);
  });

  it('names an index it cannot read', () => {
    const file = path.join(makeTempDir(), 'pack-bad.idx');
    fs.writeFileSync(file, Buffer.from('not an index at all'));
    expect(() => new PackIndex(file)).toThrow(/pack-bad\.idx: unsupported pack index/);
  });
});
