/**
 * The one pack entry-header decoder (main/git/objects/pack-entry.ts) against git itself: every
 * entry of packs git writes (OFS deltas with --delta-base-offset, REF deltas without), read at
 * the offsets `git verify-pack -v` lists, has the type, size and base git reports.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OFS_DELTA, readEntryHeader, REF_DELTA, wholeType } from '../../../../main/git/objects/pack-entry';
import { createRepo } from '../../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../../helpers/tmp';
import { afterAll } from 'vitest';

afterAll(() => cleanupTempDirs());

/** A repo whose lockfile versions delta well against each other, and a blob over 2^11 bytes (a 3-byte size). */
function repoWithDeltas(): string {
  const repo = createRepo();
  const lines = Array.from({ length: 300 }, (_, i) => `  "pkg-${i}": { "evra": "1.${i}-1.fc40.x86_64" },`);
  for (let v = 0; v < 12; v++) {
    repo.commit(`bump ${v}`, {
      'manifest-lock.x86_64.json': `{\n${lines.map((l, i) => (i % 11 === v ? l.replace('-1.fc40', `-${v + 2}.fc40`) : l)).join('\n')}\n}\n`,
      'random.bin': crypto.createHash('sha256').update(String(v)).digest('hex').repeat(300),
    });
  }
  return repo.gitdir;
}

/** Writes a pack of every object, as git does, and returns its bytes and `verify-pack -v` rows. */
function gitPack(gitdir: string, ofs: boolean) {
  const base = path.join(makeTempDir(), 'p');
  const objects = execFileSync('git', ['--git-dir', gitdir, 'rev-list', '--objects', '--all'], { encoding: 'utf8' });
  const args = ['--git-dir', gitdir, 'pack-objects', '--window=50', '--depth=50', ...(ofs ? ['--delta-base-offset'] : []), base];
  const name = execFileSync('git', args, { input: objects.split('\n').map((l) => l.split(' ')[0]).join('\n'), encoding: 'utf8' }).trim();
  const pack = `${base}-${name}.pack`;
  const rows = execFileSync('git', ['verify-pack', '-v', pack], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => /^[0-9a-f]{40}$/.test(f[0]) && f.length >= 5)
    .map(([oid, type, size, , offset, , baseOid]) => ({ oid, type, size: Number(size), offset: Number(offset), baseOid }));
  return { data: fs.readFileSync(pack), rows };
}

describe('the pack entry header', () => {
  const gitdir = repoWithDeltas();
  for (const ofs of [true, false]) {
    it(`reads every entry as git verify-pack does (${ofs ? 'OFS' : 'REF'} deltas)`, () => {
      const { data, rows } = gitPack(gitdir, ofs);
      const offsetOf = new Map(rows.map((r) => [r.oid, r.offset]));
      const sorted = [...rows].sort((a, b) => a.offset - b.offset);
      let deltas = 0;
      for (const [k, r] of sorted.entries()) {
        const h = readEntryHeader(data, r.offset);
        const next = k + 1 < sorted.length ? sorted[k + 1].offset : data.length - 20;
        expect(h.dataAt).toBeGreaterThan(r.offset);
        expect(h.dataAt).toBeLessThan(next);
        if (r.baseOid) {
          deltas++;
          // verify-pack gives a delta's object type and the delta's own size.
          expect(h.type).toBe(ofs ? OFS_DELTA : REF_DELTA);
          expect(h.size).toBe(r.size);
          if (ofs) expect([h.baseOffset, h.baseOid]).toEqual([offsetOf.get(r.baseOid), null]);
          else expect([h.baseOffset, h.baseOid]).toEqual([-1, r.baseOid]);
        } else {
          expect([wholeType(h.type), h.size, h.baseOffset, h.baseOid]).toEqual([r.type, r.size, -1, null]);
        }
      }
      // The packs hold deltas, and sizes that take several varint bytes.
      expect(deltas).toBeGreaterThan(5);
      expect(rows.some((r) => r.size >= 2 ** 11)).toBe(true);
    });
  }

  it('reads a size past 2^31 (multiplied, not shifted) and a two-byte base distance', () => {
    // Type blob (3), size 2^32 + 5: 0b1_011_0101, then 7-bit groups of (2^32 + 5) >> 4.
    let rest = (2 ** 32 + 5 - 5) / 16;
    const bytes = [0x80 | (3 << 4) | 5];
    while (rest > 0) {
      const b = rest % 128;
      rest = Math.floor(rest / 128);
      bytes.push(rest > 0 ? 0x80 | b : b);
    }
    expect(readEntryHeader(Buffer.from(bytes), 0)).toMatchObject({ type: 3, size: 2 ** 32 + 5, dataAt: bytes.length });
    // OFS_DELTA of size 1 whose base is 200 back: 200 = (0 + 1) * 128 + 72 → [0x80 | 0, 72].
    const ofsEntry = Buffer.alloc(400);
    Buffer.from([(OFS_DELTA << 4) | 1, 0x80, 72]).copy(ofsEntry, 300);
    expect(readEntryHeader(ofsEntry, 300)).toMatchObject({ type: OFS_DELTA, size: 1, baseOffset: 100, dataAt: 303 });
  });

  it('is the only decoder: index-pack and the pack reader call it, no other module reads an entry header', () => {
    const root = path.resolve(__dirname, '../../../../main');
    const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    const decoders = files.filter((f) => /\)\s*>>\s*4\)\s*&\s*7|>>\s*4\s*\)\s*&\s*7/.test(fs.readFileSync(path.join(root, f), 'utf8')));
    expect(decoders).toEqual([path.join('git', 'objects', 'pack-entry.ts')]);
    for (const user of ['index-pack.ts', 'object-store.ts']) expect(fs.readFileSync(path.join(root, 'git', 'objects', user), 'utf8')).toContain('readEntryHeader(');
  });
});
