/**
 * The effective lock: what rpm-ostree locks for one arch. Start from the arch's lockfile,
 * apply the all-arch overrides, then the arch's own (YAML before JSON); a later file replaces
 * a package's whole entry. Overrides constrain, they do not install: one naming a package the
 * lockfile lacks is inert for that arch.
 */
import { nameRecord, own } from '../records';
import type { EffectiveEntry, EffectiveLock, OverrideEntry, Snapshot } from './types';

/**
 * Computes the effective lock of one arch; with `applyOverrides` false, the lockfile alone;
 * with `names`, only those packages (a draft's effect on a 32k-package lock reads a handful).
 */
export function effectiveLock(snapshot: Snapshot, arch: string, applyOverrides = true, names?: ReadonlySet<string>): EffectiveLock {
  const lockfile = own(snapshot.lockfiles, arch);
  const packages = nameRecord<EffectiveEntry>();
  const inert = new Map<string, OverrideEntry>();
  if (lockfile) {
    const locked = names ? [...names].flatMap((n) => (own(lockfile.packages, n) ? [[n, lockfile.packages[n]] as const] : [])) : Object.entries(lockfile.packages);
    for (const [name, e] of locked) {
      const entry: EffectiveEntry = { evr: e.evr, arch: e.arch };
      if (e.sourcerpm) entry.sourcerpm = e.sourcerpm;
      packages[name] = entry;
    }
  }
  if (applyOverrides) {
    for (const file of snapshot.overrides) {
      if (file.scope !== 'all' && file.scope !== arch) continue;
      const entries = names ? [...names].flatMap((n) => own(file.entries, n) ?? []) : Object.values(file.entries);
      for (const o of entries) {
        const base = own(lockfile?.packages, o.name);
        if (!base) {
          inert.set(o.name, o);
          continue;
        }
        inert.delete(o.name);
        const entry: EffectiveEntry = { evr: o.evr, arch: o.arch ?? base.arch, override: { file: o.file, type: o.type } };
        if (base.sourcerpm) entry.sourcerpm = base.sourcerpm;
        packages[o.name] = entry;
      }
    }
  }
  return { arch, hasLockfile: lockfile !== undefined, packages, inert: [...inert.values()] };
}

/** Counts a snapshot's override entries by type, all files together: a package overridden in several files counts once. */
export function countOverrides(snapshot: Snapshot): { pin: number; 'fast-track': number; other: number } {
  const byName = new Map<string, string | null>();
  for (const f of snapshot.overrides) for (const o of Object.values(f.entries)) byName.set(o.name, o.type);
  const counts = { pin: 0, 'fast-track': 0, other: 0 };
  for (const t of byName.values()) {
    if (t === 'pin') counts.pin++;
    else if (t === 'fast-track') counts['fast-track']++;
    else counts.other++;
  }
  return counts;
}
