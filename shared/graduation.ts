/**
 * Graduation: a fast-track is removed once the distro's stable update repositories carry its
 * version or newer. Offline, only a base lockfile strictly newer than the override tells
 * (lockfile bumps apply overrides, so the base equals the override while it exists). Pins
 * never graduate by themselves. With neither, the answer is "unknown", never a guess.
 */
import type { Snapshot } from './lockfile/types';
import { nameRecord, own } from './records';
import { compareEvr } from './rpm/nevra';
import { isReleaseStream } from './streams';

export type GraduationStatus = 'graduated' | 'not-yet' | 'unknown';

export interface GraduationRow {
  name: string;
  evr: string;
  status: GraduationStatus;
  source: 'repo-metadata' | 'base-newer' | null;
  /** When the repo metadata used was fetched (ISO), or null. */
  checked: string | null;
  /** The newest version the repos (or the base lockfile) carry, when known. */
  available?: string;
  file: string;
}

/** One stream's graduation answer in the all-streams view. */
export interface StreamGraduation {
  stream: string;
  /** The distro release of the stream's lockfile (`$releasever`), when known. */
  release: number | null;
  rows: GraduationRow[];
  /** True when the repo metadata was read just now; false when the cache (or nothing) answered. */
  online: boolean;
  /** Why the repos could not be read, or why the stream could not be checked. */
  error: string | null;
  /** Removal drafts already made for this stream and not yet merged (their branches). */
  drafts: string[];
}

/** The result of drafting the removals over every stream: per stream, the draft made or why none. */
export interface GraduationDraftResult {
  stream: string;
  branch: string | null;
  /** How many overrides the draft removes. */
  removed: number;
  /** Why no draft was made: nothing graduated, a removal draft exists, or the error met. */
  skipped: string | null;
}

/** name -> newest EVR the stable update repos carry, with when it was read. */
export interface RepoVersions {
  fetched: string;
  versions: Record<string, string>;
}

/** Classifies every fast-track of a stream head. */
export function graduation(head: Snapshot, repos: RepoVersions | null): GraduationRow[] {
  const rows: GraduationRow[] = [];
  const seen = new Set<string>();
  // The last file wins for a package, as in the effective lock.
  for (const file of [...head.overrides].reverse()) {
    for (const o of Object.values(file.entries)) {
      if (o.type !== 'fast-track' || seen.has(o.name)) continue;
      seen.add(o.name);
      const base = Object.values(head.lockfiles)
        .map((lf) => own(lf.packages, o.name)?.evr)
        .filter((e): e is string => !!e);
      const repo = own(repos?.versions, o.name);
      if (repo && compareEvr(repo, o.evr) >= 0) {
        rows.push({ name: o.name, evr: o.evr, status: 'graduated', source: 'repo-metadata', checked: repos!.fetched, available: repo, file: file.file });
      } else if (base.length && base.every((b) => compareEvr(b, o.evr) > 0)) {
        rows.push({ name: o.name, evr: o.evr, status: 'graduated', source: 'base-newer', checked: repos?.fetched ?? null, available: base[0], file: file.file });
      } else if (repos) {
        rows.push({ name: o.name, evr: o.evr, status: 'not-yet', source: 'repo-metadata', checked: repos.fetched, available: repo, file: file.file });
      } else {
        rows.push({ name: o.name, evr: o.evr, status: 'unknown', source: null, checked: null, file: file.file });
      }
    }
  }
  return rows.sort((a, b) => (a.name < b.name ? -1 : 1));
}


/**
 * Where a stream's graduation answer comes from, in words true to the last check: read just now,
 * or the time of the last check whose answer the cache holds (never "offline" for an answer an
 * online check gave a moment ago).
 */
export function graduationSourceNote(g: Pick<StreamGraduation, 'online'> & { rows: readonly Pick<GraduationRow, 'checked'>[] }): string {
  if (g.online) return 'repo metadata read just now';
  const checked = g.rows.find((x) => x.checked)?.checked;
  if (checked) return `repo metadata from the last check, ${checked.slice(0, 16).replace('T', ' ')} UTC`;
  return 'never checked online: only a newer base lockfile can tell';
}

/** The streams a graduation draft goes to: the release streams, others (old rhcos-4.x branches) only when asked. */
export function graduationTargets<T extends { stream: string }>(candidates: readonly T[], withOthers: boolean): T[] {
  return candidates.filter((g) => withOthers || isReleaseStream(g.stream));
}
