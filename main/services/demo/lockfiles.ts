/**
 * A dev stream's lockfiles: what the bot's bump writes per arch, and what moved between bumps.
 */
import { LOCK_ARCHES as ARCHES } from '../../../shared/rpm/arches';
import { effectiveLock } from '../../../shared/lockfile/effective';
import { buildSnapshot } from '../../../shared/lockfile/snapshot';
import type { LockEntry } from '../../../shared/lockfile/types';
import { nameRecord } from '../../../shared/records';
import { binArch, binEvr, type Src } from './catalog';
import { overrideFiles, type OverrideSet } from './overrides';
import type { Arch } from './tree-files';

export interface LockPkg {
  evra: string;
  src: string;
}
export type LockPkgs = Record<string, LockPkg>;

/**
 * What the bot's lockfile bump produces on every arch: the repos' versions with the overrides
 * applied. The overrides are read back from the files the demo writes, by Lockstep's own parser
 * and rule, so that the demo's lockfiles agree with what Lockstep shows for them.
 */
export function lockPackages(state: Src[], fc: number, overrides: OverrideSet): Record<Arch, LockPkgs> {
  const snapshot = buildSnapshot('demo', Object.entries(overrideFiles(overrides)).map(([name, text]) => ({ name, text })));
  for (const arch of ARCHES) snapshot.lockfiles[arch] = { arch, file: `manifest-lock.${arch}.json`, packages: repoPackages(state, fc, arch) };
  const out = {} as Record<Arch, LockPkgs>;
  for (const arch of ARCHES) {
    const pkgs: LockPkgs = {};
    for (const [name, e] of Object.entries(effectiveLock(snapshot, arch).packages)) pkgs[name] = { evra: `${e.evr}.${e.arch}`, src: e.sourcerpm! };
    out[arch] = pkgs;
  }
  return out;
}

/** The distro repos' versions on one arch, before overrides. */
function repoPackages(state: Src[], fc: number, arch: Arch): Record<string, LockEntry> {
  const pkgs = nameRecord<LockEntry>();
  for (const s of state) {
    if (s.removed) continue;
    for (const b of s.bins) {
      if (b.arches && !b.arches.includes(arch)) continue;
      pkgs[b.name] = { evr: binEvr(s, b, fc), arch: binArch(s, b, arch), sourcerpm: s.name };
    }
  }
  return pkgs;
}

const iso = (t: number) => new Date(t * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

export function lockfileText(pkgs: LockPkgs, generated: number, fedoraRepo: number, updatesRepo: number): string {
  const packages: Record<string, { evra: string; metadata: { sourcerpm: string } }> = {};
  for (const name of Object.keys(pkgs).sort()) packages[name] = { evra: pkgs[name].evra, metadata: { sourcerpm: pkgs[name].src } };
  const doc = {
    packages,
    metadata: {
      generated: iso(generated),
      rpmmd_repos: { fedora: { generated: iso(fedoraRepo) }, 'fedora-updates': { generated: iso(updatesRepo) } },
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
