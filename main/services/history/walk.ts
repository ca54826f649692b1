/**
 * The walk of a stream's first-parent commits that the history index is made of: each commit's
 * root tree read once, each arch's effective lock recomputed only when its files changed, one
 * row per change of a package's effective (evr, arch). The index walks every arch and package;
 * `--no-cache` walks one of each; a split walk's older half is walked on another thread
 * (`split.ts`, `worker.ts`) by `walkSegment`, from the lock files of the commit before it.
 */
import { nameRecord, own as ownKey } from '../../../shared/records';
import { isAscii } from 'node:buffer';
import { splitState, type PackageState } from '../../../shared/history/fold';
import { effectiveLock } from '../../../shared/lockfile/effective';
import { classifyLockPath, overridesOrder } from '../../../shared/lockfile/files';
import { nextLockVersion, readLockVersion, type LockBytes, type LockEntries, type LockVersion } from '../../../shared/lockfile/lock-delta';
import { LockLookup, type LockEvras } from '../../../shared/lockfile/lock-states';
import { overridesAs, parseOverrides } from '../../../shared/lockfile/overrides';
import type { LockEntry, OverrideFile } from '../../../shared/lockfile/types';
import { AppError } from '../../../shared/errors';
import { formatGitDate, type Commit } from '../../git/objects/parse';
import type { ConfigRepo } from '../review/config-repo';
import type { HistoryEntry } from '../../../shared/api/types';
import { firstParents } from '../../git/first-parent';
import { entryOf, refuseUnreadableHead, type ChangeRow, type CommitRow, type Mark, type Unreadable } from './format';

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
  unreadable: Unreadable[];
}

export interface SegmentRunner {
  minCommits: number;
  run: (job: SegmentJob) => Promise<SegmentResult>;
}

/** A lockfile's packages: every one read (the index), or looked up by name (the one-package walk). */
export const EMPTY: LockEntries = new Map();
/** A lockfile entry's state: its evra with a zero epoch dropped. */
export const entryState = (evra: string): PackageState => (evra.charCodeAt(0) === 48 && evra.startsWith('0:') ? evra.slice(2) : evra);
/** A copy that shares no memory with the text it came from (a slice would keep 55 kB alive). */
export const own = (s: string): string => (s.length < 13 ? s : ` ${s}`.slice(1));

/** What the walk reads of a commit. */
export type ChainCommit = Pick<Commit, 'oid' | 'tree'>;

export interface CommitFiles {
  /** arch -> [lockfile name, blob id] */
  locks: Map<string, [string, string]>;
  overrides: { scope: string; file: string; oid: string }[];
  /** arch -> a second lockfile for it, which makes that arch unreadable at this commit. */
  clash: Map<string, { file: string; oid: string; err: AppError }> | null;
}

/** The lock files of a commit's root tree. Two lockfiles for one arch is an error, as for coreos-assembler. */
export function commitFiles(repo: ConfigRepo, commit: ChainCommit): CommitFiles {
  const out: CommitFiles = { locks: new Map(), overrides: [], clash: null };
  for (const e of repo.store.readTree(commit.tree)) {
    if (e.type !== 'blob' || !e.name.startsWith('manifest-lock.')) continue;
    const kind = classifyLockPath(e.name);
    if (!kind) continue;
    if (kind.kind === 'lockfile') {
      const had = out.locks.get(kind.arch);
      if (had) {
        const err = new AppError('bad-file', `${had[0]} and ${e.name} at ${commit.oid.slice(0, 12)}: keep only one lockfile per arch`, { commit: commit.oid, file: e.name, arch: kind.arch });
        (out.clash ??= new Map()).set(kind.arch, { file: e.name, oid: e.oid, err });
      } else out.locks.set(kind.arch, [e.name, e.oid]);
    } else {
      out.overrides.push({ scope: kind.scope, file: e.name, oid: e.oid });
    }
  }
  out.overrides.sort(overridesOrder);
  return out;
}

/** The names and blob ids of the files that make one arch's effective lock. */
export function archKey(files: CommitFiles, arch: string): string {
  const lock = files.locks.get(arch);
  let key = lock ? `${lock[0]}=${lock[1]}\n` : '';
  for (const o of files.overrides) if (o.scope === 'all' || o.scope === arch) key += `${o.file}=${o.oid}\n`;
  const clash = files.clash?.get(arch);
  if (clash) key += `${clash.file}=${clash.oid}!\n`;
  return key;
}

/** An arch's effective lock at one commit, as the walk carries it to the next. */
export interface ArchState {
  key: string;
  lock: LockEntries;
  eff: Map<string, Mark>;
  /** The lockfile's name, text and layout, when the next version can be read from it (`lock-delta.ts`). */
  lockFile?: string;
  version?: LockVersion;
}

/** Incremental rows of one stream being built: per arch, per package, in memory until saved. */
export interface Building {
  rows: Map<string, Map<string, ChangeRow[]>>;
  prev: Map<string, ArchState>;
  sources: Record<string, string>;
  /** Commits whose lock files could not be read, in walk order, as the walk met them. */
  unreadable: Unreadable[];
}

export const newBuilding = (): Building => ({ rows: new Map(), prev: new Map(), sources: nameRecord(), unreadable: [] });

/** The first report of each unreadable file version (arch, file, blob): a broken lockfile kept for 40 commits is one line. */
export function firstUnreadable(list: readonly Unreadable[]): Unreadable[] {
  const seen = new Set<string>();
  return list.filter(([arch, , , file, blob]) => {
    const k = `${arch}\0${file}\0${blob}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

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

/**
 * The walk: each commit's tree read once, each arch's effective lock recomputed only when
 * its files changed. With `only`, one arch and one package (the `--no-cache` path).
 */
export function walkCommits(repo: ConfigRepo, commits: readonly ChainCommit[], startPos: number, b: Building, only: { arch: string; name: string } | null, report?: (walked: number) => void): void {
  const lockCache = new Map<string, Pick<ArchState, 'lock' | 'version'>>();
  const overrideCache = new Map<string, OverrideFile>();
  /** A lockfile version's entries, and the names whose evra changed since `base` when that is known. */
  const readLock = (name: string, oid: string, commit: string, base: ArchState | undefined): Pick<ArchState, 'lock' | 'version'> & { changed: readonly string[] | null } => {
    const got = lockCache.get(oid);
    if (got) return { ...got, changed: got.lock === base?.lock ? [] : null };
    const read = lockStates(repo, name, oid, commit, b.sources, only !== null, base?.version && base.lockFile === name ? base.version : null);
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
      got = sameText ? overridesAs(sameText, file) : parseOverrides(repo.lockBytes(oid, file, commit).toString('utf8'), { file, commit });
      while (overrideCache.size > 30) overrideCache.delete(overrideCache.keys().next().value!);
      overrideCache.set(oid, got);
      overrideCache.set(key, got);
    }
    return got;
  };
  // Arches in name order, whatever order they came in: a walk split in two (`HistoryIndex.walkNew`) then
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
    const files = commitFiles(repo, commit);
    if (!only) {
      for (const a of files.locks.keys()) addArch(a);
      for (const o of files.overrides) if (o.scope !== 'all') addArch(o.scope);
    }
    for (const arch of arches) {
      const key = archKey(files, arch);
      const prev: ArchState = b.prev.get(arch) ?? { key: '', lock: EMPTY, eff: new Map<string, Mark>() };
      if (key === prev.key) continue;
      const lockFile = files.locks.get(arch);
      let read: ReturnType<typeof readLock>;
      let eff: Map<string, Mark>;
      try {
        const clash = files.clash?.get(arch);
        if (clash) throw clash.err;
        read = lockFile ? readLock(lockFile[0], lockFile[1], commit.oid, prev) : { lock: EMPTY, version: undefined, changed: prev.lock === EMPTY ? [] : null };
        const applicable = lockFile ? files.overrides.filter((o) => o.scope === 'all' || o.scope === arch).map((o) => readOverrides(o.file, o.oid, commit.oid)) : [];
        eff = effectiveOverrides(read.lock, applicable, arch, lockFile?.[0] ?? '', commit.oid);
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'bad-file') throw err;
        // A malformed lock file in the past must not cost the stream its history (SPEC §6):
        // the commit is reported and its states are the ones before it. Its key is kept, so
        // the commits after it with the same files are not read again.
        b.unreadable.push(unreadableOf(arch, pos, commit.oid, files, err));
        b.prev.set(arch, { ...prev, key });
        continue;
      }
      const lock = read.lock;
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

/** The report of an arch's lock files that could not be read at a commit: the file the error names, and its blob. */
function unreadableOf(arch: string, pos: number, commit: string, files: CommitFiles, err: AppError): Unreadable {
  const named = typeof err.data.file === 'string' ? err.data.file : '';
  const lock = files.locks.get(arch);
  const clash = files.clash?.get(arch);
  const blob = clash?.file === named ? clash.oid : lock?.[0] === named ? lock[1] : (files.overrides.find((o) => o.file === named)?.oid ?? '');
  return [arch, pos, commit, named || (lock?.[0] ?? ''), blob, err.message];
}

/**
 * A lockfile's package states (`readLockStates`); a source package that changed is recorded.
 * With `lookup`, packages are looked up by name when asked (sources are not needed then).
 */
function lockStates(repo: ConfigRepo, name: string, oid: string, commit: string, sources: Record<string, string>, lookup: boolean, base: LockVersion | null): { lock: LockEntries; version?: LockVersion; changed: readonly string[] | null } {
  const data = repo.lockBytes(oid, name, commit);
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

/**
 * `b`'s states as the walk has them after `commit`: a pure function of its lock files when they
 * can all be read. False when one cannot: the walk's states there are the ones of a commit
 * before, which only the whole walk knows.
 */
export function primeAt(repo: ConfigRepo, commit: ChainCommit, pos: number, b: Building): boolean {
  walkCommits(repo, [commit], pos, b, null);
  b.rows.clear();
  const readable = b.unreadable.length === 0;
  b.unreadable = [];
  return readable;
}

/** Walks a segment another thread's build handed over (`SegmentJob`). */
export function walkSegment(repo: ConfigRepo, job: SegmentJob): SegmentResult {
  const b = newBuilding();
  if (job.prior) primeAt(repo, { oid: job.prior[0], tree: job.prior[1] }, job.startPos - 1, b);
  walkCommits(
    repo,
    job.commits.map(([oid, tree]) => ({ oid, tree })),
    job.startPos,
    b,
    null,
  );
  return { rows: [...b.rows].map(([arch, byName]) => [arch, [...byName]]), sources: Object.entries(b.sources), unreadable: b.unreadable };
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

export const locksOf = (final: Record<string, Mark>): LockEntries => {
  const out: LockEvras = new Map();
  for (const [n, m] of Object.entries(final)) out.set(n, m[0]);
  return out;
};
export const overridesOf = (final: Record<string, Mark>): Map<string, Mark> => new Map(Object.entries(final).filter(([, m]) => m[1] !== null));

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

export function commitRow(repo: ConfigRepo, c: Commit, onChain: Set<string>): CommitRow {
  return [c.oid, formatGitDate(c.committer), c.author.name, c.author.email, c.message, c.parents.length > 1 ? mergedCommits(repo, c.parents.slice(1), onChain) : []];
}

/** `--no-cache`: the same walk and rules as the index, for one arch and package, nothing written. */
export function walkOnePackage(repo: ConfigRepo, head: string, arch: string, name: string): { entries: HistoryEntry[]; unreadable: Unreadable[] } {
  // Only ids and trees are kept while walking; the few commits with a change are read again.
  const commits: ChainCommit[] = [];
  for (const c of firstParents(repo.store, head)) commits.push({ oid: c.oid, tree: c.tree });
  commits.reverse();
  const b = newBuilding();
  const onChain = new Set(commits.map((c) => c.oid));
  walkCommits(repo, commits, 0, b, { arch, name });
  const unreadable = firstUnreadable(b.unreadable);
  refuseUnreadableHead(unreadable, b.prev.get(arch)?.key ?? '');
  const rows = b.rows.get(arch)?.get(name) ?? [];
  return { entries: rows.map((r) => entryOf(commitRow(repo, repo.store.readCommit(commits[r[0]].oid), onChain), r)).reverse(), unreadable };
}

/** A split walk's halves joined into `b`: the older one's rows, then the newer one's, and the newer one's states. */
export function joinSegments(b: Building, first: SegmentResult, newer: Building): void {
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
  b.unreadable.push(...first.unreadable, ...newer.unreadable);
  b.prev = newer.prev;
}
