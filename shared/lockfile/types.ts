/**
 * Domain types of the config repo's lock data. EVR strings are always normalized:
 * a zero epoch is omitted (`1.2-3.fc40`, `2:1.0-1.fc40`).
 */

/** One package of an arch's lockfile (`manifest-lock.<arch>.json`). */
export interface LockEntry {
  evr: string;
  /** The package's arch (`x86_64`, `noarch`...). */
  arch: string;
  /** Source package *name* (`metadata.sourcerpm`), when the lockfile records it. */
  sourcerpm?: string;
  digest?: string;
}

/** A parsed lockfile of one arch at one commit. */
export interface Lockfile {
  arch: string;
  /** The file's path in the repo. */
  file: string;
  packages: Record<string, LockEntry>;
  /** Top-level metadata when present (`generated`, `rpmmd_repos`). */
  metadata?: { generated?: string; [key: string]: unknown };
}

/** The override types of the repo's conventions; anything else is kept as written. */
export type OverrideType = 'pin' | 'fast-track';

/** One entry of an override file. */
export interface OverrideEntry {
  name: string;
  evr: string;
  /** Set when the entry is written as `evra`; null for `evr` (keeps the replaced entry's arch). */
  arch: string | null;
  /** `metadata.type` as written; null when absent. */
  type: string | null;
  reason?: string;
  bodhi?: string;
  /** The override file this entry comes from. */
  file: string;
}

/** A parsed override file. `scope` is `all` for the all-arch file, else the arch. */
export interface OverrideFile {
  file: string;
  scope: string;
  entries: Record<string, OverrideEntry>;
}

/** The lock data of one commit: every arch's lockfile and every override file. */
export interface Snapshot {
  commit: string;
  lockfiles: Record<string, Lockfile>;
  /** In application order: all-arch YAML, all-arch JSON, then per arch YAML before JSON. */
  overrides: OverrideFile[];
}

/** Where an effective entry's version comes from. */
export interface OverrideMark {
  file: string;
  type: string | null;
}

/** One package of an effective lock. */
export interface EffectiveEntry {
  evr: string;
  arch: string;
  sourcerpm?: string;
  /** Set when an override decided this entry's version. */
  override?: OverrideMark;
}

/** The lock rpm-ostree would use for one arch: lockfile plus applied overrides. */
export interface EffectiveLock {
  arch: string;
  /** False when the arch has no lockfile at this commit (then `packages` is empty). */
  hasLockfile: boolean;
  packages: Record<string, EffectiveEntry>;
  /** Overrides naming a package this arch's lockfile lacks: they constrain nothing here. */
  inert: OverrideEntry[];
}
