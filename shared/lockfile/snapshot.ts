/** Builds the lock data of one commit from the lock files found in its root tree. */
import { LOCK_ARCHES } from '../rpm/arches';
import { AppError } from '../errors';
import { nameRecord } from '../records';
import { classifyLockPath, overridesOrder } from './files';
import { parseLockfile } from './manifest-lock';
import { parseOverrides } from './overrides';
import type { Lockfile, OverrideFile, Snapshot } from './types';

export interface LockFileText {
  name: string;
  text: string;
}

/**
 * Parses every lock file of a commit. Both `manifest-lock.<arch>.json` and `.yaml` for one
 * arch is an error, as it is for coreos-assembler.
 */
export function buildSnapshot(commit: string, files: LockFileText[]): Snapshot {
  const lockfiles = nameRecord<Lockfile>();
  const overrides: OverrideFile[] = [];
  const seen = new Map<string, string>();
  for (const f of files) {
    const kind = classifyLockPath(f.name);
    if (!kind) continue;
    if (kind.kind === 'lockfile') {
      const other = seen.get(kind.arch);
      if (other) {
        throw new AppError(
          'bad-file',
          `${f.name} at ${commit.slice(0, 12)}: both ${other} and ${f.name} exist; keep only one lockfile per arch`,
          { file: f.name, commit, arch: kind.arch },
        );
      }
      seen.set(kind.arch, f.name);
      lockfiles[kind.arch] = parseLockfile(f.text, kind.arch, kind.format, { file: f.name, commit });
    } else {
      overrides.push(parseOverrides(f.text, { file: f.name, commit }));
    }
  }
  overrides.sort(overridesOrder);
  return { commit, lockfiles, overrides };
}

/**
 * A snapshot of `base` with some of its lock files replaced or added: only those are parsed.
 * A draft of one entry in a 32k-entry override file must not parse every other file again.
 */
export function withFiles(base: Snapshot, commit: string, files: LockFileText[], parsedOverrides: readonly OverrideFile[] = []): Snapshot {
  const changed = buildSnapshot(commit, files);
  changed.overrides.push(...parsedOverrides);
  const lockfiles = nameRecord<Lockfile>(Object.entries(base.lockfiles));
  for (const [arch, lock] of Object.entries(changed.lockfiles)) {
    const other = lockfiles[arch]?.file;
    if (other && other !== lock.file) {
      throw new AppError('bad-file', `${lock.file} at ${commit.slice(0, 12)}: both ${other} and ${lock.file} exist; keep only one lockfile per arch`, {
        file: lock.file,
        commit,
        arch,
      });
    }
    lockfiles[arch] = lock;
  }
  const replaced = new Set(changed.overrides.map((o) => o.file));
  const overrides = [...base.overrides.filter((o) => !replaced.has(o.file)), ...changed.overrides].sort(overridesOrder);
  return { commit, lockfiles, overrides };
}

/** Every arch the snapshot knows: lockfile arches plus arches with their own override file. */
export function snapshotArches(s: Snapshot): string[] {
  const set = new Set(Object.keys(s.lockfiles));
  for (const o of s.overrides) if (o.scope !== 'all') set.add(o.scope);
  return sortArches([...set]);
}

const ARCH_ORDER: readonly string[] = LOCK_ARCHES;

/** Sorts arches the way the repo lists them: x86_64, aarch64, ppc64le, s390x, then by name. */
export function sortArches(arches: string[]): string[] {
  const rank = (a: string) => {
    const i = ARCH_ORDER.indexOf(a);
    return i < 0 ? ARCH_ORDER.length : i;
  };
  return [...arches].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
