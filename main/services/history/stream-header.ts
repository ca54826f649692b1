/**
 * A stream's header file (`<key>.json`): a sealed core on its first line, then sections.
 *
 *   <crc32> <core JSON>\n<section><section>...
 *
 * The core holds what every query needs (head, chain length and sum, each arch's rows length
 * and head key, the commits that could not be read) and, per section, where it is and its crc32.
 * The sections are each arch's package directory (`dir <arch>`: package -> segments of its
 * rows) and head states (`final <arch>`), and the sources. A query reads the core and the one
 * directory it asks about: at 1x the whole header is 153 kB, and reading and parsing it all was
 * a third of a warm `lockstep history`; the core and x86_64's directory are 15 kB. Writers read
 * it whole. The file is replaced atomically, so a core and its sections are always of one build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from './checksum';
import { nameRecord, own } from '../../../shared/records';
import { FORMAT_VERSION, IndexDamage, sealJson, streamKey, unseal, type ArchHeader, type StreamChainHeader, type StreamHeader } from './format';
import { readRange } from '../../git/file-range';

/** A stream's header as queries read it: all but the sections. */
export interface StreamCore extends StreamChainHeader {
  arches: Record<string, { rowsLength: number; finalKey: string }>;
  /** name -> [offset past the core's line, length, crc32] */
  sections: Record<string, [number, number, number]>;
  /** Bytes of all sections: the file is exactly the core's line and these. */
  sectionsLength: number;
}

/** The file's bytes for a header. */
export function encodeStreamHeader(h: StreamHeader): Buffer {
  const parts: Buffer[] = [];
  const sections = nameRecord<[number, number, number]>();
  let at = 0;
  const add = (name: string, value: unknown) => {
    const body = Buffer.from(JSON.stringify(value));
    sections[name] = [at, body.length, crc32(body)];
    parts.push(body);
    at += body.length;
  };
  const arches = nameRecord<StreamCore['arches'][string]>();
  for (const [arch, a] of Object.entries(h.arches)) {
    arches[arch] = { rowsLength: a.rowsLength, finalKey: a.finalKey };
    add(`dir ${arch}`, a.dir);
    add(`final ${arch}`, a.final);
  }
  add('sources', h.sources);
  const core: StreamCore = { version: h.version, ref: h.ref, head: h.head, chainLength: h.chainLength, chainSum: h.chainSum, commitRows: h.commitRows, arches, unreadable: h.unreadable, sections, sectionsLength: at };
  return Buffer.concat([sealJson(core), Buffer.from('\n'), ...parts]);
}

/** The core in the first `nl` bytes when it checks out and the file (`size` bytes) is exactly the core's line and its sections. */
function coreOf(bytes: Buffer, nl: number, size: number): StreamCore | null {
  const core = unseal<StreamCore>(bytes.subarray(0, nl));
  return core && typeof core.sectionsLength === 'number' && size === nl + 1 + core.sectionsLength ? core : null;
}

/** A header file opened for queries: its core, checked, and its sections read when asked. */
export class StreamHeaderFile {
  constructor(
    readonly file: string,
    readonly core: StreamCore,
    /** Where the sections start. */
    private readonly base: number,
  ) {}

  /** The file's core when it is there and checks out (its line and the file's length); else null. */
  static open(file: string): StreamHeaderFile | null {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return null;
    }
    try {
      // The core is a few kB unless many commits could not be read: read until its line ends.
      let buf = Buffer.allocUnsafe(16 * 1024);
      let length = 0;
      let nl = -1;
      while (nl < 0) {
        if (length === buf.length) buf = Buffer.concat([buf, Buffer.allocUnsafe(buf.length)]);
        const n = fs.readSync(fd, buf, length, buf.length - length, length);
        if (n === 0) return null;
        nl = buf.indexOf(10, length);
        length += n;
        if (nl >= length) nl = -1;
      }
      const core = coreOf(buf, nl, fs.fstatSync(fd).size);
      if (!core) return null;
      return new StreamHeaderFile(file, core, nl + 1);
    } catch {
      return null;
    } finally {
      fs.closeSync(fd);
    }
  }

  private readonly dirs = new Map<string, ArchHeader['dir'] | undefined>();
  private sourceMap: Record<string, string> | null = null;

  /** An arch's package directory (read once), undefined when the stream has no such arch. */
  dir(arch: string): ArchHeader['dir'] | undefined {
    if (!this.dirs.has(arch)) this.dirs.set(arch, own(this.core.arches, arch) ? this.section<ArchHeader['dir']>(`dir ${arch}`) : undefined);
    return this.dirs.get(arch);
  }

  /** binary -> source package, newest mapping seen (read once). */
  sources(): Record<string, string> {
    return (this.sourceMap ??= this.section<Record<string, string>>('sources'));
  }

  /** One section's value, checked; a section that is not there or does not check out is damage. */
  section<T>(name: string, bytes?: Buffer): T {
    const s = own(this.core.sections, name);
    if (!s) throw new IndexDamage('stream', this.file, `no ${name} section`);
    let buf: Buffer;
    try {
      buf = bytes ? bytes.subarray(this.base + s[0], this.base + s[0] + s[1]) : readRange(this.file, this.base + s[0], s[1]);
    } catch {
      throw new IndexDamage('stream', this.file, 'unreadable');
    }
    if (buf.length !== s[1] || crc32(buf) !== s[2]) throw new IndexDamage('stream', this.file, `the ${name} section does not match its checksum`);
    try {
      return JSON.parse(buf.toString('utf8')) as T;
    } catch {
      throw new IndexDamage('stream', this.file, `the ${name} section is not JSON`);
    }
  }
}

/** A stream's header file for queries when it checks out and is of this format and ref; else null (the stream is rebuilt). */
export function openStreamHeader(dir: string, ref: string): StreamHeaderFile | null {
  const h = StreamHeaderFile.open(path.join(dir, `${streamKey(ref)}.json`));
  return h && h.core.version === FORMAT_VERSION && h.core.ref === ref ? h : null;
}

/** A whole header from its file, every section read and checked (writers and repairs); null when absent or any part does not check out. */
export function readWholeHeader(file: string): StreamHeader | null {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return null;
  }
  const nl = bytes.indexOf(10);
  const core = nl < 0 ? null : coreOf(bytes, nl, bytes.length);
  if (!core) return null;
  const h = new StreamHeaderFile(file, core, nl + 1);
  try {
    const arches = nameRecord<ArchHeader>();
    for (const [arch, a] of Object.entries(core.arches)) {
      arches[arch] = { rowsLength: a.rowsLength, finalKey: a.finalKey, dir: h.section(`dir ${arch}`, bytes), final: h.section(`final ${arch}`, bytes) };
    }
    return { version: core.version, ref: core.ref, head: core.head, chainLength: core.chainLength, chainSum: core.chainSum, commitRows: core.commitRows, arches, sources: h.section('sources', bytes), unreadable: core.unreadable };
  } catch (err) {
    if (err instanceof IndexDamage) return null;
    throw err;
  }
}
