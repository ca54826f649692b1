/**
 * Availability before a push: each NEVRA a draft makes a compose use, looked up in the build
 * pool's rpm-md metadata of its arch (Fedora CoreOS's coreos-pool by default), online when the
 * pool answers, else from the cache, else "unknown".
 */
import { nameRecord } from '../../../shared/records';
import path from 'node:path';
import { availability, draftNevras, type AvailabilityRow } from '../../../shared/availability';
import { snapshotRelease } from '../../../shared/drafts/validate';
import { diffSnapshots } from '../../../shared/lockfile/diff';
import type { ConfigRepo } from '../review/config-repo';
import { DraftStore } from '../drafts/store';
import { BUILD_POOL_URL, expandRepoUrl, repoNevras, type ReadBounds } from './repo-metadata';

/** How long a whole pool check may take (every arch): the pool's metadata is ~30 MB per arch. LOCKSTEP_POOL_CHECK_MS changes it. */
export const poolCheckMs = (): number => Number(process.env.LOCKSTEP_POOL_CHECK_MS) || 180_000;

export interface AvailabilityReport {
  branch: string;
  rows: AvailabilityRow[];
  /** arch -> why its metadata could not be read (then the cache answered, or nothing). */
  errors: Record<string, string>;
}

/** Checks a draft's NEVRAs against the build pool (or the given rpm-md repos; `$basearch` expands). */
/** Where and how a pool check reads: the repos, offline or not, its one deadline and the caps. */
export interface PoolCheckOptions {
  urls?: string[];
  offline?: boolean;
  timeoutMs?: number;
  limits?: Pick<ReadBounds, 'compressedBytes' | 'decompressedBytes'>;
}

export async function draftAvailability(repo: ConfigRepo, branch: string, opts: PoolCheckOptions = {}): Promise<AvailabilityReport> {
  const d = await new DraftStore(repo).get(branch);
  const after = repo.snapshot(d.head);
  return { branch, ...(await nevraAvailability(repo, draftNevras(diffSnapshots(repo.snapshot(d.base), after)), snapshotRelease(after) ?? 0, opts)) };
}

/**
 * NEVRAs (with their lockfile arch) against the build pool: a saved draft's, or a previewed
 * one's before anything is written (the form checks the pool with its preview).
 */
export async function nevraAvailability(repo: ConfigRepo, wanted: readonly { nevra: string; arch: string }[], release: number, opts: PoolCheckOptions = {}): Promise<Omit<AvailabilityReport, 'branch'>> {
  const pool: Parameters<typeof availability>[1] = nameRecord();
  const errors = nameRecord<string>();
  // One deadline for the whole check, every arch and repo: a pool that hangs costs this once.
  const bounds: ReadBounds = { deadline: Date.now() + (opts.timeoutMs ?? poolCheckMs()), ...opts.limits };
  for (const arch of new Set(wanted.map((w) => w.arch))) {
    const urls = (opts.urls?.length ? opts.urls : [BUILD_POOL_URL]).map((u) => expandRepoUrl(u, release, arch));
    const r = await repoNevras(urls, path.join(repo.gitdir, 'lockstep', 'build-pool'), { offline: opts.offline, bounds });
    if (r.error) errors[arch] = r.error;
    pool[arch] = r.value ? { fetched: r.value.fetched, nevras: new Set(r.value.nevras) } : null;
  }
  return { rows: availability([...wanted], pool), errors };
}
