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
 */
import { copyRecord, nameRecord, own as ownKey } from '../../../shared/records';
import { isAscii } from 'node:buffer';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { HistoryCommit, HistoryEntry } from '../../../shared/api/types';
import { AppError } from '../../../shared/errors';
import { splitState, type PackageState } from '../../../shared/history/fold';
import { effectiveLock } from '../../../shared/lockfile/effective';
import { classifyLockPath, overridesOrder } from '../../../shared/lockfile/files';
import { nextLockVersion, readLockVersion, type LockBytes, type LockEntries, type LockVersion } from '../../../shared/lockfile/lock-delta';
import { LockLookup, type LockEvras } from '../../../shared/lockfile/lock-states';
import { overridesAs, parseOverrides } from '../../../shared/lockfile/overrides';
import type { LockEntry, OverrideFile } from '../../../shared/lockfile/types';
import { writeFileAtomic } from '../../git/atomic-fs';
import { firstParentChain, firstParents } from '../../git/first-parent';
import { formatGitDate, type Commit } from '../../git/objects/parse';
import type { ConfigRepo } from '../review/config-repo';
import { segmentsInWorker } from './split';

export type { HistoryEntry };

/** A change of a lane (`laneChanges`): at a chain position, its commit's row in the commit table. */
export interface LaneChange {
  at: number;
  commit: number;
  name: string;
  state: PackageState;
  override: { type: string; file: string } | null;
}

/** 4: overrides read per file (3 read one text shared by several arches' files as the first one's). */
const FORMAT_VERSION = 4;
/** New commits looked through for the indexed head before the full search (a rewritten stream, or a long absence). */
const EXTEND_SEARCH_LIMIT = 20_000;
/** The older half's share of a split walk's commits (`walkNew`). */
const OLDER_SHARE = 0.4;
/** [chain position, state (`evr.arch`, '' when absent), override type, override file] */
type ChangeRow = [number, PackageState, string | null, string | null];
/** A package's state with the override that decided it. */
type Mark = [PackageState, string | null, string | null];
/** [oid, date, author name, author email, message, merged [oid, subject][]] */
type CommitRow = [string, string, string, string, string, [string, string][]];

interface ArchHeader {
  /** package -> segments [offset, length] in `<key>.<arch>.rows`, oldest first. */
  dir: Record<string, [number, number][]>;
  rowsLength: number;
  /** The head's lock files for this arch (names and blob ids): equal keys, equal states. */
  finalKey: string;
  /** The head's state of every package the lockfile has. */
  final: Record<string, Mark>;
}

interface StreamHeader {
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
   * `run` (a helper thread: `history-segments.ts`) while this thread walks the newer half. By
   * default on when the bundled worker is there; false never splits.
   */
  segments?: SegmentRunner | false;
}

/** A run of a stream's new commits for another thread to walk, from the state at the commit before them. */
export interface SegmentJob {
  dir: string;
  upstream: string;
  /** [oid, tree], oldest first. */
  commits: [string, string][];
  /** The first commit's chain position. */
  startPos: number;
  /** [oid, tree] of the commit before the first: the walk starts from its lock files. */
  prior: [string, string] | null;
}

/** A segment's rows per arch and package (in the order they first appeared) and its sources. */
export interface SegmentResult {
  rows: [string, [string, ChangeRow[]][]][];
  sources: [string, string][];
}

export interface SegmentRunner {
  minCommits: number;
  run: (job: SegmentJob) => Promise<SegmentResult>;
}

/** A lockfile's packages: every one read (the index), or looked up by name (the one-package walk). */
const EMPTY: LockEntries = new Map();
/** A lockfile entry's state: its evra with a zero epoch dropped. */
const entryState = (evra: string): PackageState => (evra.charCodeAt(0) === 48 && evra.startsWith('0:') ? evra.slice(2) : evra);
const checkArch = (arch: string) => {
  if (!/^[A-Za-z0-9_]+$/.test(arch)) throw new AppError('bad-input', `invalid arch "${arch}": expected a name like x86_64`, { arch });
};
/** A copy that shares no memory with the text it came from (a slice would keep 55 kB alive). */
const own = (s: string): string => (s.length < 13 ? s : ` ${s}`.slice(1));

/** What the walk reads of a commit. */
type ChainCommit = Pick<Commit, 'oid' | 'tree'>;

interface CommitFiles {
  /** arch -> [lockfile name, blob id] */
  locks: Map<string, [string, string]>;
  overrides: { scope: string; file: string; oid: string }[];
}

/** The lock files of a commit's root tree. Two lockfiles for one arch is an error, as for coreos-assembler. */
function commitFiles(repo: ConfigRepo, commit: ChainCommit): CommitFiles {
  const out: CommitFiles = { locks: new Map(), overrides: [] };
  for (const e of repo.store.readTree(commit.tree)) {
    if (e.type !== 'blob' || !e.name.startsWith('manifest-lock.')) continue;
    const kind = classifyLockPath(e.name);
    if (!kind) continue;
    if (kind.kind === 'lockfile') {
      const had = out.locks.get(kind.arch);
      if (had) throw new AppError('bad-file', `${had[0]} and ${e.name} at ${commit.oid.slice(0, 12)}: keep only one lockfile per arch`, { commit: commit.oid, file: e.name, arch: kind.arch });
      out.locks.set(kind.arch, [e.name, e.oid]);
    } else {
      out.overrides.push({ scope: kind.scope, file: e.name, oid: e.oid });
    }
  }
  out.overrides.sort(overridesOrder);
  return out;
}

/** The names and blob ids of the files that make one arch's effective lock. */
function archKey(files: CommitFiles, arch: string): string {
  const lock = files.locks.get(arch);
  let key = lock ? `${lock[0]}=${lock[1]}\n` : '';
  for (const o of files.overrides) if (o.scope === 'all' || o.scope === arch) key += `${o.file}=${o.oid}\n`;
  return key;
}

/** An arch's effective lock at one commit, as the walk carries it to the next. */
interface ArchState {
  key: string;
  lock: LockEntries;
  eff: Map<string, Mark>;
  /** The lockfile's name, text and layout, when the next version can be read from it (`lock-delta.ts`). */
  lockFile?: string;
  version?: LockVersion;
}

/** Incremental rows of one stream being built: per arch, per package, in memory until saved. */
interface Building {
  rows: Map<string, Map<string, ChangeRow[]>>;
  prev: Map<string, ArchState>;
  sources: Record<string, string>;
}

const newBuilding = (): Building => ({ rows: new Map(), prev: new Map(), sources: nameRecord() });

/** Native compares and decoding for `lock-delta.ts`. */
export const nodeLockBytes: LockBytes = {
  same(a, aFrom, aTo, b, bFrom) {
    // The store's objects are Buffers already.
    const buf = Buffer.isBuffer(a) ? a : Buffer.from(a.buffer, a.byteOffset, a.length);
    return buf.compare(b, bFrom, bFrom + aTo - aFrom, aFrom, aTo) === 0;
  },
  ascii(a, from, to) {
    const buf = Buffer.from(a.buffer, a.byteOffset + from, to - from);
    return isAscii(buf) ? buf.toString('latin1') : null;
  },
  utf8: (a) => Buffer.from(a.buffer, a.byteOffset, a.length).toString('utf8'),
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
      this.walkCommits(commits, startPos, b, null, report);
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
    this.primeAt(commits[mid - 1], startPos + mid - 1, newer);
    this.walkCommits(commits.slice(mid), startPos + mid, newer, null, (walked) => report(2 * walked));
    const first = await older;
    // Rows in position order, names in the order they first appear; sources as written in turn.
    const parts: Iterable<[string, Iterable<[string, ChangeRow[]]>]>[] = [first.rows, newer.rows];
    for (const part of parts) {
      for (const [arch, byName] of part) {
        let into = b.rows.get(arch);
        if (!into) b.rows.set(arch, (into = new Map()));
        for (const [name, list] of byName) {
          const have = into.get(name);
          if (have) for (const r of list) have.push(r);
          else into.set(name, list);
        }
      }
    }
    for (const [n, src] of first.sources) b.sources[n] = src;
    for (const [n, src] of Object.entries(newer.sources)) b.sources[n] = src;
    b.prev = newer.prev;
  }

  /** `b`'s states as the walk has them after `commit` (a pure function of its lock files). */
  private primeAt(commit: ChainCommit, pos: number, b: Building): void {
    this.walkCommits([commit], pos, b, null);
    b.rows.clear();
  }

  /** Walks a segment another thread's build handed over (`SegmentJob`). */
  walkSegment(job: SegmentJob): SegmentResult {
    const b = newBuilding();
    if (job.prior) this.primeAt({ oid: job.prior[0], tree: job.prior[1] }, job.startPos - 1, b);
    this.walkCommits(
      job.commits.map(([oid, tree]) => ({ oid, tree })),
      job.startPos,
      b,
      null,
    );
    return { rows: [...b.rows].map(([arch, byName]) => [arch, [...byName]]), sources: Object.entries(b.sources) };
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

  /**
   * The walk: each commit's tree read once, each arch's effective lock recomputed only when
   * its files changed. With `only`, one arch and one package (the `--no-cache` path).
   */
  private walkCommits(commits: readonly ChainCommit[], startPos: number, b: Building, only: { arch: string; name: string } | null, report?: (walked: number) => void): void {
    const lockCache = new Map<string, Pick<ArchState, 'lock' | 'version'>>();
    const overrideCache = new Map<string, OverrideFile>();
    /** A lockfile version's entries, and the names whose evra changed since `base` when that is known. */
    const readLock = (name: string, oid: string, commit: string, base: ArchState | undefined): Pick<ArchState, 'lock' | 'version'> & { changed: readonly string[] | null } => {
      const got = lockCache.get(oid);
      if (got) return { ...got, changed: got.lock === base?.lock ? [] : null };
      const read = this.lockStates(name, oid, commit, b.sources, only !== null, base?.version && base.lockFile === name ? base.version : null);
      // Two per arch: the current version and the one before (more would only keep texts alive).
      if (lockCache.size >= (only ? 2 : 9)) lockCache.delete(lockCache.keys().next().value!);
      lockCache.set(oid, { lock: read.lock, version: read.version });
      return read;
    };
    const readOverrides = (file: string, oid: string, commit: string): OverrideFile => {
      // A parsed file carries its name, which says which arch it applies to: cached by name
      // and text. One text is often every arch's file: parsed once, relabeled for the others.
      const key = `${file}\0${oid}`;
      let got = overrideCache.get(key);
      if (!got) {
        const sameText = overrideCache.get(oid);
        got = sameText ? overridesAs(sameText, file) : parseOverrides(this.repo.store.read(oid).data.toString('utf8'), { file, commit });
        while (overrideCache.size > 30) overrideCache.delete(overrideCache.keys().next().value!);
        overrideCache.set(oid, got);
        overrideCache.set(key, got);
      }
      return got;
    };
    // Arches in name order, whatever order they came in: a walk split in two (`walkNew`) then
    // reads each commit's arches in the order the whole walk would.
    const arches = only ? [only.arch] : [...b.prev.keys()].sort();
    const addArch = (a: string) => {
      if (!arches.includes(a)) {
        arches.push(a);
        arches.sort();
      }
    };
    commits.forEach((commit, i) => {
      const pos = startPos + i;
      const files = commitFiles(this.repo, commit);
      if (!only) {
        for (const a of files.locks.keys()) addArch(a);
        for (const o of files.overrides) if (o.scope !== 'all') addArch(o.scope);
      }
      for (const arch of arches) {
        const key = archKey(files, arch);
        const prev: ArchState = b.prev.get(arch) ?? { key: '', lock: EMPTY, eff: new Map<string, Mark>() };
        if (key === prev.key) continue;
        const lockFile = files.locks.get(arch);
        const read = lockFile ? readLock(lockFile[0], lockFile[1], commit.oid, prev) : { lock: EMPTY, version: undefined, changed: prev.lock === EMPTY ? [] : null };
        const lock = read.lock;
        const applicable = lockFile ? files.overrides.filter((o) => o.scope === 'all' || o.scope === arch).map((o) => readOverrides(o.file, o.oid, commit.oid)) : [];
        const eff = effectiveOverrides(lock, applicable, arch, lockFile?.[0] ?? '', commit.oid);
        let byName = b.rows.get(arch);
        if (!byName) b.rows.set(arch, (byName = new Map()));
        const push = (name: string, row: ChangeRow) => {
          const list = byName!.get(name);
          // States are slices of the lockfile's text: a row keeps a copy, not the 55 kB text.
          row[1] = own(row[1]);
          if (list) list.push(row);
          else byName!.set(name, [row]);
        };
        const overridden = eff.size > 0 || prev.eff.size > 0;
        // The names to compare: those whose evra changed when the version was read from the one
        // before (same names, same order), plus the overridden ones; else every one.
        let names: Iterable<string>;
        if (only) names = lock.has(only.name) || prev.lock.has(only.name) ? [only.name] : [];
        else if (!read.changed) names = lock.keys();
        else names = overridden ? new Set([...read.changed, ...eff.keys(), ...prev.eff.keys()]) : read.changed;
        let kept = 0;
        for (const name of names) {
          const e = lock.get(name);
          if (e === undefined) continue;
          const pe = prev.lock.get(name);
          if (pe !== undefined) kept++;
          // The same evra, overridden on neither side: unchanged, by one compare.
          if (pe === e && (!overridden || (!eff.has(name) && !prev.eff.has(name)))) continue;
          const m = eff.get(name);
          const state = m ? m[0] : entryState(e);
          const pm = prev.eff.get(name);
          const before = pm ? pm[0] : pe === undefined ? undefined : entryState(pe);
          if (before !== state) push(name, [pos, state, m?.[1] ?? null, m?.[2] ?? null]);
        }
        // Every earlier name still here: none is gone.
        if (only || (!read.changed && kept !== prev.lock.size)) {
          const gone = only ? [only.name] : prev.lock.keys();
          for (const name of gone) if (prev.lock.has(name) && !lock.has(name)) push(name, [pos, '', null, null]);
        }
        b.prev.set(arch, { key, lock, eff, lockFile: lockFile?.[0], version: read.version });
      }
      if (i % 200 === 0) report?.(i);
    });
  }

  /**
   * A lockfile's package states (`readLockStates`); a source package that changed is recorded.
   * With `lookup`, packages are looked up by name when asked (sources are not needed then).
   */
  private lockStates(name: string, oid: string, commit: string, sources: Record<string, string>, lookup: boolean, base: LockVersion | null): { lock: LockEntries; version?: LockVersion; changed: readonly string[] | null } {
    const data = this.repo.store.read(oid).data;
    if (lookup) {
      // Lockfiles are ASCII: latin1 decodes them faster than utf8, to the same string.
      const found = LockLookup.of(isAscii(data) ? data.toString('latin1') : data.toString('utf8'), { file: name, commit });
      if (found) return { lock: found, changed: null };
    }
    const delta = base ? nextLockVersion(base, data, sources, nodeLockBytes) : null;
    const got = delta ?? readLockVersion(data, { file: name, commit }, sources, nodeLockBytes);
    for (const [n, src] of got.sources) sources[n] = own(src);
    return { lock: got.version.evras, version: got.version, changed: delta ? delta.changed : null };
  }

  // -------------------------------------------------------------------------------------------
  // Queries

  /** Every change of one binary package's effective version, newest first. */
  async packageHistory(ref: string, arch: string, name: string): Promise<HistoryEntry[]> {
    checkArch(arch);
    if (this.opts.cache === false) return this.walkOne(ref, arch, name);
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

  /** `--no-cache`: the same walk and rules as the index, for one arch and package, nothing written. */
  private async walkOne(ref: string, arch: string, name: string): Promise<HistoryEntry[]> {
    const { oid: head } = await this.repo.resolve(ref);
    // Only ids and trees are kept while walking; the few commits with a change are read again.
    const commits: ChainCommit[] = [];
    for (const c of firstParents(this.repo.store, head)) commits.push({ oid: c.oid, tree: c.tree });
    commits.reverse();
    const b = newBuilding();
    const onChain = new Set(commits.map((c) => c.oid));
    this.walkCommits(commits, 0, b, { arch, name });
    const rows = b.rows.get(arch)?.get(name) ?? [];
    return rows.map((r) => entryOf(commitRow(this.repo, this.repo.store.readCommit(commits[r[0]].oid), onChain), r)).reverse();
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

/**
 * The overridden packages of one arch at one commit: state and override, computed by the one
 * effective-lock rule (`effectiveLock`) over just the entries the overrides name.
 */
function effectiveOverrides(lock: LockEntries, overrides: OverrideFile[], arch: string, lockName: string, commit: string): Map<string, Mark> {
  const out = new Map<string, Mark>();
  if (!overrides.length) return out;
  const packages: Record<string, LockEntry> = nameRecord();
  for (const f of overrides) {
    for (const name of Object.keys(f.entries)) {
      const e = lock.get(name);
      if (e === undefined || ownKey(packages, name)) continue;
      const { evr, arch: a } = splitState(entryState(e));
      packages[name] = { evr: evr!, arch: a! };
    }
  }
  const eff = effectiveLock({ commit, lockfiles: { [arch]: { arch, file: lockName, packages } }, overrides }, arch);
  for (const [name, e] of Object.entries(eff.packages)) {
    if (e.override) out.set(name, [`${e.evr}.${e.arch}`, e.override.type ?? 'override', e.override.file]);
  }
  return out;
}

const locksOf = (final: Record<string, Mark>): LockEntries => {
  const out: LockEvras = new Map();
  for (const [n, m] of Object.entries(final)) out.set(n, m[0]);
  return out;
};
const overridesOf = (final: Record<string, Mark>): Map<string, Mark> => new Map(Object.entries(final).filter(([, m]) => m[1] !== null));

/** Commits a merge brought in: reachable from its other parents, not on the first-parent chain. */
function mergedCommits(repo: ConfigRepo, parents: string[], onChain: Set<string>): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  const queue = [...parents];
  while (queue.length && out.length < 200) {
    const oid = queue.shift()!;
    if (seen.has(oid) || onChain.has(oid)) continue;
    seen.add(oid);
    let c;
    try {
      c = repo.commit(oid);
    } catch {
      continue;
    }
    out.push([oid, c.message.split('\n')[0]]);
    queue.push(...c.parents);
  }
  return out;
}

function commitRow(repo: ConfigRepo, c: Commit, onChain: Set<string>): CommitRow {
  return [c.oid, formatGitDate(c.committer), c.author.name, c.author.email, c.message, c.parents.length > 1 ? mergedCommits(repo, c.parents.slice(1), onChain) : []];
}

/** Lines of the commit log at most this far apart are read together, up to this much at once. */
const SUMMARY_GAP = 16 * 1024;
const SUMMARY_READ = 4 * 1024 * 1024;

function summaryOf([commit, date, author, , message, merged]: CommitRow): HistoryCommit {
  const nl = message.indexOf('\n');
  const c: HistoryCommit = { commit, date, subject: nl < 0 ? message : message.slice(0, nl), author };
  if (merged.length) c.merged = merged.map(([m, subject]) => ({ commit: m, subject }));
  return c;
}

/** The binaries of `source` in a stream's index on `arch`, in name order. */
function binariesOf(h: StreamHeader, arch: string, source: string): string[] {
  return Object.keys(ownKey(h.arches, arch)?.dir ?? {})
    .filter((n) => (ownKey(h.sources, n) ?? n) === source)
    .sort();
}

function entryOf([commit, date, name, email, message, merged]: CommitRow, [, state, override, file]: ChangeRow): HistoryEntry {
  const { evr, arch } = splitState(state);
  const nl = message.indexOf('\n');
  const e: HistoryEntry = { commit, date, evr, arch, subject: nl < 0 ? message : message.slice(0, nl), author: { name, email }, message };
  if (merged.length) e.merged = merged.map(([c, subject]) => ({ commit: c, subject }));
  if (override && file) e.override = { type: override, file };
  return e;
}

// ---------------------------------------------------------------------------------------------
// Files

function readRange(file: string, offset: number, length: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(length);
    const n = fs.readSync(fd, buf, 0, length, offset);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

function readChain(file: string, length: number): Uint32Array {
  const buf = readRange(file, 0, length * 4);
  const out = new Uint32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readUInt32BE(i * 4);
  return out;
}

function appendSync(file: string, data: Buffer): void {
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
class EntryReader {
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
class CommitTable {
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
