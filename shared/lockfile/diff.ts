/**
 * Diff of two effective locks: added, removed, upgraded, downgraded (rpm ordering, not string
 * order) and arch changes (same EVR, new arch, e.g. x86_64 -> noarch), grouped by source package.
 */
import { nameRecord, own } from '../records';
import { compareEvr } from '../rpm/nevra';
import { effectiveLock } from './effective';
import { snapshotArches, sortArches } from './snapshot';
import type { EffectiveEntry, EffectiveLock, OverrideEntry, OverrideFile, Snapshot } from './types';
import type { DeepReadonly } from '../../shared/readonly';

export type ChangeKind = 'added' | 'removed' | 'upgraded' | 'downgraded' | 'arch_changed';
export const CHANGE_KINDS: readonly ChangeKind[] = ['added', 'removed', 'upgraded', 'downgraded', 'arch_changed'];

/** How each kind of change reads in the UI and in exports. */
export const KIND_LABEL: Readonly<Record<ChangeKind, string>> = {
  upgraded: 'upgraded',
  downgraded: 'downgraded',
  added: 'added',
  removed: 'removed',
  arch_changed: 'arch changed',
};

export interface PackageChange {
  name: string;
  kind: ChangeKind;
  /** Source package name (from `metadata.sourcerpm`, else the history's mapping, else the name). */
  source: string;
  from?: EffectiveEntry;
  to?: EffectiveEntry;
}

export interface ArchDiff {
  arch: string;
  changes: PackageChange[];
  counts: Record<ChangeKind, number>;
  /** Whether each side has a lockfile for this arch. */
  fromHasLockfile: boolean;
  toHasLockfile: boolean;
  /** Overrides that constrain nothing on this arch, per side. */
  inertFrom: OverrideEntry[];
  inertTo: OverrideEntry[];
  /** Packages unchanged between the sides whose version an override decides on either side. */
  overridden: string[];
}

export interface SnapshotDiffOptions {
  /** Arches to diff; default every arch either side has. */
  arches?: string[];
  /** Apply overrides (default true); false diffs the lockfiles alone. */
  overrides?: boolean;
  /** Binary -> source package names for lockfiles that lack `metadata.sourcerpm`. */
  sourceMap?: Record<string, string>;
  /** Only these packages (the rest are known to be the same on both sides). */
  names?: ReadonlySet<string>;
}

const emptyCounts = (): Record<ChangeKind, number> => ({
  added: 0,
  removed: 0,
  upgraded: 0,
  downgraded: 0,
  arch_changed: 0,
});

/** Diffs two effective locks of one arch. */
export function diffLocks(a: EffectiveLock, b: EffectiveLock, sourceMap: Record<string, string> = {}): ArchDiff {
  const changes: PackageChange[] = [];
  const overridden: string[] = [];
  const names = new Set([...Object.keys(a.packages), ...Object.keys(b.packages)]);
  const sourceOf = (name: string, x?: EffectiveEntry, y?: EffectiveEntry) =>
    y?.sourcerpm ?? x?.sourcerpm ?? own(sourceMap, name) ?? name;
  for (const name of [...names].sort()) {
    const from = own(a.packages, name);
    const to = own(b.packages, name);
    let kind: ChangeKind | null = null;
    if (!from) kind = 'added';
    else if (!to) kind = 'removed';
    else {
      const c = compareEvr(from.evr, to.evr);
      if (c < 0) kind = 'upgraded';
      else if (c > 0) kind = 'downgraded';
      else if (from.arch !== to.arch) kind = 'arch_changed';
    }
    if (kind) {
      const change: PackageChange = { name, kind, source: sourceOf(name, from, to) };
      if (from) change.from = from;
      if (to) change.to = to;
      changes.push(change);
    } else if (from?.override || to?.override) {
      overridden.push(name);
    }
  }
  const counts = emptyCounts();
  for (const c of changes) counts[c.kind]++;
  return {
    arch: b.arch,
    changes,
    counts,
    fromHasLockfile: a.hasLockfile,
    toHasLockfile: b.hasLockfile,
    inertFrom: a.inert,
    inertTo: b.inert,
    overridden,
  };
}

/** Diffs two commits' lock data, arch by arch. */
export function diffSnapshots(a: Snapshot, b: Snapshot, opts: SnapshotDiffOptions = {}): ArchDiff[] {
  const arches = opts.arches ?? sortArches([...new Set([...snapshotArches(a), ...snapshotArches(b)])]);
  const applyOverrides = opts.overrides ?? true;
  const sourceMap = nameRecord([...Object.entries(opts.sourceMap ?? {}), ...Object.entries(sourceMapOf(a, opts.names)), ...Object.entries(sourceMapOf(b, opts.names))]);
  return arches.map((arch) =>
    diffLocks(effectiveLock(a, arch, applyOverrides, opts.names), effectiveLock(b, arch, applyOverrides, opts.names), sourceMap),
  );
}

/**
 * What a draft changes: the diff of its base and its result. When the result shares every
 * lockfile with the base (the same parsed objects, as `withFiles` keeps them), only the
 * packages whose override entries differ can change, and only those are compared.
 */
export function draftEffect(base: Snapshot, result: Snapshot, changed?: Iterable<string>): ArchDiff[] {
  // A planned draft knows the names it changed; a raw edit's are found by comparing entries.
  const names = changed && sameLockfiles(base, result) ? new Set(changed) : changedOverrideNames(base, result);
  return diffSnapshots(base, result, names ? { names } : {});
}

function sameLockfiles(a: Snapshot, b: Snapshot): boolean {
  const arches = new Set([...Object.keys(a.lockfiles), ...Object.keys(b.lockfiles)]);
  for (const arch of arches) if (own(a.lockfiles, arch) !== own(b.lockfiles, arch)) return false;
  return true;
}

/** Names whose override entries differ between two snapshots with the same lockfiles; null when a lockfile differs. */
function changedOverrideNames(a: Snapshot, b: Snapshot): Set<string> | null {
  if (!sameLockfiles(a, b)) return null;
  const names = new Set<string>();
  const files = new Map<string, [OverrideFile | undefined, OverrideFile | undefined]>();
  for (const f of a.overrides) files.set(f.file, [f, undefined]);
  for (const f of b.overrides) files.set(f.file, [files.get(f.file)?.[0], f]);
  const same = (x: OverrideEntry | undefined, y: OverrideEntry | undefined) =>
    !!x && !!y && x.evr === y.evr && x.arch === y.arch && x.type === y.type && x.file === y.file;
  for (const [from, to] of files.values()) {
    if (from === to) continue;
    for (const n of Object.keys(from?.entries ?? {})) if (!same(own(from?.entries, n), own(to?.entries, n))) names.add(n);
    for (const n of Object.keys(to?.entries ?? {})) if (!same(own(from?.entries, n), own(to?.entries, n))) names.add(n);
  }
  return names;
}

/** Binary -> source package names recorded in a snapshot's lockfiles. */
export function sourceMapOf(s: Snapshot, names?: ReadonlySet<string>): Record<string, string> {
  const map = nameRecord<string>();
  for (const lf of Object.values(s.lockfiles)) {
    if (names) {
      for (const name of names) {
        const e = own(lf.packages, name);
        if (e?.sourcerpm) map[name] = e.sourcerpm;
      }
    } else for (const [name, e] of Object.entries(lf.packages)) if (e.sourcerpm) map[name] = e.sourcerpm;
  }
  return map;
}

/** The CLI's JSON form of a diff: `{arch: {added, removed, upgraded, downgraded, arch_changed}}`. */
export function diffToJson(diffs: DeepReadonly<ArchDiff[]>): Record<string, Record<ChangeKind, Record<string, unknown>>> {
  const out = nameRecord<Record<ChangeKind, Record<string, unknown>>>();
  for (const d of diffs) {
    const r: Record<ChangeKind, Record<string, unknown>> = {
      added: nameRecord(),
      removed: nameRecord(),
      upgraded: nameRecord(),
      downgraded: nameRecord(),
      arch_changed: nameRecord(),
    };
    for (const c of d.changes) {
      if (c.kind === 'added') r.added[c.name] = c.to!.evr;
      else if (c.kind === 'removed') r.removed[c.name] = c.from!.evr;
      else if (c.kind === 'arch_changed') r.arch_changed[c.name] = [c.from!.arch, c.to!.arch];
      else r[c.kind][c.name] = [c.from!.evr, c.to!.evr];
    }
    out[d.arch] = r;
  }
  return out;
}

export interface SourceGroup {
  source: string;
  changes: PackageChange[];
}

/** Groups changes by source package, sources sorted by name. */
export function groupBySource(changes: PackageChange[]): SourceGroup[] {
  const groups = new Map<string, PackageChange[]>();
  for (const c of changes) {
    const g = groups.get(c.source);
    if (g) g.push(c);
    else groups.set(c.source, [c]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([source, cs]) => ({ source, changes: cs }));
}
