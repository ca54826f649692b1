/**
 * The Overrides board: every override of every stream and every open draft on one page, with
 * what a maintainer checks across them: is the override inert on an arch (its package is not in
 * that arch's lockfile), redundant (a fast-track the base lockfile has passed on every arch it
 * applies to), graduated (the graduation cache says so); and flags: two open drafts touching one
 * package of a stream (conflict), a fast-track on one development stream and not its peer, and an
 * arch file override on some of the arches that lock the package but not the others.
 */
import type { GraduationStatus } from './graduation';
import type { Snapshot } from './lockfile/types';
import { compareEvr } from './rpm/nevra';
import { compareStreamNames } from './streams';

/** Development streams that usually carry the same fast-tracks (a fix needed on one is needed on the other). */
export const FAST_TRACK_PEERS: readonly (readonly [string, string])[] = [['testing-devel', 'next-devel']];

export interface BoardStreamInput {
  stream: string;
  head: string;
  snapshot: Snapshot;
  /** The graduation cache's answer per override name and file (null when not checked). */
  graduation?: readonly { name: string; file: string; status: GraduationStatus }[] | null;
  /** The commit that gave each override its present version, by `addedKey(file, name)` (read from the repo). */
  added?: ReadonlyMap<string, OverrideAdded>;
}

/** The commit that gave an override its present version, and that commit's date (ISO): its age counts from there. */
export interface OverrideAdded {
  commit: string;
  date: string;
}

/** The key of one override file's entry in `BoardStreamInput.added`. */
export const addedKey = (file: string, name: string): string => `${file}\0${name}`;

export interface BoardDraftInput {
  branch: string;
  stream: string;
  type: string;
  /** The binaries it writes (all-arch and per-arch entries). */
  packages: readonly string[];
  state: string;
  stale: boolean;
}

export type BoardFlag =
  | { kind: 'conflict'; drafts: string[] }
  | { kind: 'stream-asymmetry'; missingOn: string }
  | { kind: 'arch-asymmetry'; only: string[]; alsoLockedOn: string[] };

export interface BoardOverride {
  stream: string;
  name: string;
  /** `metadata.type` as written, or null. */
  type: string | null;
  evr: string;
  /** `all` for the all-arch file, else the arch. */
  scope: string;
  file: string;
  reason: string | null;
  bodhi: string | null;
  /** Arches whose lockfile lacks the package: the override constrains nothing there. */
  inertOn: string[];
  /** A fast-track whose version every base lockfile it applies to has passed. */
  redundant: boolean;
  graduation: GraduationStatus | null;
  /** Null when the repo could not tell (not asked). */
  added: OverrideAdded | null;
  flags: BoardFlag[];
}

export interface BoardDraft extends BoardDraftInput {
  flags: BoardFlag[];
}

export interface OverridesBoard {
  streams: { stream: string; head: string }[];
  overrides: BoardOverride[];
  drafts: BoardDraft[];
}

/** Drafts that are no longer open do not conflict with anything. */
const CLOSED = new Set(['cancelled']);

/** The board's rows and flags, streams in their listed order, overrides by name then scope. */
export function overridesBoard(streams: readonly BoardStreamInput[], drafts: readonly BoardDraftInput[]): OverridesBoard {
  const ordered = [...streams].sort((a, b) => compareStreamNames(a.stream, b.stream));
  const byStream = new Map(ordered.map((s) => [s.stream, s]));
  const overrides: BoardOverride[] = [];
  for (const s of ordered) {
    const arches = Object.keys(s.snapshot.lockfiles).sort();
    for (const file of s.snapshot.overrides) {
      for (const e of Object.values(file.entries)) {
        const applies = file.scope === 'all' ? arches : arches.filter((a) => a === file.scope);
        const locked = applies.filter((a) => s.snapshot.lockfiles[a].packages[e.name]);
        const inertOn = file.scope === 'all' ? applies.filter((a) => !locked.includes(a)) : locked.length ? [] : [file.scope];
        const redundant = e.type === 'fast-track' && locked.length > 0 && locked.every((a) => compareEvr(s.snapshot.lockfiles[a].packages[e.name].evr, e.evr) > 0);
        const grad = s.graduation?.find((g) => g.name === e.name && g.file === file.file)?.status ?? null;
        overrides.push({ stream: s.stream, name: e.name, type: e.type, evr: e.evr, scope: file.scope, file: file.file, reason: e.reason ?? null, bodhi: e.bodhi ?? null, inertOn, redundant, graduation: grad, added: s.added?.get(addedKey(file.file, e.name)) ?? null, flags: [] });
      }
    }
  }

  // A fast-track on one development stream and not on its peer (when the peer locks the package).
  for (const o of overrides) {
    if (o.type !== 'fast-track') continue;
    for (const pair of FAST_TRACK_PEERS) {
      const peer = pair[0] === o.stream ? pair[1] : pair[1] === o.stream ? pair[0] : null;
      const other = peer ? byStream.get(peer) : undefined;
      if (!peer || !other) continue;
      const lockedThere = Object.values(other.snapshot.lockfiles).some((l) => l.packages[o.name]);
      const fastTracked = overrides.some((x) => x.stream === peer && x.name === o.name && x.type === 'fast-track');
      if (lockedThere && !fastTracked) o.flags.push({ kind: 'stream-asymmetry', missingOn: peer });
    }
  }

  // An arch file override on some arches that lock the package, but not on the others.
  for (const s of ordered) {
    const archOverrides = overrides.filter((o) => o.stream === s.stream && o.scope !== 'all');
    for (const name of new Set(archOverrides.map((o) => o.name))) {
      if (overrides.some((o) => o.stream === s.stream && o.scope === 'all' && o.name === name)) continue;
      const only = [...new Set(archOverrides.filter((o) => o.name === name).map((o) => o.scope))].sort();
      const alsoLockedOn = Object.keys(s.snapshot.lockfiles)
        .filter((a) => !only.includes(a) && s.snapshot.lockfiles[a].packages[name])
        .sort();
      if (alsoLockedOn.length === 0) continue;
      for (const o of archOverrides) if (o.name === name) o.flags.push({ kind: 'arch-asymmetry', only, alsoLockedOn });
    }
  }

  // Two open drafts of one stream touching one package: each names the others, and so does the override.
  const open = drafts.filter((d) => !CLOSED.has(d.state));
  const boardDrafts: BoardDraft[] = drafts.map((d) => ({ ...d, packages: [...d.packages], flags: [] }));
  for (const d of boardDrafts) {
    if (CLOSED.has(d.state)) continue;
    const others = open.filter((x) => x.branch !== d.branch && x.stream === d.stream && x.packages.some((p) => d.packages.includes(p))).map((x) => x.branch);
    if (others.length) d.flags.push({ kind: 'conflict', drafts: others.sort() });
  }
  for (const o of overrides) {
    const touching = open.filter((d) => d.stream === o.stream && d.packages.includes(o.name)).map((d) => d.branch);
    if (touching.length > 1) o.flags.push({ kind: 'conflict', drafts: touching.sort() });
  }

  overrides.sort((a, b) => compareStreamNames(a.stream, b.stream) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.scope === 'all' ? -1 : b.scope === 'all' ? 1 : a.scope < b.scope ? -1 : 1));
  boardDrafts.sort((a, b) => compareStreamNames(a.stream, b.stream) || (a.branch < b.branch ? -1 : 1));
  return { streams: ordered.map((s) => ({ stream: s.stream, head: s.head })), overrides, drafts: boardDrafts };
}

/** A flag in words, for the board and the CLI. */
export function flagText(f: BoardFlag): string {
  switch (f.kind) {
    case 'conflict':
      return `conflict: drafts ${f.drafts.join(', ')} touch it`;
    case 'stream-asymmetry':
      return `not fast-tracked on ${f.missingOn}`;
    case 'arch-asymmetry':
      return `only for ${f.only.join(', ')}; also locked on ${f.alsoLockedOn.join(', ')}`;
  }
}

const DAY_MS = 86_400_000;

/** An override's age in words: whole days from the commit that gave it its version to `now` (epoch ms). */
export function ageText(added: OverrideAdded, now: number): string {
  const days = Math.max(0, Math.floor((now - Date.parse(added.date)) / DAY_MS));
  return days === 0 ? 'today' : days === 1 ? '1 day' : `${days} days`;
}
