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
import { crc32 } from './checksum';
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
    for (let r = 0; r < head.rows; r++) checkLine(log, view, r, f.log);
    // The bytes between lines too: what a query's one-pass check reads.
    if (crc32(log) !== head.logSum) throw new IndexDamage('table', f.log, 'does not match its checksum');
  }
  return { head, pos, oid };
}

/** Where row `r`'s line starts in the log: two 32-bit halves (a BigInt per row cost a warm query more than its reads). */
const lineStart = (pos: DataView, r: number): number => pos.getUint32(r * POS) * 2 ** 32 + pos.getUint32(r * POS + 4);

/** Row `r`'s line in the whole log `log` against its length and crc32. */
function checkLine(log: Buffer, pos: DataView, r: number, file: string): void {
  const start = lineStart(pos, r);
  const len = pos.getUint32(r * POS + 8);
  if (len === 0 || start + len > log.length || crc32(log, 0, start, start + len) !== pos.getUint32(r * POS + 12)) throw new IndexDamage('table', file, `commit row ${r} does not match its checksum`);
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
  /**
   * One buffer for every read: the lines kept so far, joined into a JSON array, at its front,
   * and the bytes of the read under way right behind them. Each kept line moves forward within
   * it (copyWithin), so a line costs no object of its own (a warm `history` at 10x reads 3,000
   * lines). Memory a process touches for the first time costs about 3 ms a megabyte on the VMs
   * measured: the buffer is used again for every read, and grows only for a longer one.
   */
  private work = Buffer.alloc(0);
  /** End of the bytes the last read got, in `work`. */
  private got = 0;

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
   * log reads through the descriptor it checked them through). The lines are parsed as one JSON
   * array (a parse per line was most of a long history's reading), JOIN_AT_ONCE bytes at most.
   */
  read(rows: readonly number[], verified = false): CommitRow[] {
    const out = new Array<CommitRow>(rows.length);
    const order = this.byRow(rows);
    const pos = this.pos;
    let first = 0;
    let o = 1;
    let lines = 0;
    this.eachRead(rows, order, () => o, (at, from, k, j) => {
      const w = this.work;
      for (let q = k; q < j; q++) {
        const r = rows[order[q]];
        if (q > 0 && r === rows[order[q - 1]]) continue; // asked twice: read once (parseJoined hands it on)
        const start = at + lineStart(pos, r) - from;
        const len = pos.getUint32(r * POS + 8);
        if (!verified) this.checkAt(start, r);
        w.copyWithin(o, start, start + len);
        o += len;
        w[o++] = 0x2c; // ,
        lines++;
      }
      if (o < JOIN_AT_ONCE && j < order.length) return;
      this.parseJoined(rows, order, first, j, o, lines, out);
      first = j;
      o = 1;
      lines = 0;
    });
    return out;
  }

  /**
   * Checks these rows' lines without parsing them: a query that writes its answer as it goes
   * checks everything first. Many lines (kernel's 3,000 of 31,000 at 10x) are checked as the
   * whole log in one pass, a few each by its own crc32: a line's check costs a few calls, about
   * what 2 kB of one long pass cost.
   */
  check(rows: readonly number[]): void {
    if (rows.length * WHOLE_LOG_PER_LINE < this.head.log) {
      const order = this.byRow(rows);
      this.eachRead(rows, order, () => 0, (at, from, k, j) => {
        for (let q = k; q < j; q++) this.checkAt(at + lineStart(this.pos, rows[order[q]]) - from, rows[order[q]]);
      });
      return;
    }
    this.inTable(rows);
    this.fit(Math.min(READ_AT_ONCE, this.head.log));
    let sum = 0;
    let at = 0;
    for (let n = 1; at < this.head.log && n > 0; at += n) {
      n = fs.readSync(this.fd, this.work, 0, Math.min(this.work.length, this.head.log - at), at);
      sum = crc32(this.work, sum, 0, n);
    }
    if (at !== this.head.log || sum !== this.head.logSum) throw new IndexDamage('table', this.file, 'does not match its checksum');
  }

  /** Indices of `rows` by row, the order of their lines in the log. */
  private byRow(rows: readonly number[]): number[] {
    this.inTable(rows);
    return rows.map((_, i) => i).sort((a, b) => rows[a] - rows[b]);
  }

  /** Rows a chain names that the table does not have: damage (the chain was written against another table). */
  private inTable(rows: readonly number[]): void {
    // Indexed, not for..of: an iterator step per row costs a short process's unoptimised code.
    for (let i = 0; i < rows.length; i++) if (!(rows[i] < this.rows)) throw new IndexDamage('table', this.file, `commit row ${rows[i]} past the table's ${this.rows}`);
  }

  /** `work` at least `n` bytes long, its first `keep` bytes kept. */
  private fit(n: number, keep = 0): void {
    if (n <= this.work.length) return;
    const grown = Buffer.allocUnsafe(Math.max(n, 2 * this.work.length));
    this.work.copy(grown, 0, 0, keep);
    this.work = grown;
  }

  /**
   * Reads the lines of `order`'s rows, lines near each other in the log together (READ_AT_ONCE
   * at most, or one longer line: a commit message of megabytes), each read into `work` at
   * `where()`; `take` gets where its bytes are, the log offset they start at, and its rows as
   * `order[k..j)`.
   */
  private eachRead(rows: readonly number[], order: number[], where: () => number, take: (at: number, from: number, k: number, j: number) => void): void {
    const pos = this.pos;
    for (let k = 0; k < order.length; ) {
      const from = lineStart(pos, rows[order[k]]);
      let to = from + pos.getUint32(rows[order[k]] * POS + 8);
      let j = k + 1;
      for (; j < order.length; j++) {
        const s = lineStart(pos, rows[order[j]]);
        const e = s + pos.getUint32(rows[order[j]] * POS + 8);
        if (s - to > READ_GAP || e - from > READ_AT_ONCE) break;
        if (e > to) to = e;
      }
      const at = where();
      // One byte more: the comma (or closing bracket) that follows the last line.
      this.fit(at + to - from + 1, at);
      this.got = at + fs.readSync(this.fd, this.work, at, to - from, from);
      take(at, from, k, j);
      k = j;
    }
  }

  /** Row `r`'s line at `start` in `work` against its length and crc32; past what the last read got is damage (a log shorter than its header says). */
  private checkAt(start: number, r: number): void {
    const len = this.pos.getUint32(r * POS + 8);
    if (len === 0 || start + len > this.got || crc32(this.work, 0, start, start + len) !== this.pos.getUint32(r * POS + 12)) {
      throw new IndexDamage('table', this.file, `commit row ${r} does not match its checksum`);
    }
  }

  /** Parses the `lines` lines of `order[k..j)` joined in `work[0..o)` (a comma after each, a row asked twice once) into their places in `out`. */
  private parseJoined(rows: readonly number[], order: number[], k: number, j: number, o: number, lines: number, out: CommitRow[]): void {
    const w = this.work;
    w[0] = 0x5b; // [
    w[o - 1] = 0x5d; // ], for the last comma
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(w.toString('utf8', 0, o));
    } catch {
      // parseEach names the line.
    }
    if (!Array.isArray(parsed) || parsed.length !== lines) return this.parseEach(rows, order, k, j, out);
    for (let q = k, p = 0; q < j; q++) out[order[q]] = q > 0 && rows[order[q]] === rows[order[q - 1]] ? out[order[q - 1]] : (parsed[p++] as CommitRow);
  }

  /**
   * Lines that each check out but do not parse as one array (one is not JSON, or is two values
   * that would pass for two rows): each parsed on its own, so the one at fault is named. Apart
   * from parseJoined, whose loop stays small: it runs for every line, and V8 compiles it while
   * a long query runs (a process exits only once such a compile is done).
   */
  private parseEach(rows: readonly number[], order: number[], k: number, j: number, out: CommitRow[]): void {
    for (let q = k, s = 1; q < j; q++) {
      const r = rows[order[q]];
      if (q > 0 && r === rows[order[q - 1]]) {
        out[order[q]] = out[order[q - 1]];
        continue;
      }
      const len = this.pos.getUint32(r * POS + 8);
      out[order[q]] = parseRow(this.work.subarray(s, s + len), r, this.file);
      s += len + 1;
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/**
 * Lines of the commit log at most this far apart are read together, up to this much at once;
 * lines are parsed this much at a time: a string of over 64k characters (a non-ASCII name
 * makes it two bytes a character) is a large object, in memory of its own each time.
 */
const READ_GAP = 16 * 1024;
const READ_AT_ONCE = 64 * 1024;
const JOIN_AT_ONCE = 32 * 1024;
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
