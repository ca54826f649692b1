/**
 * The history index's files on disk (`<gitdir>/lockstep/history3/`): what a stream's header
 * records, how each file is checked, and the readers of a stream's chain and package rows. The
 * layout is described in `history-index.ts`, the shared commit table is `commit-table.ts`.
 *
 * Every file is checked before it is used (SPEC §6): small files whole, by a crc32 their header
 * records (headers carry their own in front); the two large appended ones (the commit log and
 * the package rows) one record at a time as a query reads it, each record with its own crc32,
 * or the commit log whole in one pass when a query reads much of it (`commit-table.ts`).
 * The crc32 is `checksum.ts`: zlib's own for long ranges, `shared/crc32.ts` for short ones.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from './checksum';
import type { HistoryCommit, HistoryEntry } from '../../../shared/api/types';
import { AppError } from '../../../shared/errors';
import { splitState, type PackageState } from '../../../shared/history/fold';
import { readRange } from '../../git/file-range';

/**
 * 7: the commit log's crc32 whole in the table's header; 6: stream files named by crc32s of the
 * ref (`streamKey`), not by its SHA-1, and a stream's header a core and sections
 * (`stream-header.ts`); 5: every file checked (crc32s in headers and records, commit rows with
 * their length); 4: overrides read per file (3 read one text shared by several arches' files as
 * the first one's).
 */
export const FORMAT_VERSION = 7;
/** [chain position, state (`evr.arch`, '' when absent), override type, override file] */
export type ChangeRow = [number, PackageState, string | null, string | null];
/** A package's state with the override that decided it. */
export type Mark = [PackageState, string | null, string | null];
/** [oid, date, author name, author email, message, merged [oid, subject][]] */
export type CommitRow = [string, string, string, string, string, [string, string][]];
/** [arch, chain position, commit, file, blob id, why]: lock files of a commit that could not be read for that arch. */
export type Unreadable = [string, number, string, string, string, string];

export interface ArchHeader {
  /** package -> segments [offset, length] in `<key>.<arch>.rows`, oldest first: crc32 (8 hex digits), then JSON. */
  dir: Record<string, [number, number][]>;
  rowsLength: number;
  /** The head's lock files for this arch (names and blob ids): equal keys, equal states. */
  finalKey: string;
  /** The head's state of every package the lockfile has. */
  final: Record<string, Mark>;
}

/** What a stream's header says of its chain, whole or as a query reads it (`stream-header.ts`). */
export interface StreamChainHeader {
  version: number;
  ref: string;
  head: string;
  chainLength: number;
  /** crc32 of `<key>.chain`. */
  chainSum: number;
  /** Commit rows the shared table had when this header was written. */
  commitRows: number;
  /** Commits whose lock files could not be read (malformed): reported, their states carried over. */
  unreadable: Unreadable[];
}

export interface StreamHeader extends StreamChainHeader {
  arches: Record<string, ArchHeader>;
  /** binary -> source package, newest mapping seen. */
  sources: Record<string, string>;
}

// Rows are read by index, not destructured: a short process runs these unoptimised, where each
// destructuring walks an iterator, an object per element (thousands of entries a warm query).

export function summaryOf(c: CommitRow): HistoryCommit {
  const message = c[4];
  const nl = message.indexOf('\n');
  const s: HistoryCommit = { commit: c[0], date: c[1], subject: nl < 0 ? message : message.slice(0, nl), author: c[2] };
  if (c[5].length) s.merged = c[5].map((m) => ({ commit: m[0], subject: m[1] }));
  return s;
}

export function entryOf(c: CommitRow, row: ChangeRow): HistoryEntry {
  const { evr, arch } = splitState(row[1]);
  const message = c[4];
  const nl = message.indexOf('\n');
  const e: HistoryEntry = { commit: c[0], date: c[1], evr, arch, subject: nl < 0 ? message : message.slice(0, nl), author: { name: c[2], email: c[3] }, message };
  if (c[5].length) e.merged = c[5].map((m) => ({ commit: m[0], subject: m[1] }));
  if (row[2] && row[3]) e.override = { type: row[2], file: row[3] };
  return e;
}

/**
 * A stream whose head cannot be read for the arch (its lockfile or overrides, as the head has
 * them, are malformed) is bad input, as for every other command reading the head (exit 2,
 * naming the file and commit); only a malformed file in the past is left out with a report.
 * `headKey`: the head's lock files for the arch (`archKey`).
 */
export function refuseUnreadableHead(unreadable: readonly Unreadable[], headKey: string): void {
  const files = new Set(headKey.split('\n').map((l) => l.replace(/!$/, '')));
  for (const [arch, , commit, file, blob, why] of unreadable) if (files.has(`${file}=${blob}`)) throw new AppError('bad-file', why, { file, commit, arch });
}

// ---------------------------------------------------------------------------------------------
// Checks

/**
 * A file of the index that does not check out. `table`: the commit table every stream shares
 * (the whole index is rebuilt); `stream`: one stream's files (that stream is rebuilt).
 */
export class IndexDamage extends Error {
  constructor(
    readonly scope: 'table' | 'stream',
    readonly file: string,
    why: string,
  ) {
    super(`${path.basename(file)}: ${why}`);
  }
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');
const HEX8 = /^[0-9a-f]{8}$/;

/** A small JSON file as written: its crc32 in 8 hex digits, a space, the JSON. */
export function sealJson(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value));
  return Buffer.concat([Buffer.from(`${hex8(crc32(body))} `), body]);
}

/** A sealed JSON file's value; null when it is absent or does not check out. */
export function readSealed<T>(file: string): T | null {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return null;
  }
  return unseal<T>(buf);
}

/** The value of sealed JSON bytes; null when they do not check out. */
export function unseal<T>(buf: Buffer): T | null {
  const sum = buf.toString('latin1', 0, 8);
  if (buf.length < 10 || buf[8] !== 32 || !HEX8.test(sum) || crc32(buf, 0, 9) !== parseInt(sum, 16)) return null;
  try {
    return JSON.parse(buf.toString('utf8', 9)) as T;
  } catch {
    return null;
  }
}

/** A package's rows as one segment of `<key>.<arch>.rows`: crc32 (of the JSON, seeded by the name) then JSON, then a newline. */
export function segmentOf(name: string, rows: ChangeRow[]): Buffer {
  const body = Buffer.from(JSON.stringify(rows));
  return Buffer.concat([Buffer.from(hex8(crc32(body, crc32(name)))), body, Buffer.from('\n')]);
}

/** The rows of a segment (without its newline), checked. */
export function rowsOfSegment(seg: Buffer, name: string, file: string): ChangeRow[] {
  const sum = seg.toString('latin1', 0, 8);
  if (seg.length < 10 || !HEX8.test(sum) || crc32(seg.subarray(8), crc32(name)) !== parseInt(sum, 16)) throw new IndexDamage('stream', file, `the rows of ${name} do not match their checksum`);
  try {
    return JSON.parse(seg.toString('utf8', 8)) as ChangeRow[];
  } catch {
    throw new IndexDamage('stream', file, `the rows of ${name} are not JSON`);
  }
}

/**
 * A file's size against what its header records. Longer: bytes a crash (or anything else) left
 * past it; under the writer lock (`cut`) they are cut off, else the caller waits for the lock
 * and checks again (a writer may be appending). Shorter or absent: damaged.
 */
export function checkSize(file: string, expected: number, scope: IndexDamage['scope'], cut: boolean): void {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    if (expected === 0) return;
    throw new IndexDamage(scope, file, 'missing');
  }
  if (size === expected) return;
  if (size > expected && cut) fs.truncateSync(file, expected);
  else throw new IndexDamage(scope, file, `${size} bytes where ${expected} were written`);
}

/** A file's first `length` bytes, checked against a crc32. */
export function readChecked(file: string, length: number, sum: number, scope: IndexDamage['scope']): Buffer {
  let buf: Buffer;
  try {
    buf = length ? readRange(file, 0, length) : Buffer.alloc(0);
  } catch {
    throw new IndexDamage(scope, file, 'unreadable');
  }
  if (buf.length !== length || crc32(buf) !== sum) throw new IndexDamage(scope, file, 'does not match its checksum');
  return buf;
}

/**
 * A stream's files checked against its header (`table`: rows in the commit table): sizes, the
 * chain's crc32, and with `full` every package's rows. Returns the chain.
 */
export function checkStream(
  dir: string,
  key: string,
  h: Pick<StreamHeader, 'commitRows' | 'chainLength' | 'chainSum'> & { arches: Record<string, { rowsLength: number; dir?: ArchHeader['dir'] }> },
  tableRows: number,
  opts: { cut: boolean; full: boolean },
): Buffer {
  const chainFile = path.join(dir, `${key}.chain`);
  if (h.commitRows > tableRows) throw new IndexDamage('stream', chainFile, `written against ${h.commitRows} commit rows, the table has ${tableRows}`);
  checkSize(chainFile, h.chainLength * 4, 'stream', opts.cut);
  const chain = readChecked(chainFile, h.chainLength * 4, h.chainSum, 'stream');
  for (const [arch, a] of Object.entries(h.arches)) {
    const file = path.join(dir, `${key}.${arch}.rows`);
    checkSize(file, a.rowsLength, 'stream', opts.cut);
    if (!opts.full) continue;
    if (!a.dir) throw new Error(`checkStream: a full check of ${file} needs the whole header`);
    const text = readRange(file, 0, a.rowsLength);
    for (const [name, segs] of Object.entries(a.dir)) for (const [off, len] of segs) rowsOfSegment(text.subarray(off, off + len), name, file);
  }
  return chain;
}

/** Every file of the index folder but the writer's lock: a commit table that does not check out takes every stream with it. */
export function wipeIndex(dir: string): void {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) if (n !== '.lock') fs.rmSync(path.join(dir, n), { force: true });
}

// ---------------------------------------------------------------------------------------------
// Files

/**
 * The name a stream's files start with: two crc32s of the ref's bytes (forward and reversed) and
 * its length, not a digest (loading Node's crypto took 4-6 ms of every query). Each header names
 * its ref, so two refs that shared a name would rebuild each other's files, never read them.
 */
export function streamKey(ref: string): string {
  const bytes = Buffer.from(ref);
  const forward = hex8(crc32(bytes));
  return `${forward}${hex8(crc32(bytes.reverse()))}${(bytes.length & 0xffff).toString(16).padStart(4, '0')}`;
}

/** The indexed head of a stream, from its small head file: exactly `<oid>\n`, else null. */
export function indexedHead(dir: string, ref: string): string | null {
  try {
    const text = fs.readFileSync(path.join(dir, `${streamKey(ref)}.head`), 'latin1');
    return /^[0-9a-f]{40}\n$/.test(text) ? text.slice(0, 40) : null;
  } catch {
    return null;
  }
}

/** Every file of one stream. */
export function dropStream(dir: string, key: string): void {
  for (const f of fs.readdirSync(dir).filter((n) => n.startsWith(`${key}.`))) fs.rmSync(path.join(dir, f), { force: true });
}


/**
 * A file's bytes for big-endian reads of its 32-bit numbers (the chain, the commit table's
 * positions). Buffer's readUInt32BE checks its offset through a wrapper that allocates its
 * arguments, and a warm `history` at 10x made some 50,000 such reads; DataView's are V8's
 * own: about a third of the time, and no garbage.
 */
export const viewOf = (b: Buffer): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** A chain's positions -> commit rows, from its bytes. */
export function chainRows(buf: Buffer): Uint32Array {
  const view = viewOf(buf);
  const out = new Uint32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(i * 4);
  return out;
}

/**
 * Appends `data` whole: a write may put fewer bytes than asked (a disk filling up), so it goes
 * on until all are written or one fails; the failure names the file (a descriptor's write error
 * carries no path), so "disk full at PATH" can.
 */
export function appendSync(file: string, data: Buffer): void {
  if (data.length === 0 && fs.existsSync(file)) return;
  const fd = fs.openSync(file, 'a');
  try {
    for (let at = 0; at < data.length; ) at += fs.writeSync(fd, data, at, data.length - at);
    fs.fsyncSync(fd);
  } catch (err) {
    if (err && typeof err === 'object' && !('path' in err)) Object.assign(err, { path: file });
    throw err;
  } finally {
    fs.closeSync(fd);
  }
}
