/**
 * Where a Koji build's binaries go in a stream's override files. Koji lists every RPM of a
 * build (`listBuildRPMs`: name, version, release, epoch or nil, arch); a stream locks only
 * some of them, each on the arches whose lockfile lists it. The upstream `ci/overrides.py`
 * gives up when that set differs between arches; here each arch's effective lock gets exactly
 * the binaries the build has for it: all-arch entries where one entry means the same on every
 * arch that locks the binary, per-arch `evra` entries where it would not.
 */
import { distRelease } from '../drafts/validate';
import { nameRecord, own } from '../records';
import { canonicalEpoch, compareEvr, formatEvr } from '../rpm/nevra';

/** One RPM of a build, as Koji's `listBuildRPMs` lists it. */
export interface BuildBinary {
  name: string;
  version: string;
  release: string;
  /** null when the package has no epoch (Koji sends `<nil/>`). */
  epoch: number | null;
  arch: string;
}

/** What a binary becomes on one lockfile arch: its EVR and the RPM's arch (maybe noarch). */
export interface ArchTarget {
  evr: string;
  arch: string;
}

/** binary -> lockfile arch -> target: the explicit per-binary-per-arch input of the planner. */
export type BinaryTargets = Record<string, Record<string, ArchTarget>>;

/** Lockfiles as placement needs them: arch -> binary -> the locked RPM's arch. */
export type LockedArches = Record<string, { packages: Record<string, { arch: string }> }>;

export interface BuildPlacement {
  targets: BinaryTargets;
  /** Binaries no lockfile of the stream lists (debuginfo, devel...): nothing to write. */
  skipped: string[];
  /** binary -> lockfile arches that lock it but get nothing from the build (not built there). */
  notBuiltFor: Record<string, string[]>;
}

/** The EVR of a Koji RPM, a nil or zero epoch omitted. */
export const binaryEvr = (b: BuildBinary): string => formatEvr({ epoch: canonicalEpoch(b.epoch), version: b.version, release: b.release });

/** Maps a build's binaries onto the lockfile arches that lock them. */
export function placeBuildBinaries(binaries: readonly BuildBinary[], lockfiles: LockedArches): BuildPlacement {
  const targets: BinaryTargets = nameRecord();
  const skipped = new Set<string>();
  const arches = Object.keys(lockfiles);
  for (const b of binaries) {
    // The source RPM is the build itself, never an entry.
    if (b.arch === 'src' || b.arch === 'nosrc') continue;
    const lockedOn = arches.filter((a) => own(lockfiles[a].packages, b.name));
    if (lockedOn.length === 0) {
      skipped.add(b.name);
      continue;
    }
    const evr = binaryEvr(b);
    for (const arch of lockedOn) {
      // A noarch RPM serves every arch; an archful one only its own (i686 serves none here).
      if (b.arch !== 'noarch' && b.arch !== arch) continue;
      const per = own(targets, b.name) ?? (targets[b.name] = nameRecord());
      // Two builds of one update shipping the same binary: the newer one is what dnf would take.
      const cur = own(per, arch);
      if (!cur || compareEvr(evr, cur.evr) > 0) per[arch] = { evr, arch: b.arch };
    }
  }
  const notBuiltFor = nameRecord<string[]>();
  for (const name of new Set(binaries.filter((b) => b.arch !== 'src' && b.arch !== 'nosrc').map((b) => b.name))) {
    if (skipped.has(name)) continue;
    const missing = arches.filter((a) => own(lockfiles[a].packages, name) && !own(own(targets, name), a));
    if (missing.length) notBuiltFor[name] = missing;
    if (!own(targets, name)) skipped.add(name);
  }
  return { targets, skipped: [...skipped].sort(), notBuiltFor };
}

/** Override entries for one binary: one all-arch entry, or `evra` entries per arch file. */
export type EntryChoice = { scope: 'all'; key: 'evr' | 'evra'; value: string } | { scope: 'arch'; evra: Record<string, string> };

/**
 * Chooses where one binary's entries go. One all-arch entry is right only when it means the
 * same thing on every arch that locks the binary: every such arch has a target, with one EVR,
 * and either all noarch (`evra` ending `.noarch`) or each the arch its lockfile already has
 * (`evr` keeps the locked entry's arch). Otherwise each target goes in its arch's file.
 */
export function chooseEntries(per: Record<string, ArchTarget>, lockedArch: Record<string, string>): EntryChoice {
  const arches = Object.keys(per);
  const covers = Object.keys(lockedArch).every((a) => own(per, a));
  const oneEvr = new Set(arches.map((a) => per[a].evr)).size === 1;
  if (covers && oneEvr && arches.length > 0) {
    const evr = per[arches[0]].evr;
    if (arches.every((a) => per[a].arch === 'noarch')) return { scope: 'all', key: 'evra', value: `${evr}.noarch` };
    if (arches.every((a) => per[a].arch === lockedArch[a])) return { scope: 'all', key: 'evr', value: evr };
  }
  const evra = nameRecord<string>();
  for (const a of arches) evra[a] = `${per[a].evr}.${per[a].arch}`;
  return { scope: 'arch', evra };
}

/** A binary whose dist tag is not the stream's release. */
export interface DistMismatch {
  name: string;
  evr: string;
  /** The binary's `fcNN`, or null when its release has none. */
  tag: string | null;
}

/**
 * Binaries built for another Fedora release than the stream's (`.fc41` on an fc40 stream),
 * as the upstream tooling refuses them. With no known stream release nothing is checked.
 */
export function distMismatches(targets: BinaryTargets, release: number | null): DistMismatch[] {
  if (release === null) return [];
  const out: DistMismatch[] = [];
  for (const [name, per] of Object.entries(targets)) {
    for (const evr of new Set(Object.values(per).map((t) => t.evr))) {
      const r = distRelease(evr.slice(evr.lastIndexOf('-') + 1));
      if (r !== release) out.push({ name, evr, tag: r === null ? null : `fc${r}` });
    }
  }
  return out;
}
