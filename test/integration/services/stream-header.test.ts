/**
 * A stream header file: a sealed core and sections. A query reads the core and the sections it
 * asks for, each checked; writers read it whole. Damage in one section is found by whoever reads
 * that section, and the file's length is part of the core's check.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FORMAT_VERSION, IndexDamage, type StreamHeader } from '../../../main/services/history/format';
import { encodeStreamHeader, readWholeHeader, StreamHeaderFile } from '../../../main/services/history/stream-header';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

afterAll(() => cleanupTempDirs());

const header: StreamHeader = {
  version: FORMAT_VERSION,
  ref: 'testing-devel',
  head: 'a'.repeat(40),
  chainLength: 3,
  chainSum: 123,
  commitRows: 3,
  arches: {
    x86_64: { rowsLength: 100, finalKey: 'manifest-lock.x86_64.json=1\n', dir: { kernel: [[0, 40]], 'ü-pkg': [[40, 10], [60, 20]] }, final: { kernel: ['6.1-1.fc40.x86_64', null, null] } },
    aarch64: { rowsLength: 50, finalKey: 'manifest-lock.aarch64.json=2\n', dir: { kernel: [[0, 50]] }, final: { kernel: ['6.1-1.fc40.aarch64', 'pin', 'manifest-lock.overrides.yaml'] } },
  },
  sources: { 'kernel-core': 'kernel' },
  unreadable: [['x86_64', 1, 'b'.repeat(40), 'manifest-lock.x86_64.json', 'c'.repeat(40), 'not JSON']],
};

function written(bytes: Buffer): string {
  const file = path.join(makeTempDir(), 'k.json');
  fs.writeFileSync(file, bytes);
  return file;
}

/** The bytes of one section in the encoded file (to damage it alone). */
function sectionRange(bytes: Buffer, name: string): [number, number] {
  const nl = bytes.indexOf(10);
  const core = JSON.parse(bytes.toString('utf8', 9, nl)) as { sections: Record<string, [number, number, number]> };
  const [at, len] = core.sections[name];
  return [nl + 1 + at, nl + 1 + at + len];
}

describe('stream header file', () => {
  it('reads back whole as it was written, and a query its core and the sections it asks for', () => {
    const file = written(encodeStreamHeader(header));
    expect(readWholeHeader(file)).toEqual(header);
    const h = StreamHeaderFile.open(file)!;
    expect(h.core).toMatchObject({ ref: 'testing-devel', head: header.head, chainLength: 3, unreadable: header.unreadable, arches: { x86_64: { rowsLength: 100, finalKey: header.arches.x86_64.finalKey } } });
    expect(h.dir('x86_64')).toEqual(header.arches.x86_64.dir);
    expect(h.dir('s390x')).toBeUndefined();
    expect(h.sources()).toEqual(header.sources);
  });

  it('finds damage in a section when that section is read, and only then', () => {
    const bytes = encodeStreamHeader(header);
    const [from] = sectionRange(bytes, 'dir aarch64');
    const damaged = Buffer.from(bytes);
    damaged[from + 3] ^= 1;
    const file = written(damaged);
    const h = StreamHeaderFile.open(file)!;
    expect(h.dir('x86_64')).toEqual(header.arches.x86_64.dir);
    expect(() => h.dir('aarch64')).toThrow(IndexDamage);
    expect(() => h.dir('aarch64')).toThrow(/dir aarch64 section does not match its checksum/);
    expect(readWholeHeader(file)).toBeNull();
  });

  it('refuses a core that does not check out, and a file longer or shorter than its core says', () => {
    const bytes = encodeStreamHeader(header);
    const core = Buffer.from(bytes);
    core[20] ^= 1;
    for (const b of [core, Buffer.concat([bytes, Buffer.from('x')]), bytes.subarray(0, bytes.length - 1), bytes.subarray(0, 30), Buffer.alloc(0)]) {
      const file = written(b);
      expect(StreamHeaderFile.open(file)).toBeNull();
      expect(readWholeHeader(file)).toBeNull();
    }
    expect(StreamHeaderFile.open(path.join(makeTempDir(), 'absent.json'))).toBeNull();
  });

  it('reads a core longer than its first read (many unreadable commits)', () => {
    const many: StreamHeader = { ...header, unreadable: Array.from({ length: 400 }, (_, i) => ['x86_64', i, 'b'.repeat(40), 'manifest-lock.x86_64.json', 'c'.repeat(40), `broken ${i}`]) };
    const bytes = encodeStreamHeader(many);
    expect(bytes.indexOf(10)).toBeGreaterThan(32 * 1024);
    const file = written(bytes);
    expect(StreamHeaderFile.open(file)!.core.unreadable).toHaveLength(400);
    expect(readWholeHeader(file)).toEqual(many);
  });
});
