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
import { BUILD_POOL_URL, expandRepoUrl, repoNevras } from './repo-metadata';

export interface AvailabilityReport {
  branch: string;
  rows: AvailabilityRow[];
  /** arch -> why its metadata could not be read (then the cache answered, or nothing). */
  errors: Record<string, string>;
}

/** Checks a draft's NEVRAs against the build pool (or the given rpm-md repos; `$basearch` expands). */
export async function draftAvailability(repo: ConfigRepo, branch: string, opts: { urls?: string[]; offline?: boolean } = {}): Promise<AvailabilityReport> {
  const d = await new DraftStore(repo).get(branch);
  const after = repo.snapshot(d.head);
  return { branch, ...(await nevraAvailability(repo, draftNevras(diffSnapshots(repo.snapshot(d.base), after)), snapshotRelease(after) ?? 0, opts)) };
}

/**
 * NEVRAs (with their lockfile arch) against the build pool: a saved draft's, or a previewed
 * one's before anything is written (the form checks the pool with its preview).
 */
export async function nevraAvailability(repo: ConfigRepo, wanted: readonly { nevra: string; arch: string }[], release: number, opts: { urls?: string[]; offline?: boolean } = {}): Promise<Omit<AvailabilityReport, 'branch'>> {
  const pool: Parameters<typeof availability>[1] = nameRecord();
  const errors = nameRecord<string>();
  for (const arch of new Set(wanted.map((w) => w.arch))) {
    const urls = (opts.urls?.length ? opts.urls : [BUILD_POOL_URL]).map((u) => expandRepoUrl(u, release, arch));
    const r = await repoNevras(urls, path.join(repo.gitdir, 'lockstep', 'build-pool'), { offline: opts.offline });
    if (r.error) errors[arch] = r.error;
    pool[arch] = r.value ? { fetched: r.value.fetched, nevras: new Set(r.value.nevras) } : null;
  }
  return { rows: availability([...wanted], pool), errors };
}
