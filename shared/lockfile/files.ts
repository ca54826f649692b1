/**
 * Which files of a config repo's root hold lock data, and what each one is.
 * Names follow coreos-assembler: `manifest-lock.<arch>.json|yaml` and
 * `manifest-lock.overrides[.<arch>].yaml|json`.
 */

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
