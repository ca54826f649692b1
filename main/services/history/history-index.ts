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
 *   commits.*                     commit rows shared by all streams (`commit-table.ts`)
 *   <key>.head                    the stream's indexed head: checked without parsing anything
 *   <key>.json                    header (`stream-header.ts`): a core (the chain's crc32, the
 *                                 commits that could not be read, ...) then sections, read
 *                                 when asked: per arch the package -> [offset, length]
 *                                 segments of its rows and the head's states (to extend), sources
 *   <key>.chain                   chain position -> commit row (4 bytes each)
 *   <key>.<arch>.rows             each package's rows, as appended segments (crc32, JSON)
 * Appends are made first and the header replaced atomically after, so a reader (or a writer
 * after a crash) trusts only what a header records; a writer cuts the files back to that.
 * Every file is checked as it is read (`format.ts`); a query that finds one that does not
 * check out has it rebuilt and answers from the rebuilt index, as `--no-cache` would.
 * The walk itself is `walk.ts`, the writer `build.ts`.
 */
import { own as ownKey } from '../../../shared/records';
import path from 'node:path';
import type { HistoryCommit, HistoryEntry } from '../../../shared/api/types';
import type { PackageState } from '../../../shared/history/fold';
import { AppError } from '../../../shared/errors';
import type { ConfigRepo } from '../review/config-repo';
import { CommitLog, EntryReader, tableRows } from './commit-table';
import { checkStream, entryOf, IndexDamage, indexedHead, refuseUnreadableHead, rowsOfSegment, streamKey, summaryOf, viewOf, type ChangeRow, type Unreadable } from './format';
import { readRange } from '../../git/file-range';
import { openStreamHeader, type StreamHeaderFile } from './stream-header';
import type { SegmentRunner } from './walk';

// The writer and the walk (and the lockfile readers they take) are set up when a query needs
// them, an index to build or repair or --no-cache, not by every warm query: 1-2 ms of its start.
const writer = () => import('./build');

export type { HistoryEntry };

/** A change of a lane (`laneChanges`): at a chain position, its commit's row in the commit table. */
export interface LaneChange {
  at: number;
  commit: number;
  name: string;
  state: PackageState;
  override: { type: string; file: string } | null;
}

/** A commit of the stream whose lock files could not be read: left out of the history, reported. */
export interface UnreadableCommit {
  commit: string;
  file: string;
  message: string;
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
   * `run` (a helper thread: `split.ts`) while this thread walks the newer half. By
   * default on when the bundled worker is there; false never splits.
   */
  segments?: SegmentRunner | false;
  /** Told of each commit a package history leaves out because its lock files for the arch could not be read. */
  onUnreadable?: (u: UnreadableCommit) => void;
}

const checkArch = (arch: string) => {
  if (!/^[A-Za-z0-9_]+$/.test(arch)) throw new AppError('bad-input', `invalid arch "${arch}": expected a name like x86_64`, { arch });
};

/** A stream's index as queries read it: its header's core and chain, checked; its sections when asked. */
interface StreamView {
  h: StreamHeaderFile;
  /** chain position -> commit row (`viewOf` the chain file). */
  chain: DataView;
}

export class HistoryIndex {
  /** Commits walked by the last build (for tests of incremental updates). */
  lastBuildCommits = 0;
  private readonly views = new Map<string, StreamView>();

  constructor(
    private readonly repo: ConfigRepo,
    private readonly opts: HistoryOptions = {},
  ) {}

  private get dir(): string {
    return path.join(this.repo.gitdir, 'lockstep', 'history3');
  }

  private file(name: string): string {
    return path.join(this.dir, name);
  }

  /** The checked header and chain of an index whose head is `ref`'s current commit: built or extended first when needed. */
  private async current(ref: string): Promise<StreamView> {
    const { oid: head } = await this.repo.resolve(ref);
    const memo = this.views.get(ref);
    if (memo?.h.core.head === head) return memo;
    if (indexedHead(this.dir, ref) !== head) {
      if (this.opts.build) await this.opts.build(ref);
      else await this.update(ref);
    }
    let h = indexedHead(this.dir, ref) === head ? openStreamHeader(this.dir, ref) : null;
    if (!h || h.core.head !== head) {
      // The builder could not (a lock held too long, a ref it does not know): build here.
      await this.update(ref);
      h = openStreamHeader(this.dir, ref);
    }
    if (!h || h.core.head !== head) throw new AppError('internal', `the history index of ${ref} could not be written in ${this.dir}; check that the folder is writable`, { ref });
    const view = { h, chain: viewOf(checkStream(this.dir, streamKey(ref), h.core, tableRows(this.dir), { cut: false, full: false })) };
    this.views.set(ref, view);
    return view;
  }

  /**
   * A query on `ref`'s index. A file that does not check out (SPEC §6) is checked in full under
   * the writer lock, dropped and built again, and the query asked once more: the answer is the
   * one `--no-cache` gives, never one read from a damaged file.
   */
  private checked<T>(ref: string, query: (v: StreamView) => T): Promise<T> {
    return this.retrying(async () => query(await this.current(ref)));
  }

  /** Runs `run` on the index; once again after a repair when it finds a file that does not check out. */
  async retrying<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof IndexDamage)) throw err;
      this.views.clear();
      const { lockIndex, repairIndex } = await writer();
      const release = await lockIndex(this.dir);
      try {
        repairIndex(this.dir, err);
      } finally {
        release();
      }
    }
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof IndexDamage)) throw err;
      throw new AppError('internal', `the history index in ${this.dir} does not check out after a rebuild (${err.message}); remove that folder and try again`, { file: err.file });
    }
  }

  /** Builds or extends the on-disk index of `ref` (every arch) up to its current commit. */
  async update(ref: string): Promise<void> {
    const { oid: head } = await this.repo.resolve(ref);
    if (indexedHead(this.dir, ref) === head && openStreamHeader(this.dir, ref)?.core.head === head) return;
    const { buildStream, lockIndex } = await writer();
    const release = await lockIndex(this.dir);
    try {
      this.lastBuildCommits = await buildStream(this.repo, this.dir, ref, head, { onProgress: this.opts.onProgress, segments: this.opts.segments });
    } finally {
      release();
    }
    this.views.delete(ref);
  }

  /** Every change of one binary package's effective version, newest first. */
  async packageHistory(ref: string, arch: string, name: string): Promise<HistoryEntry[]> {
    const out: HistoryEntry[] = [];
    for (const page of await this.packageHistoryPages(ref, arch, name)) for (const e of page) out.push(e);
    return out;
  }

  /**
   * packageHistory a page at a time, newest first. Every commit line the pages will read is
   * checked first (a damaged file is repaired before the first page, as for any query); then
   * each page is read, made and handed on alone, so a long history is never whole in memory
   * (`lockstep history` writes each page as it comes: at 10x kernel's 3,000 entries held at
   * once made a third of that process's time garbage collection).
   */
  async packageHistoryPages(ref: string, arch: string, name: string, pageSize = HISTORY_PAGE): Promise<Iterable<HistoryEntry[]>> {
    checkArch(arch);
    if (this.opts.cache === false) {
      const { walkOnePackage } = await import('./walk');
      const walked = walkOnePackage(this.repo, (await this.repo.resolve(ref)).oid, arch, name);
      this.report(walked.unreadable);
      return pagesOf(walked.entries, pageSize);
    }
    const { rows, chain, unreadable, log } = await this.checked(ref, ({ h, chain }) => {
      const rows = this.packageRows(h, arch, name);
      const unreadable = h.core.unreadable.filter((u) => u[0] === arch);
      refuseUnreadableHead(unreadable, ownKey(h.core.arches, arch)?.finalKey ?? '');
      const log = new CommitLog(this.dir);
      try {
        log.check(rows.map((r) => chain.getUint32(r[0] * 4)));
      } catch (err) {
        log.close();
        throw err;
      }
      return { rows, chain, unreadable, log };
    });
    this.report(unreadable);
    return entryPages(log, chain, rows, pageSize);
  }

  private report(list: readonly Unreadable[]): void {
    for (const [, , commit, file, , message] of list) this.opts.onUnreadable?.({ commit, file, message });
  }

  /** One package's rows from the index: only its own segments are read, each checked. */
  private packageRows(h: StreamHeaderFile, arch: string, name: string): ChangeRow[] {
    const segs = ownKey(h.dir(arch), name);
    if (!segs) return [];
    const file = this.file(`${streamKey(h.core.ref)}.${arch}.rows`);
    let out: ChangeRow[] = [];
    for (const [off, len] of segs) {
      let buf: Buffer;
      try {
        buf = readRange(file, off, len);
      } catch {
        throw new IndexDamage('stream', file, 'unreadable');
      }
      // Indexed, not for..of: kernel's 3,000 rows at 10x each cost an iterator step unoptimised.
      const rows = rowsOfSegment(buf, name, file);
      if (!out.length) out = rows;
      else for (let i = 0; i < rows.length; i++) out.push(rows[i]);
    }
    return out;
  }

  /** The histories of every binary of a source package, merged, newest first. */
  async sourceHistory(ref: string, arch: string, source: string): Promise<{ binaries: string[]; entries: (HistoryEntry & { name: string })[] }> {
    checkArch(arch);
    return this.checked(ref, ({ h, chain }) => {
      const binaries = binariesOf(h, arch, source);
      const log = new CommitLog(this.dir);
      try {
        const rowsOf = binaries.map((name) => ({ name, rows: this.packageRows(h, arch, name) }));
        const reader = new EntryReader(log, chain).prefetch(rowsOf.flatMap((b) => b.rows));
        // Tens of thousands of rows on a long history: each entry is made once and tagged in
        // place (copying them with spreads made this the history view's slowest step).
        const tagged: { e: HistoryEntry & { name: string }; idx: number }[] = [];
        for (const { name, rows } of rowsOf) {
          for (const row of rows) {
            const e = reader.entry(row) as HistoryEntry & { name: string };
            e.name = name;
            tagged.push({ e, idx: row[0] });
          }
        }
        tagged.sort((x, y) => y.idx - x.idx || (x.e.name < y.e.name ? -1 : 1));
        return { binaries, entries: tagged.map((t) => t.e) };
      } finally {
        log.close();
      }
    });
  }

  /** The binaries of a source package that the stream's history has on `arch`, in name order. */
  async sourceBinaries(ref: string, arch: string, source: string): Promise<string[]> {
    checkArch(arch);
    return this.checked(ref, ({ h }) => binariesOf(h, arch, source));
  }

  /**
   * One stream's lane as the history view lists it: the change rows of `name` (or, with
   * `asSource`, of every binary of that source package), newest first, a commit's rows together
   * and its binaries in name order. Each names its commit by its row in the commit table all
   * streams share, so a commit several lanes list is read once (`commitSummaries`).
   */
  async laneChanges(ref: string, arch: string, name: string, asSource: boolean): Promise<{ binaries: string[]; rows: LaneChange[] }> {
    checkArch(arch);
    return this.checked(ref, ({ h, chain }) => {
      const binaries = asSource ? binariesOf(h, arch, name) : [name];
      const rows: LaneChange[] = [];
      for (const binary of binaries) {
        const own = this.packageRows(h, arch, binary);
        for (let i = 0; i < own.length; i++) {
          const [at, state, override, file] = own[i];
          rows.push({ at, commit: chain.getUint32(at * 4), name: binary, state, override: override && file ? { type: override, file } : null });
        }
      }
      // Each binary's rows come oldest first, the binaries in name order.
      if (binaries.length === 1) rows.reverse();
      else rows.sort((x, y) => y.at - x.at || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
      return { binaries, rows };
    });
  }

  /**
   * Commits by their row in the shared commit table, as the history view lists them (subject,
   * not the whole message). Nearby lines are read together: a query on a long history names
   * thousands of commits. A file that does not check out throws `IndexDamage`: callers run this
   * inside `retrying`.
   */
  commitSummaries(rows: readonly number[]): HistoryCommit[] {
    if (!rows.length) return [];
    const log = new CommitLog(this.dir);
    try {
      return log.read(rows).map(summaryOf);
    } finally {
      log.close();
    }
  }

  /** Source package of a binary, by the newest mapping the history has. */
  async sourceOf(ref: string, arch: string, name: string): Promise<string | null> {
    checkArch(arch);
    return this.checked(ref, ({ h }) => ownKey(h.sources(), name) ?? (ownKey(h.dir(arch), name) ? name : null));
  }
}

/**
 * Entries a page. Smaller pages hold less alive when the young generation is collected: at 10x
 * a warm history with pages of 128 ran 1.63x -> 1.59x a bare node start (512: 1.77x).
 */
const HISTORY_PAGE = 128;

function* pagesOf<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * Entries of change rows (oldest first), newest first, a page at a time, read through the log
 * that checked their lines; the log is closed when the pages end (a for..of that breaks off
 * closes it too).
 */
function* entryPages(log: CommitLog, chain: DataView, rows: ChangeRow[], size: number): Generator<HistoryEntry[]> {
  try {
    for (let end = rows.length; end > 0; end -= size) {
      const page = rows.slice(Math.max(0, end - size), end).reverse();
      const commits = log.read(
        page.map((r) => chain.getUint32(r[0] * 4)),
        true,
      );
      yield page.map((r, i) => entryOf(commits[i], r));
    }
  } finally {
    log.close();
  }
}

/** The binaries of `source` in a stream's index on `arch`, in name order. */
function binariesOf(h: StreamHeaderFile, arch: string, source: string): string[] {
  const sources = h.sources();
  return Object.keys(h.dir(arch) ?? {})
    .filter((n) => (ownKey(sources, n) ?? n) === source)
    .sort();
}
