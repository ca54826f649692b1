/**
 * Is every NEVRA a draft writes in the build pool? A build that was garbage-collected or never
 * tagged breaks the compose only after a long CI run; the pool's rpm-md metadata tells before
 * the push. With no metadata for an arch the answer is "unknown", never a guess.
 */
import { own } from './records';
import type { ArchDiff } from './lockfile/diff';
import type { DeepReadonly } from './readonly';

export type AvailabilityStatus = 'available' | 'missing' | 'unknown';

export interface AvailabilityRow {
  nevra: string;
  /** The lockfile arch whose compose needs it. */
  arch: string;
  status: AvailabilityStatus;
  /** When the metadata used was read (ISO), or null. */
  checked: string | null;
}

/** The NEVRAs a draft makes each arch's compose use: the new side of its effective-lock diff. */
export function draftNevras(effect: readonly DeepReadonly<ArchDiff>[]): { nevra: string; arch: string }[] {
  const out: { nevra: string; arch: string }[] = [];
  for (const d of effect) {
    for (const c of d.changes) if (c.to) out.push({ nevra: `${c.name}-${c.to.evr}.${c.to.arch}`, arch: d.arch });
  }
  return out;
}

/** Checks NEVRAs against per-arch metadata (null: none could be read or cached for that arch). */
export function availability(
  wanted: { nevra: string; arch: string }[],
  pool: Record<string, { fetched: string; nevras: ReadonlySet<string> } | null>,
): AvailabilityRow[] {
  return wanted.map(({ nevra, arch }) => {
    const p = own(pool, arch);
    if (!p) return { nevra, arch, status: 'unknown' as const, checked: null };
    return { nevra, arch, status: p.nevras.has(nevra) ? ('available' as const) : ('missing' as const), checked: p.fetched };
  });
}
