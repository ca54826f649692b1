/**
 * A package's state in a version history: its effective `evr.arch` (the lockfile's own `evra`
 * form with a zero epoch dropped), or `''` when absent. A history walk compares states as
 * plain strings; the arch is the token after the last dot.
 */

export type PackageState = string;

export const stateOf = (evr: string | null, arch: string | null): PackageState => (evr === null ? '' : `${evr}.${arch}`);

export function splitState(s: PackageState): { evr: string | null; arch: string | null } {
  if (s === '') return { evr: null, arch: null };
  const i = s.lastIndexOf('.');
  return { evr: s.slice(0, i), arch: s.slice(i + 1) };
}
