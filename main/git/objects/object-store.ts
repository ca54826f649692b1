/**
 * A read-only git object store: pack files (idx v2, OFS/REF deltas) and loose objects, read
 * with Node's native zlib and a delta-base cache, as git itself does. isomorphic-git resolves
 * deltas in JavaScript and is about 10x slower on a lockfile history; it stays for refs,
 * writes and the network.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { AppError } from '../../../shared/errors';
import { PackIndex } from './pack-index';
import { OFS_DELTA, readEntryHeader, REF_DELTA, wholeType } from './pack-entry';
import { parseCommit, parseTree, type Commit, type TreeEntry } from './parse';

export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag';

export interface GitObject {
  type: ObjectType;
  data: Buffer;
}


interface Pack {
  idxPath: string;
  packPath: string;
  /**
   * The whole pack (the fixture's is a few MB, the reference repo's some hundred), read at the
   * first object read from it: a warm history query answers from its index and reads none.
   */
  data: Buffer | null;
  /** Its index, opened at the first lookup (`pack-index.ts`: a warm history looks up one id). */
  index: PackIndex | null;
}

/** LRU of resolved objects by pack offset, bounded by bytes. */
class DeltaBaseCache {
  private readonly map = new Map<string, GitObject>();
  private bytes = 0;
  constructor(private readonly limit: number) {}

  get(key: string): GitObject | undefined {
    const v = this.map.get(key);
    if (v) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, v: GitObject): void {
    if (v.data.length > this.limit / 4 || this.map.has(key)) return;
    this.map.set(key, v);
    this.bytes += v.data.length;
    while (this.bytes > this.limit) {
      const [k, old] = this.map.entries().next().value as [string, GitObject];
      this.map.delete(k);
      this.bytes -= old.data.length;
    }
  }

  clear(): void {
    this.map.clear();
    this.bytes = 0;
  }
}

function inflate(buf: Buffer, at: number, size: number): Buffer {
  // inflateSync stops at the end of the deflate stream; the size is known from the header,
  // and a chunk of exactly that size avoids a 16 kB buffer per small object.
  return zlib.inflateSync(buf.subarray(at), { chunkSize: Math.max(64, size + 1) });
}

/**
 * Applies a git delta to a base. `alloc` gives the output buffer (at least `size` bytes): a
 * caller that resolves many deltas in turn reuses one instead of a fresh one per object.
 */
export function applyDelta(base: Buffer, delta: Buffer, alloc: (size: number) => Buffer = Buffer.allocUnsafe): Buffer {
  let i = 0;
  const varint = (): number => {
    let n = 0;
    let shift = 0;
    let b: number;
    do {
      b = delta[i++];
      n += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return n;
  };
  const baseSize = varint();
  if (baseSize !== base.length) throw new Error(`delta base size ${baseSize} differs from the base's ${base.length}`);
  const size = varint();
  const out = alloc(size).subarray(0, size);
  let o = 0;
  while (i < delta.length) {
    const cmd = delta[i++];
    if (cmd & 0x80) {
      let off = 0;
      let len = 0;
      if (cmd & 0x01) off = delta[i++];
      if (cmd & 0x02) off |= delta[i++] << 8;
      if (cmd & 0x04) off |= delta[i++] << 16;
      if (cmd & 0x08) off = (off | (delta[i++] << 24)) >>> 0;
      if (cmd & 0x10) len = delta[i++];
      if (cmd & 0x20) len |= delta[i++] << 8;
      if (cmd & 0x40) len |= delta[i++] << 16;
      if (len === 0) len = 0x10000;
      if (len <= 32) {
        // A byte loop beats Buffer.copy's call overhead for the many short copies.
        for (let k = 0; k < len; k++) out[o + k] = base[off + k];
      } else {
        base.copy(out, o, off, off + len);
      }
      o += len;
    } else if (cmd > 0) {
      if (cmd <= 32) for (let k = 0; k < cmd; k++) out[o + k] = delta[i + k];
      else delta.copy(out, o, i, i + cmd);
      o += cmd;
      i += cmd;
    } else {
      throw new Error('delta opcode 0 is reserved');
    }
  }
  if (o !== size) throw new Error(`delta produced ${o} bytes, expected ${size}`);
  return out;
}

/**
 * The type of the pack entry at `offset` from entry headers alone (a few bytes each, not the
 * pack), following offset deltas back to their base; null for a ref delta or a chain that does
 * not lead back (the full read then finds and names what is wrong).
 */
function typeFromHeaders(packPath: string, offset: number): ObjectType | null {
  // An entry's header is at most a few bytes: a size varint, then an offset varint.
  const head = Buffer.alloc(32);
  const fd = fs.openSync(packPath, 'r');
  try {
    let at = offset;
    for (let hop = 0; hop < MAX_DELTA_HOPS; hop++) {
      fs.readSync(fd, head, 0, head.length, at);
      const h = readEntryHeader(head, 0);
      if (h.type !== OFS_DELTA) return wholeType(h.type);
      // Read at 0, the base offset came out relative: an offset delta's base lies before it.
      if (h.baseOffset >= 0 || at + h.baseOffset < 0) return null;
      at += h.baseOffset;
    }
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

// git's own limit on a delta chain is far below (pack.depth, 50 by default).
const MAX_DELTA_HOPS = 10_000;

export class ObjectStore {
  private packs: Pack[] = [];
  private readonly cache: DeltaBaseCache;

  private constructor(
    readonly gitdir: string,
    cacheBytes: number,
  ) {
    this.cache = new DeltaBaseCache(cacheBytes);
  }

  /** Opens the object store of a git folder (`.git` or a bare repo). */
  static async open(gitdir: string, opts: { cacheBytes?: number } = {}): Promise<ObjectStore> {
    const store = new ObjectStore(gitdir, opts.cacheBytes ?? 32 * 1024 * 1024);
    await store.refresh();
    return store;
  }

  /** open() for synchronous callers (the index-pack's thin-pack bases). */
  static openSync(gitdir: string, opts: { cacheBytes?: number } = {}): ObjectStore {
    const store = new ObjectStore(gitdir, opts.cacheBytes ?? 32 * 1024 * 1024);
    store.refreshSync();
    return store;
  }

  /** Picks up packs added or removed since the last look (after a fetch or gc). */
  async refresh(): Promise<void> {
    this.refreshSync();
  }

  private refreshSync(): void {
    const dir = path.join(this.gitdir, 'objects', 'pack');
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith('.idx'));
    } catch {
      names = [];
    }
    const wanted = new Set(names.map((n) => path.join(dir, n)));
    const kept = this.packs.filter((p) => wanted.has(p.idxPath));
    const have = new Set(kept.map((p) => p.idxPath));
    for (const idxPath of wanted) {
      if (have.has(idxPath)) continue;
      const packPath = idxPath.replace(/\.idx$/, '.pack');
      if (!fs.existsSync(packPath)) continue;
      kept.push({ idxPath, packPath, data: null, index: null });
    }
    if (kept.length !== this.packs.length || kept.some((p, i) => p !== this.packs[i])) this.cache.clear();
    this.packs = kept;
  }

  close(): void {
    this.packs = [];
    this.cache.clear();
  }

  /** Offset of an object in a pack, or -1. */
  private findInPack(pack: Pack, oid: Buffer): number {
    return (pack.index ??= new PackIndex(pack.idxPath)).find(oid);
  }

  private loosePath(oid: string): string {
    return path.join(this.gitdir, 'objects', oid.slice(0, 2), oid.slice(2));
  }

  has(oid: string): boolean {
    if (!/^[0-9a-f]{40}$/.test(oid)) return false;
    const key = Buffer.from(oid, 'hex');
    for (const p of this.packs) if (this.findInPack(p, key) >= 0) return true;
    return fs.existsSync(this.loosePath(oid));
  }

  /**
   * An object's type, read from entry headers alone when the pack is not in memory yet: a ref is
   * checked to name a commit without reading the whole pack (a warm history reads nothing else).
   * A delta's type is its base's: the offset deltas are followed header by header (git
   * fast-import and pack-objects deltify commits too; at 10× reading the 34 MB pack for one
   * commit's type was a third of a warm `history`).
   */
  typeOf(oid: string): ObjectType {
    if (/^[0-9a-f]{40}$/.test(oid)) {
      const key = Buffer.from(oid, 'hex');
      for (const p of this.packs) {
        const off = this.findInPack(p, key);
        if (off < 0) continue;
        if (p.data) break;
        const type = typeFromHeaders(p.packPath, off);
        if (type) return type;
        break;
      }
    }
    return this.read(oid).type;
  }

  /** Reads an object; an error naming the oid when it is missing or corrupt. */
  read(oid: string): GitObject {
    if (!/^[0-9a-f]{40}$/.test(oid)) throw new AppError('repo', `invalid object id "${oid}"`, { oid });
    const key = Buffer.from(oid, 'hex');
    try {
      for (const p of this.packs) {
        const off = this.findInPack(p, key);
        if (off >= 0) return this.readPacked(p, off);
      }
      return this.readLoose(oid);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('repo', `object ${oid} in ${this.gitdir} is corrupt: ${(err as Error).message}`, { oid });
    }
  }

  private readLoose(oid: string): GitObject {
    let raw: Buffer;
    try {
      raw = zlib.inflateSync(fs.readFileSync(this.loosePath(oid)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new AppError('repo', `object ${oid} not found in ${this.gitdir}`, { oid });
      }
      throw err;
    }
    const nul = raw.indexOf(0);
    const [type] = raw.toString('latin1', 0, nul).split(' ');
    if (!['commit', 'tree', 'blob', 'tag'].includes(type)) throw new Error(`unknown loose object type "${type}"`);
    return { type: type as ObjectType, data: raw.subarray(nul + 1) };
  }

  /** Resolves the object at `offset`, following delta chains iteratively. */
  private readPacked(p: Pack, offset: number): GitObject {
    const chain: { key: string; delta: Buffer }[] = [];
    let base: GitObject | undefined;
    let at = offset;
    for (;;) {
      const key = `${p.idxPath}:${at}`;
      const cached = this.cache.get(key);
      if (cached) {
        base = cached;
        break;
      }
      const buf = (p.data ??= fs.readFileSync(p.packPath));
      const h = readEntryHeader(buf, at);
      if (h.type === OFS_DELTA) {
        chain.push({ key, delta: inflate(buf, h.dataAt, h.size) });
        at = h.baseOffset;
      } else if (h.type === REF_DELTA) {
        chain.push({ key, delta: inflate(buf, h.dataAt, h.size) });
        base = this.read(h.baseOid!);
        break;
      } else {
        const t = wholeType(h.type);
        if (!t) throw new Error(`unknown pack object type ${h.type} at offset ${at}`);
        base = { type: t, data: inflate(buf, h.dataAt, h.size) };
        this.cache.set(key, base);
        break;
      }
    }
    let obj = base;
    for (let k = chain.length - 1; k >= 0; k--) {
      obj = { type: obj.type, data: applyDelta(obj.data, chain[k].delta) };
      this.cache.set(chain[k].key, obj);
    }
    return obj;
  }

  /** Reads and parses a commit. */
  readCommit(oid: string): Commit {
    const o = this.read(oid);
    if (o.type !== 'commit') throw new AppError('repo', `${oid} is a ${o.type}, not a commit`, { oid });
    return parseCommit(oid, o.data);
  }

  /** Reads and parses a tree. */
  readTree(oid: string): TreeEntry[] {
    const o = this.read(oid);
    if (o.type !== 'tree') throw new AppError('repo', `${oid} is a ${o.type}, not a tree`, { oid });
    return parseTree(o.data);
  }
}
