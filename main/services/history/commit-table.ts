/**
 * The commit rows every stream of the history index shares:
 *   commits.jsonl   one JSON line per commit row
 *   commits.pos     per row: offset (8 bytes), length (4) and crc32 (4) of its line, row n at n*16
 *   commits.oid     per row: its commit id (20 bytes), for writers to find a commit's row
 *   commits.json    rows, the log's length, crc32s of the pos and oid files (sealed: `format.ts`)
 * Appended under the writer lock, the count written last: readers trust only what it records.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from '../../../shared/crc32';
import type { HistoryEntry } from '../../../shared/api/types';
import { writeFileAtomic } from '../../git/atomic-fs';
import { appendSync, checkSize, entryOf, FORMAT_VERSION, IndexDamage, readChecked, readSealed, sealJson, viewOf, wipeIndex, type ChangeRow, type CommitRow } from './format';
import { readRange } from '../../git/file-range';

const POS = 16;
const OID = 20;

interface TableHeader {
  version: number;
  rows: number;
  /** Bytes of commits.jsonl. */
  log: number;
  /** crc32 of commits.pos and commits.oid. */
  pos: number;
  oid: number;
  /** crc32 of commits.jsonl whole: a query that reads most of its lines checks it in one pass. */
  logSum: number;
}

const files = (dir: string) => ({ head: path.join(dir, 'commits.json'), log: path.join(dir, 'commits.jsonl'), pos: path.join(dir, 'commits.pos'), oid: path.join(dir, 'commits.oid') });
const EMPTY_TABLE: TableHeader = { version: FORMAT_VERSION, rows: 0, log: 0, pos: 0, oid: 0, logSum: 0 };

/**
 * The table's files checked against its header: sizes, the pos file whole, the oid file whole
 * unless `oids` is false (queries); with `full` every line of the log too (a
 * repair looking for what a query found). With `cut`, under the writer lock, bytes past what
 * the header records are cut off.
 */
function checkTable(dir: string, opts: { cut: boolean; full: boolean; oids?: boolean }): { head: TableHeader; pos: Buffer; oid: Buffer } {
  const f = files(dir);
  const head = readSealed<TableHeader>(f.head);
  if (!head || head.version !== FORMAT_VERSION) {
    // No table yet: nothing else may be there either (an older format's files, or damage).
    if (!head && !fs.existsSync(f.log) && !fs.existsSync(f.pos) && !fs.existsSync(f.oid)) return { head: EMPTY_TABLE, pos: Buffer.alloc(0), oid: Buffer.alloc(0) };
    throw new IndexDamage('table', f.head, head ? `format ${head.version}` : 'missing or does not match its checksum');
  }
  checkSize(f.log, head.log, 'table', opts.cut);
  checkSize(f.pos, head.rows * POS, 'table', opts.cut);
  checkSize(f.oid, head.rows * OID, 'table', opts.cut);
  const pos = readChecked(f.pos, head.rows * POS, head.pos, 'table');
  // Only writers read the oid file (a commit's row, when they append), and every writer checks
  // it whole first; a query's answer never depends on it, so a query checks its size only.
  const oid = opts.oids === false ? Buffer.alloc(0) : readChecked(f.oid, head.rows * OID, head.oid, 'table');
  if (opts.full && head.rows) {
    const log = readRange(f.log, 0, head.log);
    const view = viewOf(pos);
    for (let r = 0; r < head.rows; r++) checkedLine(log, view, r, 0, f.log);
    // The bytes between lines too: what a query's one-pass check reads.
    if (crc32(log) !== head.logSum) throw new IndexDamage('table', f.log, 'does not match its checksum');
  }
  return { head, pos, oid };
}

/** Where row `r`'s line starts in the log: two 32-bit halves (a BigInt per row cost a warm query more than its reads). */
const lineStart = (pos: DataView, r: number): number => pos.getUint32(r * POS) * 2 ** 32 + pos.getUint32(r * POS + 4);

/** Row `r`'s line out of `buf` (bytes of the log from offset `base`), checked against its crc32. */
function checkedLine(buf: Buffer, pos: DataView, r: number, base: number, file: string, verified = false): Buffer {
  const start = lineStart(pos, r) - base;
  const len = pos.getUint32(r * POS + 8);
  if (start < 0 || len === 0 || start + len > buf.length || (!verified && crc32(buf, 0, start, start + len) !== pos.getUint32(r * POS + 12))) throw new IndexDamage('table', file, `commit row ${r} does not match its checksum`);
  return buf.subarray(start, start + len);
}

function parseRow(line: Buffer, r: number, file: string): CommitRow {
  try {
    return JSON.parse(line.toString('utf8')) as CommitRow;
  } catch {
    throw new IndexDamage('table', file, `commit row ${r} is not JSON`);
  }
}

/** Commit rows for queries, each line checked as it is read. */
export class CommitLog {
  readonly rows: number;
  /** The pos file's records (`viewOf`). */
  private readonly pos: DataView;
  private readonly fd: number;
  private readonly file: string;
  private readonly head: TableHeader;
  /** Lines of one read joined into one JSON array, parsed in one call: one buffer used again. */
  private joined = Buffer.alloc(0);

  constructor(dir: string) {
    const t = checkTable(dir, { cut: false, full: false, oids: false });
    this.head = t.head;
    this.rows = t.head.rows;
    this.pos = viewOf(t.pos);
    this.file = files(dir).log;
    try {
      this.fd = fs.openSync(this.file, 'r');
    } catch {
      throw new IndexDamage('table', this.file, 'missing');
    }
  }

  /**
   * Rows by number, in the order asked, each line checked; with `verified`, rows this log's
   * `check` passed are read without checking again (the file is only ever appended to, and this
   * log reads through the descriptor it checked them through).
   */
  read(rows: readonly number[], verified = false): CommitRow[] {
    const out = new Array<CommitRow>(rows.length);
    this.readLines(rows, verified, (at, lines) => {
      const parsed = this.parseTogether(lines, at.map((k) => rows[k]));
      for (let i = 0; i < at.length; i++) out[at[i]] = parsed[i];
    });
    return out;
  }

  /**
   * Checks these rows' lines without parsing them: a query that writes its answer as it goes
   * checks everything first. Many lines (kernel's 3,000 of 31,000 at 10x) are checked as the
   * whole log in one pass, a few each by its own crc32: a line's check costs a call and a read
   * of its own, about what 2 kB of one long pass cost.
   */
  check(rows: readonly number[]): void {
    if (rows.length * WHOLE_LOG_PER_LINE < this.head.log) {
      this.readLines(rows, false, () => undefined);
      return;
    }
    this.inTable(rows);
    const buf = Buffer.allocUnsafe(Math.min(READ_AT_ONCE, this.head.log));
    let sum = 0;
    let at = 0;
    for (let n = 1; at < this.head.log && n > 0; at += n) {
      n = fs.readSync(this.fd, buf, 0, Math.min(buf.length, this.head.log - at), at);
      sum = crc32(buf, sum, 0, n);
    }
    if (at !== this.head.log || sum !== this.head.logSum) throw new IndexDamage('table', this.file, 'does not match its checksum');
  }

  /**
   * Reads the rows' lines, checked, and hands them to `take` a read at a time (`at`: their
   * places in `rows`). Rows near each other in the log are read together, a read at most
   * READ_AT_ONCE long into one buffer used again for each: memory a process touches for the
   * first time costs about 3 ms a megabyte on the VMs measured (a warm `history` at 10x read the
   * 4.5 MB log into fresh buffers, a fifth of its run).
   */
  private readLines(rows: readonly number[], verified: boolean, take: (at: number[], lines: Buffer[]) => void): void {
    const end = (r: number) => lineStart(this.pos, r) + this.pos.getUint32(r * POS + 8);
    this.inTable(rows);
    const order = rows.map((_, i) => i).sort((a, b) => rows[a] - rows[b]);
    // One buffer for every read: as long as a read can be, or the whole span when that is shorter.
    const span = order.length ? end(rows[order[order.length - 1]]) - lineStart(this.pos, rows[order[0]]) : 0;
    let buf = Buffer.allocUnsafe(Math.max(0, Math.min(READ_AT_ONCE, span)));
    for (let k = 0; k < order.length; ) {
      const from = lineStart(this.pos, rows[order[k]]);
      let to = end(rows[order[k]]);
      let j = k + 1;
      while (j < order.length && lineStart(this.pos, rows[order[j]]) - to <= READ_GAP && end(rows[order[j]]) - from <= READ_AT_ONCE) to = Math.max(to, end(rows[order[j++]]));
      // A line longer than a whole read (a commit message of megabytes) gets a buffer of its own.
      if (to - from > buf.length) buf = Buffer.allocUnsafe(to - from);
      const got = buf.subarray(0, fs.readSync(this.fd, buf, 0, Math.max(0, to - from), from));
      const at = order.slice(k, j);
      take(
        at,
        at.map((i) => checkedLine(got, this.pos, rows[i], from, this.file, verified)),
      );
      k = j;
    }
  }

  /** Rows a chain names that the table does not have: damage (the chain was written against another table). */
  private inTable(rows: readonly number[]): void {
    for (const r of rows) if (!(r < this.rows)) throw new IndexDamage('table', this.file, `commit row ${r} past the table's ${this.rows}`);
  }

  /** Lines parsed as one JSON array (a parse per line was most of a long history's reading); a line that is not JSON is named. */
  private parseTogether(lines: Buffer[], rows: number[]): CommitRow[] {
    let size = 2;
    for (const l of lines) size += l.length + 1;
    if (size > this.joined.length) this.joined = Buffer.allocUnsafe(Math.max(size, 2 * this.joined.length));
    const j = this.joined;
    let o = 0;
    j[o++] = 0x5b; // [
    lines.forEach((l, i) => {
      if (i) j[o++] = 0x2c; // ,
      o += l.copy(j, o);
    });
    j[o++] = 0x5d; // ]
    let parsed: unknown;
    try {
      parsed = JSON.parse(j.toString('utf8', 0, o));
    } catch {
      parsed = null;
    }
    // Lines that each check out but do not parse as one array (one is not JSON, or two make one): each on its own says which.
    if (!Array.isArray(parsed) || parsed.length !== lines.length) return lines.map((l, i) => parseRow(l, rows[i], this.file));
    return parsed as CommitRow[];
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Lines of the commit log at most this far apart are read together, up to this much at once. */
const READ_GAP = 16 * 1024;
const READ_AT_ONCE = 64 * 1024;
const WHOLE_LOG_PER_LINE = 2048;

/** Commit rows for a query's entries, by their chain positions, each read once. */
export class EntryReader {
  private readonly cache = new Map<number, CommitRow>();

  constructor(
    private readonly log: CommitLog,
    private readonly chain: DataView,
  ) {}

  /**
   * Reads the commit rows of all these entries at once: rows near each other in the log come in
   * one read (a history of hundreds of changes took a read per entry otherwise).
   */
  prefetch(rows: readonly ChangeRow[]): this {
    const wanted = [...new Set(rows.map((row) => this.chain.getUint32(row[0] * 4)))].filter((r) => !this.cache.has(r));
    this.log.read(wanted).forEach((c, i) => this.cache.set(wanted[i], c));
    return this;
  }

  entry(row: ChangeRow): HistoryEntry {
    const r = this.chain.getUint32(row[0] * 4);
    let c = this.cache.get(r);
    if (!c) this.cache.set(r, (c = this.log.read([r])[0]));
    return entryOf(c, row);
  }
}

/** The commit table for a writer (under the writer lock): checked at open, appended at `commit()`. */
export class CommitTable {
  rows: number;
  private head: TableHeader;
  private oids: Buffer;
  private byOid: Map<string, number> | null = null;
  private pending: { oid: string; line: Buffer }[] = [];

  /** With `full`, every line of the log is checked too. A table that does not check out is wiped, every stream with it. */
  constructor(
    private readonly dir: string,
    full = false,
  ) {
    let t;
    try {
      t = checkTable(dir, { cut: true, full });
    } catch (err) {
      if (!(err instanceof IndexDamage)) throw err;
      t = { head: EMPTY_TABLE, oid: Buffer.alloc(0) };
    }
    // A new table: whatever streams are there were written against another one.
    if (t.head === EMPTY_TABLE) wipeIndex(dir);
    this.head = t.head;
    this.rows = t.head.rows;
    this.oids = t.oid;
  }

  private load(): Map<string, number> {
    if (!this.byOid) {
      this.byOid = new Map();
      for (let r = 0; r < this.rows; r++) this.byOid.set(this.oids.toString('hex', r * OID, r * OID + OID), r);
    }
    return this.byOid;
  }

  oidOf(row: number): string | null {
    return row < this.rows ? this.oids.toString('hex', row * OID, row * OID + OID) : null;
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

  /** Writes the new rows (the files were cut back to the recorded ones at open), then the header. */
  async commit(): Promise<void> {
    if (!this.pending.length) return;
    const f = files(this.dir);
    const posBuf = Buffer.alloc(this.pending.length * POS);
    let at = this.head.log;
    this.pending.forEach((p, i) => {
      const len = p.line.length - 1;
      posBuf.writeBigUInt64BE(BigInt(at), i * POS);
      posBuf.writeUInt32BE(len, i * POS + 8);
      posBuf.writeUInt32BE(crc32(p.line.subarray(0, len)), i * POS + 12);
      at += p.line.length;
    });
    const oidBuf = Buffer.from(this.pending.map((p) => p.oid).join(''), 'hex');
    const lines = Buffer.concat(this.pending.map((p) => p.line));
    appendSync(f.log, lines);
    appendSync(f.pos, posBuf);
    appendSync(f.oid, oidBuf);
    this.rows += this.pending.length;
    this.oids = Buffer.concat([this.oids, oidBuf]);
    this.pending = [];
    // crc32 goes on from the sum of what came before: nothing is read again.
    this.head = { version: FORMAT_VERSION, rows: this.rows, log: at, pos: crc32(posBuf, this.head.pos), oid: crc32(oidBuf, this.head.oid), logSum: crc32(lines, this.head.logSum) };
    await writeFileAtomic(f.head, sealJson(this.head));
  }
}

/** Rows the commit table records (0 when it has none or does not check out: the streams' checks then fail). */
export function tableRows(dir: string): number {
  const head = readSealed<TableHeader>(files(dir).head);
  return head?.version === FORMAT_VERSION ? head.rows : 0;
}
