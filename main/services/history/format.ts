/**
 * The history index's files on disk (`<gitdir>/lockstep/history3/`): what a header records, and
 * the readers and writers of the shared commit table, a stream's chain and its package rows.
 * The layout is described in `history-index.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { HistoryCommit, HistoryEntry } from '../../../shared/api/types';
import { splitState, type PackageState } from '../../../shared/history/fold';
import { writeFileAtomic } from '../../git/atomic-fs';

/** 4: overrides read per file (3 read one text shared by several arches' files as the first one's). */
export const FORMAT_VERSION = 4;
/** [chain position, state (`evr.arch`, '' when absent), override type, override file] */
export type ChangeRow = [number, PackageState, string | null, string | null];
/** A package's state with the override that decided it. */
export type Mark = [PackageState, string | null, string | null];
/** [oid, date, author name, author email, message, merged [oid, subject][]] */
export type CommitRow = [string, string, string, string, string, [string, string][]];

export interface ArchHeader {
  /** package -> segments [offset, length] in `<key>.<arch>.rows`, oldest first. */
  dir: Record<string, [number, number][]>;
  rowsLength: number;
  /** The head's lock files for this arch (names and blob ids): equal keys, equal states. */
  finalKey: string;
  /** The head's state of every package the lockfile has. */
  final: Record<string, Mark>;
}

export interface StreamHeader {
  version: number;
  ref: string;
  head: string;
  chainLength: number;
  /** Commit rows the shared table had when this header was written. */
  commitRows: number;
  arches: Record<string, ArchHeader>;
  /** binary -> source package, newest mapping seen. */
  sources: Record<string, string>;
}

/** Lines of the commit log at most this far apart are read together, up to this much at once. */
export const SUMMARY_GAP = 16 * 1024;
export const SUMMARY_READ = 4 * 1024 * 1024;

export function summaryOf([commit, date, author, , message, merged]: CommitRow): HistoryCommit {
  const nl = message.indexOf('\n');
  const c: HistoryCommit = { commit, date, subject: nl < 0 ? message : message.slice(0, nl), author };
  if (merged.length) c.merged = merged.map(([m, subject]) => ({ commit: m, subject }));
  return c;
}


export function entryOf([commit, date, name, email, message, merged]: CommitRow, [, state, override, file]: ChangeRow): HistoryEntry {
  const { evr, arch } = splitState(state);
  const nl = message.indexOf('\n');
  const e: HistoryEntry = { commit, date, evr, arch, subject: nl < 0 ? message : message.slice(0, nl), author: { name, email }, message };
  if (merged.length) e.merged = merged.map(([c, subject]) => ({ commit: c, subject }));
  if (override && file) e.override = { type: override, file };
  return e;
}

// ---------------------------------------------------------------------------------------------
// Files

export function readRange(file: string, offset: number, length: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(length);
    const n = fs.readSync(fd, buf, 0, length, offset);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

export function readChain(file: string, length: number): Uint32Array {
  const buf = readRange(file, 0, length * 4);
  const out = new Uint32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readUInt32BE(i * 4);
  return out;
}

export function appendSync(file: string, data: Buffer): void {
  if (data.length === 0 && fs.existsSync(file)) return;
  const fd = fs.openSync(file, 'a');
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Commit rows for a query's entries: a row's offset, then its line, read one by one. */
export class EntryReader {
  private readonly chain: Buffer;
  private readonly pos: number;
  private readonly log: number;
  private readonly cache = new Map<number, CommitRow>();

  constructor(dir: string, key: string, h: StreamHeader) {
    this.chain = readRange(path.join(dir, `${key}.chain`), 0, h.chainLength * 4);
    this.pos = fs.openSync(path.join(dir, 'commits.pos'), 'r');
    this.log = fs.openSync(path.join(dir, 'commits.jsonl'), 'r');
  }

  entry(row: ChangeRow): HistoryEntry {
    const r = this.chain.readUInt32BE(row[0] * 4);
    let c = this.cache.get(r);
    if (!c) {
      const b = Buffer.allocUnsafe(16);
      const n = fs.readSync(this.pos, b, 0, 16, r * 8);
      const start = Number(b.readBigUInt64BE(0));
      // A row ends where the next one starts; the last one at the end of the log.
      const end = n === 16 ? Number(b.readBigUInt64BE(8)) : fs.fstatSync(this.log).size;
      const line = Buffer.allocUnsafe(end - start);
      fs.readSync(this.log, line, 0, line.length, start);
      c = JSON.parse(line.toString('utf8')) as CommitRow;
      this.cache.set(r, c);
    }
    return entryOf(c, row);
  }

  close(): void {
    fs.closeSync(this.pos);
    fs.closeSync(this.log);
  }
}

/** The commit rows every stream shares; appended under the writer lock. */
export class CommitTable {
  rows: number;
  private oids: Buffer | null = null;
  private byOid: Map<string, number> | null = null;
  private pending: { oid: string; line: Buffer }[] = [];

  constructor(private readonly dir: string) {
    let rows = 0;
    try {
      rows = (JSON.parse(fs.readFileSync(path.join(dir, 'commits.json'), 'utf8')) as { rows: number }).rows;
    } catch {
      rows = 0;
    }
    this.rows = rows;
  }

  private load(): Map<string, number> {
    if (!this.byOid) {
      this.oids = this.rows ? readRange(path.join(this.dir, 'commits.oid'), 0, this.rows * 20) : Buffer.alloc(0);
      this.rows = Math.floor(this.oids.length / 20);
      this.byOid = new Map();
      for (let r = 0; r < this.rows; r++) this.byOid.set(this.oids.toString('hex', r * 20, r * 20 + 20), r);
    }
    return this.byOid;
  }

  oidOf(row: number): string | null {
    this.load();
    return row < this.rows ? this.oids!.toString('hex', row * 20, row * 20 + 20) : null;
  }

  /** Row numbers of these commits, adding the ones not in the table yet. */
  append(commits: CommitRow[]): number[] {
    const map = this.load();
    return commits.map((c) => {
      const have = map.get(c[0]);
      if (have !== undefined) return have;
      const r = this.rows + this.pending.length;
      this.pending.push({ oid: c[0], line: Buffer.from(`${JSON.stringify(c)}\n`) });
      map.set(c[0], r);
      return r;
    });
  }

  /** Writes the new rows (cutting whatever a crash left past the recorded count), then the count. */
  async commit(): Promise<void> {
    if (!this.pending.length) return;
    const files = ['jsonl', 'pos', 'oid'].map((x) => path.join(this.dir, `commits.${x}`));
    const [log, pos, oid] = files;
    const posSize = this.rows * 8;
    for (const [f, len] of [
      [pos, posSize],
      [oid, this.rows * 20],
    ] as const) {
      if (fs.existsSync(f) && fs.statSync(f).size > len) fs.truncateSync(f, len);
    }
    let logEnd = 0;
    if (this.rows > 0) {
      // The end of the last recorded row: the log is cut there.
      const last = readRange(pos, (this.rows - 1) * 8, 8);
      const start = Number(last.readBigUInt64BE(0));
      const fd = fs.openSync(log, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        const tail = Buffer.allocUnsafe(Math.min(size - start, 1 << 20));
        const n = fs.readSync(fd, tail, 0, tail.length, start);
        let nl = tail.subarray(0, n).indexOf(10);
        if (nl < 0) {
          // A row longer than 1 MB: read the file.
          nl = fs.readFileSync(log).indexOf(10, start) - start;
        }
        logEnd = start + nl + 1;
      } finally {
        fs.closeSync(fd);
      }
    }
    if (fs.existsSync(log) && fs.statSync(log).size > logEnd) fs.truncateSync(log, logEnd);
    const posBuf = Buffer.alloc(this.pending.length * 8);
    let at = logEnd;
    this.pending.forEach((p, i) => {
      posBuf.writeBigUInt64BE(BigInt(at), i * 8);
      at += p.line.length;
    });
    appendSync(log, Buffer.concat(this.pending.map((p) => p.line)));
    appendSync(pos, posBuf);
    appendSync(oid, Buffer.from(this.pending.map((p) => p.oid).join(''), 'hex'));
    this.rows += this.pending.length;
    this.pending = [];
    await writeFileAtomic(path.join(this.dir, 'commits.json'), JSON.stringify({ rows: this.rows }));
  }
}