/**
 * The history index: every change of every package's effective (evr, arch) along a stream's
 * first-parent chain, for every arch at once, with each commit's date, author and rationale.
 *
 * Built once per commit: one walk per stream reads each commit's root tree once and parses
 * only the lock files that changed, each blob once, for all arches together, and a lockfile
 * from its version before when it can (`lock-delta.ts`: only the entries that differ); a stream whose
 * chain reaches a commit another stream has indexed copies that stream's rows up to there
 * instead of reading the commits again. Effective versions come from
 * `shared/lockfile/effective.ts`, as everywhere else.
 *
 * On disk (`<gitdir>/lockstep/history3/`), read lazily, extended by appending:
 *   commits.jsonl / .pos / .oid   commit rows shared by all streams: one JSON line each, its
 *                                 offset (8 bytes) and its id (20 bytes), row n at n*8 / n*20
 *   <key>.head                    the stream's indexed head: checked without parsing anything
 *   <key>.json                    header: per arch the package -> [offset, length] segments
 *                                 of its rows, the head's states (to extend), sources
 *   <key>.chain                   chain position -> commit row (4 bytes each)
 *   <key>.<arch>.rows             each package's rows, as appended JSON segments
 * Appends are made first and the header replaced atomically after, so a reader (or a writer
 * after a crash) trusts only what a header records; a writer cuts the files back to that.
 * The walk itself is `walk.ts`, the files' readers and writers `format.ts`.
 */
import { copyRecord, nameRecord, own as ownKey } from '../../../shared/records';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { HistoryCommit, HistoryEntry } from '../../../shared/api/types';
import type { PackageState } from '../../../shared/history/fold';
import { AppError } from '../../../shared/errors';
import { writeFileAtomic } from '../../git/atomic-fs';
import { firstParentChain } from '../../git/first-parent';
import type { Commit } from '../../git/objects/parse';
import type { ConfigRepo } from '../review/config-repo';
import { appendSync, CommitTable, EntryReader, FORMAT_VERSION, readChain, readRange, summaryOf, SUMMARY_GAP, SUMMARY_READ, type ChangeRow, type CommitRow, type Mark, type StreamHeader } from './format';
import { segmentsInWorker } from './split';
import { archKey, commitFiles, commitRow, entryState, joinSegments, locksOf, newBuilding, overridesOf, primeAt, walkCommits, walkOnePackage, type Building, type SegmentRunner } from './walk';

export type { HistoryEntry };

/** A change of a lane (`laneChanges`): at a chain position, its commit's row in the commit table. */
export interface LaneChange {
  at: number;
  commit: number;
  name: string;
  state: PackageState;
  override: { type: string; file: string } | null;
}

/** New commits looked through for the indexed head before the full search (a rewritten stream, or a long absence). */
const EXTEND_SEARCH_LIMIT = 20_000;
/** The older half's share of a split walk's commits (`walkNew`). */
const OLDER_SHARE = 0.4;

export interface HistoryOptions {
  /** Read and write the on-disk index (default true). false: walk the history for one query. */
  cache?: boolean;
  onProgress?: (p: { phase: string; loaded: number; total: number }) => void;
  /**
   * Who builds a missing or stale index. The app passes the history worker here, so its main
   * thread waits for the worker instead of building the same index a second time.
   */
  build?: (ref: string) => Promise<void>;
  /**
   * A walk of at least `minCommits` new commits is split in two: its older half walked by
   * `run` (a helper thread: `split.ts`) while this thread walks the newer half. By
   * default on when the bundled worker is there; false never splits.
   */
  segments?: SegmentRunner | false;
}

const checkArch = (arch: string) => {
  if (!/^[A-Za-z0-9_]+$/.test(arch)) throw new AppError('bad-input', `invalid arch "${arch}": expected a name like x86_64`, { arch });
};

export class HistoryIndex {
  /** Commits walked by the last build (for tests of incremental updates). */
  lastBuildCommits = 0;
  private readonly headers = new Map<string, StreamHeader>();

  constructor(
    private readonly repo: ConfigRepo,
    private readonly opts: HistoryOptions = {},
  ) {}

  private get dir(): string {
    return path.join(this.repo.gitdir, 'lockstep', 'history3');
  }

  private keyOf(ref: string): string {
    return crypto.createHash('sha1').update(ref).digest('hex').slice(0, 20);
  }

  private file(name: string): string {
    return path.join(this.dir, name);
  }

  /** The indexed head of a stream, read from its small head file. */
  private indexedHead(ref: string): string | null {
    try {
      return fs.readFileSync(this.file(`${this.keyOf(ref)}.head`), 'latin1').trim();
    } catch {
      return null;
    }
  }

  private readHeader(ref: string): StreamHeader | null {
    try {
      const h = JSON.parse(fs.readFileSync(this.file(`${this.keyOf(ref)}.json`), 'utf8')) as StreamHeader;
      return h.version === FORMAT_VERSION && h.ref === ref ? h : null;
    } catch {
      return null;
    }
  }

  /** The header of an index whose head is `ref`'s current commit: built or extended first when needed. */
  private async current(ref: string): Promise<StreamHeader> {
    const { oid: head } = await this.repo.resolve(ref);
    const memo = this.headers.get(ref);
    if (memo?.head === head) return memo;
    if (this.indexedHead(ref) !== head) {
      if (this.opts.build) await this.opts.build(ref);
      else await this.update(ref);
    }
    let h = this.indexedHead(ref) === head ? this.readHeader(ref) : null;
    if (!h || h.head !== head) {
      // The builder could not (a lock held too long, a ref it does not know): build here.
      await this.update(ref);
      h = this.readHeader(ref);
    }
    if (!h || h.head !== head) throw new AppError('internal', `the history index of ${ref} could not be written in ${this.dir}; check that the folder is writable`, { ref });
    this.headers.set(ref, h);
    return h;
  }

  // -------------------------------------------------------------------------------------------
  // Building

  /** Builds or extends the on-disk index of `ref` (every arch) up to its current commit. */
  async update(ref: string): Promise<void> {
    const { oid: head } = await this.repo.resolve(ref);
    if (this.indexedHead(ref) === head && this.readHeader(ref)?.head === head) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const release = await this.lock();
    try {
      await this.updateLocked(ref, head);
    } finally {
      release();
    }
  }

  /** One writer at a time across processes (the app's worker, a CLI): a lock folder. */
  private async lock(): Promise<() => void> {
    const lockDir = this.file('.lock');
    for (let waited = 0; ; waited += 100) {
      try {
        fs.mkdirSync(lockDir);
        return () => fs.rmSync(lockDir, { recursive: true, force: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      // A writer killed mid-build leaves its lock: builds take seconds, so a minute is stale.
      try {
        if (Date.now() - fs.statSync(lockDir).mtimeMs > 60_000) fs.rmSync(lockDir, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      if (waited > 120_000) throw new AppError('io', `the history index in ${this.dir} stays locked by another Lockstep; try again when it is done`, { file: lockDir });
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async updateLocked(ref: string, head: string): Promise<void> {
    const key = this.keyOf(ref);
    const table = new CommitTable(this.dir);
    const old = this.readHeader(ref);
    // Extend when the indexed head is on the new head's first-parent chain.
    let base: StreamHeader | null = null;
    let baseChain: Uint32Array | null = null;
    let stopOids = new Map<string, { ref: string; pos: number }>();
    // After a fetch the indexed head is usually a few commits down the new head's chain: look
    // for it alone first. Mapping every other stream's chain costs what the whole history
    // costs, and would make each small update grow with the repo's age.
    let walk: ReturnType<typeof firstParentChain> | null = null;
    if (old) {
      let seen = 0;
      const near = firstParentChain(this.repo.store, head, (oid) => oid === old.head || ++seen > EXTEND_SEARCH_LIMIT);
      if (near.stoppedAt === old.head) walk = near;
      stopOids.set(old.head, { ref, pos: old.chainLength - 1 });
    }
    if (!walk) {
      // Other streams' chains: a walk that reaches one of their commits copies their rows.
      for (const other of this.otherHeaders(ref)) {
        const chain = readChain(this.file(`${this.keyOf(other.ref)}.chain`), other.chainLength);
        for (let pos = 0; pos < chain.length; pos++) {
          const oid = table.oidOf(chain[pos]);
          if (oid && !stopOids.has(oid)) stopOids.set(oid, { ref: other.ref, pos });
        }
      }
      walk = firstParentChain(this.repo.store, head, (oid) => stopOids.has(oid));
    }
    this.lastBuildCommits = walk.commits.length;
    const stop = walk.stoppedAt ? stopOids.get(walk.stoppedAt)! : null;
    stopOids = new Map();

    const b = newBuilding();
    let header: StreamHeader;
    if (stop && stop.ref === ref && old && stop.pos === old.chainLength - 1) {
      // Appending to our own index: only the new commits are read.
      base = old;
      header = { ...old, arches: { ...old.arches }, sources: { ...old.sources } };
      for (const [arch, a] of Object.entries(old.arches)) b.prev.set(arch, { key: a.finalKey, lock: locksOf(a.final), eff: overridesOf(a.final) });
      b.sources = header.sources;
      this.truncateTo(key, old);
    } else {
      header = { version: FORMAT_VERSION, ref, head, chainLength: 0, commitRows: 0, arches: nameRecord(), sources: nameRecord() };
      for (const f of fs.readdirSync(this.dir).filter((n) => n.startsWith(`${key}.`) && !n.endsWith('.head'))) fs.rmSync(this.file(f), { force: true });
      if (stop) {
        // Another stream indexed this commit and all below it: its rows up to there are ours.
        const other = this.readHeader(stop.ref)!;
        baseChain = readChain(this.file(`${this.keyOf(stop.ref)}.chain`), other.chainLength).subarray(0, stop.pos + 1);
        this.copyPrefix(other, stop.pos, b, header);
      }
    }

    const chainOids = walk.commits.map((c) => c.oid);
    const onChain = new Set(chainOids);
    const startPos = base ? base.chainLength : baseChain ? baseChain.length : 0;
    await this.walkNew(walk.commits, startPos, walk.stoppedAt, b);

    // Appends first: commit rows, chain, package rows; then the header, then the head.
    const rows = table.append(walk.commits.map((c) => commitRow(this.repo, c, onChain)));
    const chainFile = this.file(`${key}.chain`);
    const chainBuf = Buffer.alloc((baseChain ? baseChain.length : 0) * 4 + rows.length * 4);
    let at = 0;
    if (baseChain) for (const r of baseChain) at = chainBuf.writeUInt32BE(r, at);
    for (const r of rows) at = chainBuf.writeUInt32BE(r, at);
    appendSync(chainFile, chainBuf);
    for (const [arch, byName] of b.rows) {
      const a = (header.arches[arch] = header.arches[arch] ? { ...header.arches[arch], dir: copyRecord(header.arches[arch].dir) } : { dir: nameRecord(), rowsLength: 0, finalKey: '', final: nameRecord() });
      const parts: Buffer[] = [];
      let offset = a.rowsLength;
      for (const [name, list] of byName) {
        const seg = Buffer.from(`${JSON.stringify(list)}\n`);
        a.dir[name] = [...(ownKey(a.dir, name) ?? []), [offset, seg.length - 1]];
        offset += seg.length;
        parts.push(seg);
      }
      appendSync(this.file(`${key}.${arch}.rows`), Buffer.concat(parts));
      a.rowsLength = offset;
    }
    for (const [arch, p] of b.prev) {
      const a = (header.arches[arch] ??= { dir: nameRecord(), rowsLength: 0, finalKey: '', final: nameRecord() });
      a.finalKey = p.key;
      a.final = nameRecord();
      for (const n of p.lock.keys()) a.final[n] = p.eff.get(n) ?? [entryState(p.lock.get(n)!), null, null];
    }
    header.head = head;
    header.chainLength = (base ? base.chainLength : baseChain ? baseChain.length : 0) + rows.length;
    header.commitRows = table.rows;
    header.sources = b.sources;
    await table.commit();
    await writeFileAtomic(this.file(`${key}.json`), JSON.stringify(header));
    await writeFileAtomic(this.file(`${key}.head`), `${head}\n`);
    this.headers.delete(ref);
  }

  /** The new commits' rows into `b`: in two halves on two threads when there are many. */
  private async walkNew(commits: readonly Commit[], startPos: number, stoppedAt: string | null, b: Building): Promise<void> {
    const report = (walked: number) => this.opts.onProgress?.({ phase: 'Indexing history', loaded: walked, total: commits.length });
    const segments = this.opts.segments === undefined ? segmentsInWorker() : this.opts.segments;
    if (!segments || commits.length < Math.max(2, segments.minCommits)) {
      walkCommits(this.repo, commits, startPos, b, null, report);
      return;
    }
    // The older commits cost more each (deeper delta chains in the pack, and the thread's
    // start-up): at 10x a 50/50 cut had the older half finish 1.5-2 s after the newer one,
    // and 40/60 within 0.1-0.4 s of it.
    const mid = Math.round(commits.length * OLDER_SHARE);
    const prior = stoppedAt ? this.repo.commit(stoppedAt) : null;
    const older = segments.run({
      dir: this.repo.location.dir,
      upstream: this.repo.upstream,
      commits: commits.slice(0, mid).map((c) => [c.oid, c.tree]),
      startPos,
      prior: prior ? [prior.oid, prior.tree] : null,
    });
    // Whatever happens here, the other thread's walk is awaited before this one returns.
    older.catch(() => undefined);
    const newer = newBuilding();
    primeAt(this.repo, commits[mid - 1], startPos + mid - 1, newer);
    walkCommits(this.repo, commits.slice(mid), startPos + mid, newer, null, (walked) => report(2 * walked));
    joinSegments(b, await older, newer);
  }

  /** Headers of every other indexed stream. */
  private otherHeaders(ref: string): StreamHeader[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    const out: StreamHeader[] = [];
    for (const n of names) {
      try {
        const h = JSON.parse(fs.readFileSync(this.file(n), 'utf8')) as StreamHeader;
        if (h.version === FORMAT_VERSION && h.ref !== ref && fs.readFileSync(this.file(n.replace(/\.json$/, '.head')), 'latin1').trim() === h.head) out.push(h);
      } catch {
        /* a stream being rewritten: not shared this time */
      }
    }
    return out;
  }

  /** Files of a stream cut back to what its header records (a crash may have left more). */
  private truncateTo(key: string, h: StreamHeader): void {
    const cut = (f: string, len: number) => {
      try {
        if (fs.statSync(f).size > len) fs.truncateSync(f, len);
      } catch {
        /* absent: nothing to cut */
      }
    };
    cut(this.file(`${key}.chain`), h.chainLength * 4);
    for (const [arch, a] of Object.entries(h.arches)) cut(this.file(`${key}.${arch}.rows`), a.rowsLength);
  }

  /** Takes another stream's rows with positions up to `pos`, and its states there. */
  private copyPrefix(other: StreamHeader, pos: number, b: Building, header: StreamHeader): void {
    const otherKey = this.keyOf(other.ref);
    const stopCommit = this.repo.commit(new CommitTable(this.dir).oidOf(readChain(this.file(`${otherKey}.chain`), other.chainLength)[pos])!);
    const files = commitFiles(this.repo, stopCommit);
    for (const [arch, a] of Object.entries(other.arches)) {
      const text = readRange(this.file(`${otherKey}.${arch}.rows`), 0, a.rowsLength).toString('utf8');
      const byName = new Map<string, ChangeRow[]>();
      const last: Record<string, Mark> = nameRecord();
      for (const [name, segs] of Object.entries(a.dir)) {
        const kept: ChangeRow[] = [];
        for (const [off, len] of segs) for (const r of JSON.parse(text.slice(off, off + len)) as ChangeRow[]) if (r[0] <= pos) kept.push(r);
        if (!kept.length) continue;
        byName.set(name, kept);
        const l = kept[kept.length - 1];
        if (l[1] !== '') last[name] = [l[1], l[2], l[3]];
      }
      b.rows.set(arch, byName);
      b.prev.set(arch, { key: archKey(files, arch), lock: locksOf(last), eff: overridesOf(last) });
    }
    Object.assign(b.sources, other.sources);
    header.sources = b.sources;
  }


  // -------------------------------------------------------------------------------------------
  // Queries

  /** Every change of one binary package's effective version, newest first. */
  async packageHistory(ref: string, arch: string, name: string): Promise<HistoryEntry[]> {
    checkArch(arch);
    if (this.opts.cache === false) return walkOnePackage(this.repo, (await this.repo.resolve(ref)).oid, arch, name);
    const h = await this.current(ref);
    const rows = this.packageRows(h, arch, name);
    const reader = new EntryReader(this.dir, this.keyOf(ref), h);
    try {
      return rows.map((r) => reader.entry(r)).reverse();
    } finally {
      reader.close();
    }
  }

  /** One package's rows from the index: only its own segments are read. */
  private packageRows(h: StreamHeader, arch: string, name: string): ChangeRow[] {
    const a = h.arches[arch];
    const segs = ownKey(a?.dir, name);
    if (!segs) return [];
    const fd = fs.openSync(this.file(`${this.keyOf(h.ref)}.${arch}.rows`), 'r');
    try {
      const out: ChangeRow[] = [];
      for (const [off, len] of segs) {
        const buf = Buffer.allocUnsafe(len);
        fs.readSync(fd, buf, 0, len, off);
        out.push(...(JSON.parse(buf.toString('utf8')) as ChangeRow[]));
      }
      return out;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The histories of every binary of a source package, merged, newest first. */
  async sourceHistory(ref: string, arch: string, source: string): Promise<{ binaries: string[]; entries: (HistoryEntry & { name: string })[] }> {
    checkArch(arch);
    const h = await this.current(ref);
    const binaries = binariesOf(h, arch, source);
    const reader = new EntryReader(this.dir, this.keyOf(ref), h);
    try {
      // Tens of thousands of rows on a long history: each entry is made once and tagged in
      // place (copying them with spreads made this the history view's slowest step).
      const tagged: { e: HistoryEntry & { name: string }; idx: number }[] = [];
      for (const name of binaries) {
        for (const row of this.packageRows(h, arch, name)) {
          const e = reader.entry(row) as HistoryEntry & { name: string };
          e.name = name;
          tagged.push({ e, idx: row[0] });
        }
      }
      tagged.sort((x, y) => y.idx - x.idx || (x.e.name < y.e.name ? -1 : 1));
      return { binaries, entries: tagged.map((t) => t.e) };
    } finally {
      reader.close();
    }
  }

  /** The binaries of a source package that the stream's history has on `arch`, in name order. */
  async sourceBinaries(ref: string, arch: string, source: string): Promise<string[]> {
    checkArch(arch);
    return binariesOf(await this.current(ref), arch, source);
  }

  /**
   * One stream's lane as the history view lists it: the change rows of `name` (or, with
   * `asSource`, of every binary of that source package), newest first, a commit's rows together
   * and its binaries in name order. Each names its commit by its row in the commit table all
   * streams share, so a commit several lanes list is read once (`commitSummaries`).
   */
  async laneChanges(ref: string, arch: string, name: string, asSource: boolean): Promise<{ binaries: string[]; rows: LaneChange[] }> {
    checkArch(arch);
    const h = await this.current(ref);
    const binaries = asSource ? binariesOf(h, arch, name) : [name];
    const chain = readRange(this.file(`${this.keyOf(ref)}.chain`), 0, h.chainLength * 4);
    const rows: LaneChange[] = [];
    for (const binary of binaries) {
      for (const [at, state, override, file] of this.packageRows(h, arch, binary)) {
        rows.push({ at, commit: chain.readUInt32BE(at * 4), name: binary, state, override: override && file ? { type: override, file } : null });
      }
    }
    // Each binary's rows come oldest first, the binaries in name order.
    if (binaries.length === 1) rows.reverse();
    else rows.sort((x, y) => y.at - x.at || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    return { binaries, rows };
  }

  /**
   * Commits by their row in the shared commit table, as the history view lists them (subject,
   * not the whole message). Offsets are read in one go and nearby lines together: a query on
   * a long history names thousands of commits.
   */
  commitSummaries(rows: readonly number[]): HistoryCommit[] {
    if (!rows.length) return [];
    const pos = fs.readFileSync(this.file('commits.pos'));
    const log = fs.openSync(this.file('commits.jsonl'), 'r');
    try {
      const size = fs.fstatSync(log).size;
      // A row ends where the next one starts; the last one at the end of the log (its newline
      // ends it there, whatever a writer is appending after it).
      const start = (r: number) => Number(pos.readBigUInt64BE(r * 8));
      const end = (r: number) => ((r + 2) * 8 <= pos.length ? start(r + 1) : size);
      const order = rows.map((_, i) => i).sort((a, b) => rows[a] - rows[b]);
      const out = new Array<HistoryCommit>(rows.length);
      for (let k = 0; k < order.length; ) {
        const from = start(rows[order[k]]);
        let to = end(rows[order[k]]);
        let j = k + 1;
        while (j < order.length && start(rows[order[j]]) - to <= SUMMARY_GAP && end(rows[order[j]]) - from <= SUMMARY_READ) to = end(rows[order[j++]]);
        const buf = Buffer.allocUnsafe(to - from);
        fs.readSync(log, buf, 0, buf.length, from);
        for (; k < j; k++) {
          const r = rows[order[k]];
          const at = start(r) - from;
          const nl = buf.indexOf(10, at);
          out[order[k]] = summaryOf(JSON.parse(buf.toString('utf8', at, nl < 0 || nl > end(r) - from ? end(r) - from : nl)) as CommitRow);
        }
      }
      return out;
    } finally {
      fs.closeSync(log);
    }
  }

  /** Source package of a binary, by the newest mapping the history has. */
  async sourceOf(ref: string, arch: string, name: string): Promise<string | null> {
    checkArch(arch);
    const h = await this.current(ref);
    return ownKey(h.sources, name) ?? (ownKey(ownKey(h.arches, arch)?.dir, name) ? name : null);
  }
}

/** The binaries of `source` in a stream's index on `arch`, in name order. */
function binariesOf(h: StreamHeader, arch: string, source: string): string[] {
  return Object.keys(ownKey(h.arches, arch)?.dir ?? {})
    .filter((n) => (ownKey(h.sources, n) ?? n) === source)
    .sort();
}

