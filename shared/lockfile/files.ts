/**
 * Which files of a config repo's root hold lock data, and what each one is.
 * Names follow coreos-assembler: `manifest-lock.<arch>.json|yaml` and
 * `manifest-lock.overrides[.<arch>].yaml|json`.
 */

import { AppError } from '../errors';

export type LockFormat = 'json' | 'yaml';

export type LockPath =
  | { kind: 'lockfile'; arch: string; format: LockFormat }
  | { kind: 'overrides'; scope: string; format: LockFormat };

const OVERRIDES_RE = /^manifest-lock\.overrides(?:\.([^.]+))?\.(json|yaml)$/;
const LOCKFILE_RE = /^manifest-lock\.([^.]+)\.(json|yaml)$/;
const NOT_ARCHES = new Set(['overrides', 'generated']);

/** Classifies a root-level file name; null when it is not lock data. */
export function classifyLockPath(name: string): LockPath | null {
  const o = OVERRIDES_RE.exec(name);
  if (o) return { kind: 'overrides', scope: o[1] ?? 'all', format: o[2] as LockFormat };
  const l = LOCKFILE_RE.exec(name);
  if (l && !NOT_ARCHES.has(l[1])) return { kind: 'lockfile', arch: l[1], format: l[2] as LockFormat };
  return null;
}

/**
 * The largest lock file Lockstep reads: 64 MiB. Real lockfiles are about 100 kB and a 32,000-entry
 * override file about 3 MB; past this the text would not fit the limits of a JavaScript string
 * (512 MiB) once parsed and copied, so it is refused by name rather than failing deep inside.
 */
export const LOCK_FILE_LIMIT = 64 * 1024 * 1024;

/** A clear refusal of a lock file over `LOCK_FILE_LIMIT`, naming it and its commit. */
export function lockFileTooBig(size: number, file: string, commit?: string): AppError | null {
  if (size <= LOCK_FILE_LIMIT) return null;
  const where = commit ? ` at ${commit.slice(0, 12)}` : '';
  return new AppError('bad-file', `${file}${where} is ${(size / 1048576).toFixed(0)} MiB, more than the ${LOCK_FILE_LIMIT / 1048576} MiB Lockstep reads in a lock file; is it a lock file?`, { file, ...(commit ? { commit } : {}), size, limit: LOCK_FILE_LIMIT });
}

/** True when a file name is any lock data file (what makes a branch a stream). */
export function isLockPath(name: string): boolean {
  return name.startsWith('manifest-lock.') && classifyLockPath(name) !== null;
}

/** File name of an arch's lockfile in its current form. */
export const lockfileName = (arch: string): string => `manifest-lock.${arch}.json`;

/** File name of the override file for a scope (`all` or an arch), current form. */
export const overridesName = (scope: string): string =>
  scope === 'all' ? 'manifest-lock.overrides.yaml' : `manifest-lock.overrides.${scope}.yaml`;

/**
 * Order in which override files apply: all-arch before per-arch, YAML before JSON
 * within a scope (coreos-assembler passes them to rpm-ostree in that order).
 */
export function overridesOrder(a: { scope: string; file: string }, b: { scope: string; file: string }): number {
  const rank = (x: { scope: string; file: string }) =>
    (x.scope === 'all' ? 0 : 2) + (x.file.endsWith('.json') ? 1 : 0);
  return rank(a) - rank(b) || (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0);
}
