/**
 * A dev stream's lockfiles: what the bot's bump writes per arch, and what moved between bumps.
 */
import { LOCK_ARCHES as ARCHES } from '../../../shared/rpm/arches';
import { binArch, binEvr, type Src } from './catalog';
import type { Override, OverrideSet } from './overrides';
import type { Arch } from './tree-files';

export const KNOWN_ARCHES = new Set<string>(['noarch', ...ARCHES]);
/** An override's EVR (zero epoch dropped, as lockfiles write it) and its arch when written as `evra`. */
export function overrideTarget(o: Override): { evr: string; arch: string | null } {
  let evr = o.evr ?? o.evra!;
  let arch: string | null = null;
  if (o.evra) {
    const dot = evr.lastIndexOf('.');
    if (dot > 0 && KNOWN_ARCHES.has(evr.slice(dot + 1))) {
      arch = evr.slice(dot + 1);
      evr = evr.slice(0, dot);
    }
  }
  return { evr: evr.replace(/^0:/, ''), arch };
}

export interface LockPkg {
  evra: string;
  src: string;
}
export type LockPkgs = Record<string, LockPkg>;

/** What the bot's lockfile bump produces for one arch: the repos' versions with the overrides applied. */
export function lockPackages(state: Src[], fc: number, overrides: OverrideSet, arch: Arch): LockPkgs {
  const pkgs: LockPkgs = {};
  for (const s of state) {
    if (s.removed) continue;
    for (const b of s.bins) {
      if (b.arches && !b.arches.includes(arch)) continue;
      pkgs[b.name] = { evra: `${binEvr(s, b, fc)}.${binArch(s, b, arch)}`, src: s.name };
    }
  }
  for (const map of [overrides.all, overrides.arch[arch] ?? {}]) {
    for (const [name, o] of Object.entries(map)) {
      const base = pkgs[name];
      if (!base) continue; // overrides constrain; they do not install
      const t = overrideTarget(o);
      const baseArch = base.evra.slice(base.evra.lastIndexOf('.') + 1);
      pkgs[name] = { evra: `${t.evr}.${t.arch ?? baseArch}`, src: base.src };
    }
  }
  return pkgs;
}

export const iso = (t: number) => new Date(t * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

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
