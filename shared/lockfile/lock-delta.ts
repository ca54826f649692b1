/**
 * A lockfile version read from the version before it. On a long history the index reads about
 * 33,000 versions of one 55 kB lockfile per stream, and the bot's bumps change a few of its
 * 440 entries each time: scanning every entry again, building a Map of them and comparing the
 * two Maps was most of the build. Here the two texts' bytes are compared natively, in runs of
 * entries that double while they stay equal, and only the entries that differ are read. Names
 * and their order must stay: an added, removed, renamed or reordered entry, a change anywhere
 * before the first entry, anything unusual in a changed entry, and any byte outside ASCII make
 * it step aside (null), and the caller reads the text in full (`readLockVersion`), which also
 * gives the located error of a malformed file.
 */
import { own } from '../records';
import { classifyLockPath } from './files';
import { lockStatesViaJson, readEntryAt, readLockStates, scanLockJson, scanLockTail, type LockEvras } from './lock-states';

/** Where a version's entries begin, in file order; the last start is where the packages object ends (its space included). */
export interface LockLayout {
  starts: Int32Array;
  names: readonly string[];
}

/** A lockfile's entries, read only: a Map, or a version's changes over one. */
export type LockEntries = Pick<LockEvras, 'get' | 'has' | 'keys' | 'size'>;

/**
 * A version's entries as the changes since a full Map: copying 440 entries for each of 33,000
 * versions was a tenth of the build and much of its garbage. Its names are the base's.
 */
class ChangedEntries implements LockEntries {
  constructor(
    private readonly base: LockEvras,
    private readonly changes: Map<string, string>,
  ) {}

  /** `entries` with these changes: over its base while they are few, else as a Map of its own. */
  static of(entries: LockEntries, changes: [string, string][]): LockEntries {
    const base = entries instanceof ChangedEntries ? entries.base : (entries as LockEvras);
    const merged = new Map(entries instanceof ChangedEntries ? entries.changes : undefined);
    for (const [n, e] of changes) merged.set(n, e);
    if (merged.size <= MAX_CHANGES) return new ChangedEntries(base, merged);
    const full = new Map(base);
    for (const [n, e] of merged) full.set(n, e);
    return full;
  }

  get(name: string): string | undefined {
    return this.changes.get(name) ?? this.base.get(name);
  }

  has(name: string): boolean {
    return this.base.has(name);
  }

  keys(): IterableIterator<string> {
    return this.base.keys();
  }

  get size(): number {
    return this.base.size;
  }
}
const MAX_CHANGES = 64;

export interface LockVersion {
  data: Uint8Array;
  evras: LockEntries;
  /** Only for an ASCII text of the usual shape with at least one entry. */
  layout: LockLayout | null;
}

/** What the byte work runs on: the platform's native compares and decoding (`shared/` has neither). */
export interface LockBytes {
  /** a[aFrom, aTo) equals b[bFrom, bFrom + aTo - aFrom), which is within b. */
  same(a: Uint8Array, aFrom: number, aTo: number, b: Uint8Array, bFrom: number): boolean;
  /** The bytes [from, to) as a string when every one is ASCII, else null. */
  ascii(a: Uint8Array, from: number, to: number): string | null;
  /** The bytes as UTF-8 text. */
  utf8(a: Uint8Array): string;
}

type Ctx = { file: string; commit?: string };

/** A version read in full: its states (`readLockStates`), and its layout when `lock-delta` can follow it. */
export function readLockVersion(data: Uint8Array, ctx: Ctx, known: Readonly<Record<string, string>>, bytes: LockBytes): { version: LockVersion; sources: [string, string][] } {
  const text = bytes.ascii(data, 0, data.length);
  const kind = classifyLockPath(ctx.file);
  if (text !== null && kind?.kind === 'lockfile' && kind.format === 'json') {
    const starts: number[] = [];
    const scanned = scanLockJson(text, known, starts);
    if (scanned) {
      const layout = scanned.evras.size ? { starts: Int32Array.from(starts), names: [...scanned.evras.keys()] } : null;
      return { version: { data, evras: scanned.evras, layout }, sources: scanned.sources };
    }
    // Not the usual shape: straight to the JSON.parse reader (readLockStates would scan it again).
    const got = lockStatesViaJson(text, ctx, known);
    return { version: { data, evras: got.evras, layout: null }, sources: got.sources };
  }
  const got = readLockStates(text ?? bytes.utf8(data), ctx, known);
  return { version: { data, evras: got.evras, layout: null }, sources: got.sources };
}

/** Equal runs of entries are compared this many at a time first, doubling while they match. */
const RUN = 16;

/**
 * The version `data` from `prev`, the same lockfile's version before it: its states, the
 * names whose evra changed, and (as `readLockStates` gives them) the sources of the entries
 * read that differ from `known`. Null when it cannot be read this way (see the top).
 */
export function nextLockVersion(prev: LockVersion, data: Uint8Array, known: Readonly<Record<string, string>>, bytes: LockBytes): { version: LockVersion; changed: string[]; sources: [string, string][] } | null {
  const layout = prev.layout;
  if (!layout) return null;
  const { starts, names } = layout;
  const n = names.length;
  const p = prev.data;
  if (data.length < starts[0] || !bytes.same(p, 0, starts[0], data, 0)) return null;
  const next = new Int32Array(n + 1);
  const changed: string[] = [];
  const sources: [string, string][] = [];
  const changes: [string, string][] = [];
  let shift = 0;
  for (let i = 0, run = RUN; i < n; ) {
    const j = Math.min(n, i + run);
    if (starts[j] + shift <= data.length && bytes.same(p, starts[i], starts[j], data, starts[i] + shift)) {
      for (let k = i; k < j; k++) next[k] = starts[k] + shift;
      i = j;
      run *= 2;
      continue;
    }
    if (j - i > 1) {
      run = (j - i) >> 1;
      continue;
    }
    // Entry i differs. Read it from a window around its old length: an entry cut by the window
    // fails to match, or ends in space that the next entry's compare then refuses.
    const at = starts[i] + shift;
    const text = bytes.ascii(data, at, Math.min(data.length, at + 2 * (starts[i + 1] - starts[i]) + 1024));
    const e = text === null ? null : readEntryAt(text, 0);
    if (!e || e.name !== names[i] || e.last !== (i === n - 1) || e.evra.lastIndexOf('.') < e.evra.lastIndexOf('-')) return null;
    next[i] = at;
    shift = at + e.end - starts[i + 1];
    if (prev.evras.get(e.name) !== e.evra) {
      changes.push([e.name, e.evra]);
      changed.push(e.name);
    }
    if (e.source !== undefined && own(known, e.name) !== e.source) sources.push([e.name, e.source]);
    i++;
    run = RUN;
  }
  next[n] = starts[n] + shift;
  // What follows the packages (the repos' generated dates) changes with most versions: checked, not read.
  const tailLength = p.length - starts[n];
  if (data.length - next[n] !== tailLength || !bytes.same(p, starts[n], p.length, data, next[n])) {
    const tail = bytes.ascii(data, next[n], data.length);
    if (tail === null || !scanLockTail(tail)) return null;
  }
  return { version: { data, evras: changes.length ? ChangedEntries.of(prev.evras, changes) : prev.evras, layout: { starts: next, names } }, changed, sources };
}
