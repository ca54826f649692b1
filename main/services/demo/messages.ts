/**
 * Commit messages of the bot's bumps, named the way the real bot names what moved.
 */
import { LOCK_ARCHES as ARCHES } from '../../../shared/rpm/arches';
import type { LockPkgs } from './lockfiles';
import type { Arch } from './tree-files';

/** The body of a bump commit: what moved, per source package. */
export function bumpBody(before: Record<Arch, LockPkgs>, after: Record<Arch, LockPkgs>): string[] {
  const evrOf = (evra: string) => evra.slice(0, evra.lastIndexOf('.'));
  const archOf = (evra: string) => evra.slice(evra.lastIndexOf('.') + 1);
  const updated = new Map<string, string>();
  const added = new Map<string, string>();
  const removed = new Map<string, string>();
  for (const arch of ARCHES) {
    const a = before[arch];
    const b = after[arch];
    for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const x = a[name];
      const y = b[name];
      if (x && y && x.evra === y.evra) continue;
      const src = (y ?? x).src;
      if (!x) {
        if (!added.has(src) || name === src) added.set(src, `${name} ${evrOf(y.evra)}`);
      } else if (!y) {
        if (!removed.has(src) || name === src) removed.set(src, `${name} ${evrOf(x.evra)}`);
      } else if (evrOf(x.evra) === evrOf(y.evra)) {
        if (!updated.has(src)) updated.set(src, `${name} ${evrOf(y.evra)}: ${archOf(x.evra)} -> ${archOf(y.evra)}`);
      } else if (!updated.has(src) || name === src) {
        updated.set(src, `${name} ${evrOf(x.evra)} -> ${evrOf(y.evra)}`);
      }
    }
  }
  const section = (title: string, m: Map<string, string>) =>
    m.size ? [`${title}:`, ...[...m.keys()].sort().map((k) => `  ${m.get(k)}`)] : [];
  const out = [...section('Updated', updated), ...section('Added', added), ...section('Removed', removed)];
  return out;
}
