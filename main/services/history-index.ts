/**
 * The history index of one stream (any ref) and arch: every change of every package's effective
 * (evr, arch) along the first-parent chain, with the commit's date, author and rationale. Only
 * commits whose lock files changed are parsed, each blob once. The index is kept on disk keyed
 * by its head commit; a newer head on the same chain extends it with the new commits only.
 */
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import type { HistoryEntry } from '../../shared/api/types';
import { AppError } from '../../shared/errors';
import { splitState, type PackageState } from '../../shared/history/fold';
import { classifyLockPath } from '../../shared/lockfile/files';
import { parseLockfile } from '../../shared/lockfile/manifest-lock';
import { parseOverrides } from '../../shared/lockfile/overrides';
import { overridesOrder } from '../../shared/lockfile/files';
import type { OverrideFile } from '../../shared/lockfile/types';
import { writeFileAtomic } from '../git/atomic-fs';
import { formatGitDate, type Commit } from '../git/objects';
import type { ConfigRepo } from './config-repo';

export type { HistoryEntry };

/** [oid, date, author name, author email, message, merged [oid, subject][]] */
type CommitRow = [string, string, string, string, string, [string, string][]];
/** [commit index, state (`evr.arch`, '' when absent), override type, override file] */
type ChangeRow = [number, PackageState, string | null, string | null];

interface IndexData {
  version: 2;
  arch: string;
  head: string;
  /** Oldest first, along the first-parent chain. */
  commits: CommitRow[];
  changes: Record<string, ChangeRow[]>;
  /** The head's package states, so an extension needs nothing older. */
  final: Record<string, [PackageState, string | null, string | null]>;
  /** The head's relevant lock blob ids. */
  finalKey: string;
  /** binary -> source package, newest mapping seen. */
  sources: Record<string, string>;
}

const FORMAT_VERSION = 2;
type LockEntries = Record<string, { evra: string }>;
const EMPTY: LockEntries = {};
/** A lockfile entry's state: its evra with a zero epoch dropped. */
const entryState = (e: { evra: string }): PackageState => (e.evra.charCodeAt(0) === 48 && e.evra.startsWith('0:') ? e.evra.slice(2) : e.evra);
const KEEP_PER_ARCH = 24;

export interface HistoryOptions {
  /** Read and write the on-disk index (default true). */
  cache?: boolean;
  onProgress?: (p: { phase: string; loaded: number; total: number }) => void;
}

interface ArchLockFiles {
  lock: [string, string] | null;
  overrides: { scope: string; file: string; oid: string }[];
  /** The names and blob ids together: equal keys mean equal lock data for the arch. */
  key: string;
}

/** The lock files of one arch in a commit's root tree: its lockfile and the overrides that apply. */
function archLockFiles(repo: ConfigRepo, commit: Commit, arch: string): ArchLockFiles {
  const out: ArchLockFiles = { lock: null, overrides: [], key: '' };
  for (const e of repo.store.readTree(commit.tree)) {
    if (e.type !== 'blob' || !e.name.startsWith('manifest-lock.')) continue;
    const kind = classifyLockPath(e.name);
    if (!kind) continue;
    if (kind.kind === 'lockfile' && kind.arch === arch) {
      if (out.lock) throw new AppError('bad-file', `${out.lock[0]} and ${e.name} at ${commit.oid.slice(0, 12)}: keep only one lockfile per arch`, { commit: commit.oid });
      out.lock = [e.name, e.oid];
    } else if (kind.kind === 'overrides' && (kind.scope === 'all' || kind.scope === arch)) {
      out.overrides.push({ scope: kind.scope, file: e.name, oid: e.oid });
    } else continue;
    out.key += `${e.name}=${e.oid}\n`;
  }
  out.overrides.sort(overridesOrder);
  return out;
}

export class HistoryIndex {
  /** Blob reads done by the last build (for tests of incremental updates). */
  lastBuildCommits = 0;
  private readonly memo = new Map<string, IndexData>();

  constructor(
    private readonly repo: ConfigRepo,
    private readonly opts: HistoryOptions = {},
  ) {}

  private dir(arch: string): string {
    return path.join(this.repo.gitdir, 'lockstep', 'history', arch);
  }

  /** The index for a ref's commit and an arch, loaded, extended or built. */
  async index(ref: string, arch: string): Promise<IndexData> {
    if (!/^[A-Za-z0-9_]+$/.test(arch)) throw new AppError('bad-input', `invalid arch "${arch}": expected a name like x86_64`, { arch });
    const { oid: head } = await this.repo.resolve(ref);
    const memoKey = `${arch}:${head}`;
    const hit = this.memo.get(memoKey);
    if (hit) return hit;
    const useCache = this.opts.cache ?? true;
    let data: IndexData | null = useCache ? this.load(arch, head) : null;
    if (!data) {
      const base = useCache ? this.findAncestorIndex(arch, head) : null;
      data = this.build(arch, head, base);
      if (useCache) await this.save(data);
    }
    this.memo.set(memoKey, data);
    return data;
  }

  private load(arch: string, head: string): IndexData | null {
    try {
      const d = JSON.parse(fs.readFileSync(path.join(this.dir(arch), `${head}.json`), 'utf8')) as IndexData;
      return d.version === FORMAT_VERSION && d.head === head && d.arch === arch ? d : null;
    } catch {
      return null;
    }
  }

  /** A cached index whose head is on this head's first-parent chain. */
  private findAncestorIndex(arch: string, head: string): IndexData | null {
    let names: Set<string>;
    try {
      names = new Set(fs.readdirSync(this.dir(arch)).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)));
    } catch {
      return null;
    }
    if (names.size === 0) return null;
    let oid: string | undefined = head;
    while (oid) {
      if (names.has(oid)) return this.load(arch, oid);
      oid = this.repo.commit(oid).parents[0];
    }
    return null;
  }

  private async save(d: IndexData): Promise<void> {
    const dir = this.dir(d.arch);
    fs.mkdirSync(dir, { recursive: true });
    await writeFileAtomic(path.join(dir, `${d.head}.json`), JSON.stringify(d));
    const files = fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .map((n) => ({ n, t: fs.statSync(path.join(dir, n)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const f of files.slice(KEEP_PER_ARCH)) fs.rmSync(path.join(dir, f.n), { force: true });
  }

  /** Walks the first-parent chain from `head` back to the root (or to `base.head`). */
  private build(arch: string, head: string, baseIndex: IndexData | null): IndexData {
    const base = baseIndex;
    // Each commit is read and parsed once: the walk keeps them for the pass below.
    const chain: string[] = [];
    const commits = new Map<string, Commit>();
    for (let oid: string | undefined = head; oid && oid !== base?.head; ) {
      const c = this.repo.commit(oid);
      commits.set(oid, c);
      chain.push(oid);
      oid = c.parents[0];
    }
    chain.reverse();
    this.lastBuildCommits = chain.length;
    const onChain = new Set(chain);
    if (base) for (const c of base.commits) onChain.add(c[0]);
    const data: IndexData = base
      ? { ...base, head, commits: [...base.commits], changes: { ...base.changes }, final: { ...base.final }, sources: { ...base.sources } }
      : { version: FORMAT_VERSION, arch, head, commits: [], changes: {}, final: {}, finalKey: '', sources: {} };
    let prevKey = base ? base.finalKey : '';
    // States are plain strings (`evr\0arch`) and override marks live in a small side map:
    // the hot loop compares ~440 strings per changed commit and allocates little.
    let prevLock: LockEntries = Object.fromEntries(Object.entries(data.final).map(([n, [state]]) => [n, { evra: state }]));
    let prevOverlay = new Map<string, PackageState>();
    let prevMarks = new Map<string, [string, string]>(
      Object.entries(data.final)
        .filter(([, [, o, f]]) => o && f)
        .map(([n, [, o, f]]) => [n, [o!, f!]]),
    );
    const lockCache = new Map<string, LockEntries>();
    const overrideCache = new Map<string, OverrideFile>();
    const readLock = (name: string, oid: string, commit: string): LockEntries => {
      const got = lockCache.get(oid);
      if (got) return got;
      const states = this.fastLockStates(name, oid, commit, data.sources);
      if (lockCache.size > 2) lockCache.delete(lockCache.keys().next().value!);
      lockCache.set(oid, states);
      return states;
    };
    const readOverrides = (name: string, oid: string, commit: string): OverrideFile => {
      let got = overrideCache.get(oid);
      if (!got) {
        got = parseOverrides(this.repo.store.read(oid).data.toString('utf8'), { file: name, commit });
        overrideCache.set(oid, got);
      }
      return got;
    };
    chain.forEach((oid, i) => {
      const commit = commits.get(oid)!;
      const files = archLockFiles(this.repo, commit, arch);
      const lockName = files.lock?.[0] ?? null;
      const lockOid = files.lock?.[1] ?? '';
      const overrideFiles = files.overrides;
      const key = files.key;
      const idx = data.commits.length;
      data.commits.push([
        oid,
        formatGitDate(commit.committer),
        commit.author.name,
        commit.author.email,
        commit.message,
        commit.parents.length > 1 ? this.mergedCommits(commit.parents.slice(1), onChain) : [],
      ]);
      if (key === prevKey) return;
      const lock = lockName ? readLock(lockName, lockOid, oid) : EMPTY;
      // The parsed JSON objects are compared directly: no per-version map of ~440 entries.
      // Overrides go in a small overlay: no copy of the ~440-entry lock per commit.
      const overlay = new Map<string, PackageState>();
      const marks = new Map<string, [string, string]>();
      if (lockName && overrideFiles.length) {
        for (const f of overrideFiles) {
          for (const o of Object.values(readOverrides(f.file, f.oid, oid).entries)) {
            const curEntry = lock[o.name];
            if (curEntry === undefined) continue;
            const cur = entryState(curEntry);
            // An evr override keeps the arch of the entry it replaces.
            overlay.set(o.name, `${o.evr}.${o.arch ?? cur.slice(cur.lastIndexOf('.') + 1)}`);
            marks.set(o.name, [o.type ?? 'override', o.file]);
          }
        }
      }
      const push = (name: string, row: ChangeRow) => {
        let list = data.changes[name];
        if (!list || list === baseIndex?.changes[name]) list = data.changes[name] = list ? [...list] : [];
        list.push(row);
      };
      // The hot loop: ~440 packages for each of ~1,200 versions. Plain string compares, the
      // override maps consulted only when they hold anything.
      const names = Object.keys(lock);
      const hasOverlay = overlay.size > 0;
      const hadOverlay = prevOverlay.size > 0;
      for (let k = 0; k < names.length; k++) {
        const name = names[k];
        let state = entryState(lock[name]);
        if (hasOverlay) state = overlay.get(name) ?? state;
        const pe = prevLock[name];
        let before = pe === undefined ? undefined : entryState(pe);
        if (hadOverlay) before = prevOverlay.get(name) ?? before;
        if (before !== state) {
          const m = marks.get(name);
          push(name, [idx, state, m?.[0] ?? null, m?.[1] ?? null]);
        }
      }
      for (const name of Object.keys(prevLock)) if (lock[name] === undefined) push(name, [idx, '', null, null]);
      prevLock = lock;
      prevOverlay = overlay;
      prevMarks = marks;
      prevKey = key;
      if (i % 200 === 0) this.opts.onProgress?.({ phase: 'indexing history', loaded: i, total: chain.length });
    });
    data.final = Object.fromEntries(
      Object.entries(prevLock).map(([n, e]) => [n, [prevOverlay.get(n) ?? entryState(e), prevMarks.get(n)?.[0] ?? null, prevMarks.get(n)?.[1] ?? null]]),
    );
    data.finalKey = prevKey;
    return data;
  }

  /**
   * A lockfile's package states, straight from JSON.parse: the EVR parsing and validation of
   * parseLockfile cost more than the parse itself across a thousand versions. Shapes are still
   * checked, and an unknown one is an error naming file, commit and package.
   */
  private fastLockStates(name: string, oid: string, commit: string, sources: Record<string, string>): LockEntries {
    const kind = classifyLockPath(name);
    const data = this.repo.store.read(oid).data;
    // Lockfiles are ASCII: latin1 decodes them faster than utf8, to the same string.
    const text = isAscii(data) ? data.toString('latin1') : data.toString('utf8');
    const full = () => {
      const lf = parseLockfile(text, kind && kind.kind === 'lockfile' ? kind.arch : 'unknown', kind?.format ?? 'json', { file: name, commit });
      return Object.fromEntries(Object.entries(lf.packages).map(([n, e]) => [n, { evra: `${e.evr}.${e.arch}` }]));
    };
    if (kind?.kind !== 'lockfile' || kind.format !== 'json') return full();
    let doc: { packages?: unknown };
    try {
      doc = JSON.parse(text) as { packages?: unknown };
    } catch {
      return full();
    }
    const pkgs = doc?.packages;
    if (pkgs === null) return {};
    if (typeof pkgs !== 'object' || Array.isArray(pkgs)) return full();
    const entries = pkgs as Record<string, { evra?: unknown; metadata?: { sourcerpm?: unknown } }>;
    for (const n in entries) {
      const e = entries[n];
      const evra = e?.evra;
      // The full parser says exactly what is wrong, and where.
      if (typeof evra !== 'string' || evra.lastIndexOf('.') < evra.lastIndexOf('-')) return full();
      const src = e.metadata?.sourcerpm;
      if (typeof src === 'string' && sources[n] !== src) sources[n] = src;
    }
    return entries as LockEntries;
  }


  /** Commits a merge brought in: reachable from its other parents, not on the first-parent chain. */
  private mergedCommits(parents: string[], onChain: Set<string>): [string, string][] {
    const out: [string, string][] = [];
    const seen = new Set<string>();
    const queue = [...parents];
    while (queue.length && out.length < 200) {
      const oid = queue.shift()!;
      if (seen.has(oid) || onChain.has(oid)) continue;
      seen.add(oid);
      let c;
      try {
        c = this.repo.commit(oid);
      } catch {
        continue;
      }
      out.push([oid, c.message.split('\n')[0]]);
      queue.push(...c.parents);
    }
    return out;
  }

  /** Every change of one binary package's effective version, newest first. */
  async packageHistory(ref: string, arch: string, name: string): Promise<HistoryEntry[]> {
    // Without the on-disk index, one package is read straight from each lockfile version.
    if (this.opts.cache === false) return this.onePackage(ref, arch, name);
    const d = await this.index(ref, arch);
    return (d.changes[name] ?? []).map((row) => entryOf(d, row)).reverse();
  }

  /**
   * One package's history without building the whole index: each changed lockfile version is
   * searched for the package's entry (a string search, no JSON.parse of 55 kB), falling back to
   * the full parser whenever the text is not in the expected form.
   */
  private async onePackage(ref: string, arch: string, name: string): Promise<HistoryEntry[]> {
    if (!/^[A-Za-z0-9_]+$/.test(arch)) throw new AppError('bad-input', `invalid arch "${arch}": expected a name like x86_64`, { arch });
    const { oid: head } = await this.repo.resolve(ref);
    const chain: Commit[] = [];
    for (let oid: string | undefined = head; oid; ) {
      const c = this.repo.commit(oid);
      chain.push(c);
      oid = c.parents[0];
    }
    chain.reverse();
    const onChain = new Set(chain.map((c) => c.oid));
    const quoted = JSON.stringify(name);
    const keyRe = new RegExp(`${quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:\\s*\\{`, 'g');
    const lockState = new Map<string, PackageState>();
    const stateIn = (file: string, blob: string, commit: string): PackageState => {
      const hit = lockState.get(blob);
      if (hit !== undefined) return hit;
      const data = this.repo.store.read(blob).data;
      const text = isAscii(data) ? data.toString('latin1') : data.toString('utf8');
      let state: PackageState | null = null;
      keyRe.lastIndex = 0;
      const m = keyRe.exec(text);
      if (m && file.endsWith('.json')) {
        const evra = /^\s*"evra"\s*:\s*"([^"\\]*)"/.exec(text.slice(m.index + m[0].length, m.index + m[0].length + 400));
        // A second match (the name as another object's key) sends it to the full parser.
        if (evra && keyRe.exec(text) === null && evra[1].lastIndexOf('.') > evra[1].lastIndexOf('-')) state = entryState({ evra: evra[1] });
      } else if (!m && !text.includes(quoted)) {
        state = '';
      }
      if (state === null) {
        const kind = classifyLockPath(file);
        const lf = parseLockfile(text, kind && kind.kind === 'lockfile' ? kind.arch : arch, kind?.format ?? 'json', { file, commit });
        const e = lf.packages[name];
        state = e ? `${e.evr}.${e.arch}` : '';
      }
      lockState.set(blob, state);
      return state;
    };
    const overrideCache = new Map<string, OverrideFile>();
    const entries: HistoryEntry[] = [];
    let prevKey = '';
    let prev: PackageState = '';
    for (const commit of chain) {
      const { lock, overrides, key } = archLockFiles(this.repo, commit, arch);
      if (key === prevKey) continue;
      prevKey = key;
      let state = lock ? stateIn(lock[0], lock[1], commit.oid) : '';
      let mark: { type: string; file: string } | undefined;
      if (state !== '' && overrides.length) {
        for (const f of overrides) {
          let parsed = overrideCache.get(f.oid);
          if (!parsed) {
            parsed = parseOverrides(this.repo.store.read(f.oid).data.toString('utf8'), { file: f.file, commit: commit.oid });
            overrideCache.set(f.oid, parsed);
          }
          const o = parsed.entries[name];
          if (!o) continue;
          state = `${o.evr}.${o.arch ?? state.slice(state.lastIndexOf('.') + 1)}`;
          mark = { type: o.type ?? 'override', file: o.file };
        }
      }
      if (state === prev) continue;
      prev = state;
      const { evr, arch: a } = splitState(state);
      const e: HistoryEntry = { commit: commit.oid, date: formatGitDate(commit.committer), evr, arch: a, subject: commit.message.split('\n')[0], author: { name: commit.author.name, email: commit.author.email }, message: commit.message };
      if (commit.parents.length > 1) {
        const merged = this.mergedCommits(commit.parents.slice(1), onChain);
        if (merged.length) e.merged = merged.map(([c, subject]) => ({ commit: c, subject }));
      }
      if (mark) e.override = mark;
      entries.push(e);
    }
    return entries.reverse();
  }

  /** The histories of every binary of a source package, merged, newest first. */
  async sourceHistory(ref: string, arch: string, source: string): Promise<{ binaries: string[]; entries: (HistoryEntry & { name: string })[] }> {
    const d = await this.index(ref, arch);
    const binaries = Object.keys(d.changes)
      .filter((n) => (d.sources[n] ?? n) === source)
      .sort();
    const entries = binaries
      .flatMap((name) => d.changes[name].map((row) => ({ ...entryOf(d, row), name, idx: row[0] })))
      .sort((a, b) => b.idx - a.idx || (a.name < b.name ? -1 : 1))
      .map(({ idx: _idx, ...e }) => e);
    return { binaries, entries };
  }

  /** Source package of a binary, by the newest mapping the history has. */
  async sourceOf(ref: string, arch: string, name: string): Promise<string | null> {
    const d = await this.index(ref, arch);
    return d.sources[name] ?? (d.changes[name] ? name : null);
  }
}

function entryOf(d: IndexData, [idx, state, override, file]: ChangeRow): HistoryEntry {
  const [commit, date, name, email, message, merged] = d.commits[idx];
  const { evr, arch } = splitState(state);
  const e: HistoryEntry = { commit, date, evr, arch, subject: message.split('\n')[0], author: { name, email }, message };
  if (merged.length) e.merged = merged.map(([c, subject]) => ({ commit: c, subject }));
  if (override && file) e.override = { type: override, file };
  return e;
}
