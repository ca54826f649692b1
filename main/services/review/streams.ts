/**
 * Streams: branches whose head holds lock data, in promotion order, with an overview of each
 * (head, counts, overrides, how far behind its promotion source it is).
 */
import { nameRecord, own } from '../../../shared/records';
import { countOverrides } from '../../../shared/lockfile/effective';
import { sortArches } from '../../../shared/lockfile/snapshot';
import { compareStreamNames, PROMOTION_SOURCE } from '../../../shared/streams';
import type { StreamSummary } from '../../../shared/api/types';
import { firstParents } from '../../git/first-parent';
import { formatGitDate } from '../../git/objects/parse';
import type { BranchRef } from '../../git/refs';
import { isLockstepBranch } from '../../../shared/drafts/rationale';
import type { ConfigRepo } from './config-repo';

export interface StreamSettings {
  /** Extra branch names to treat as streams even without lock files. */
  add?: string[];
  /** Stream names to hide. */
  hide?: string[];
}

/** Branches that are streams: their head holds a manifest-lock file. */
export async function listStreams(repo: ConfigRepo, settings: StreamSettings = {}): Promise<BranchRef[]> {
  const hide = new Set(settings.hide ?? []);
  const add = new Set(settings.add ?? []);
  const out: BranchRef[] = [];
  for (const b of await repo.branches()) {
    if (hide.has(b.name)) continue;
    // Branches Lockstep creates or pushes are never streams, though they hold lockfiles.
    if (!add.has(b.name) && isLockstepBranch(b.name)) continue;
    let isStream = add.has(b.name);
    if (!isStream) {
      try {
        isStream = Object.keys(repo.lockFileOids(b.oid)).length > 0;
      } catch {
        isStream = false;
      }
    }
    if (isStream) out.push(b);
  }
  return out.sort((a, b) => compareStreamNames(a.name, b.name));
}

/** A commit's lock files (names and blob ids) as one comparable string. */
const lockKey = (repo: ConfigRepo, commit: string): string =>
  Object.entries(repo.lockFileOids(commit))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([n, o]) => `${n}=${o}`)
    .join('\n');

/**
 * The first parent of the newest first-parent commit from `head` that changed a lock file, so
 * `that..head` is the stream's last lockfile change (a head that only touched other files is
 * passed over); null when none is found within `limit` commits.
 */
export function lastLockChangeBase(repo: ConfigRepo, head: string, limit = 5000): string | null {
  const key = lockKey(repo, head);
  let n = 0;
  for (const c of firstParents(repo.store, head)) {
    if (c.oid === head) continue;
    if (lockKey(repo, c.oid) !== key) return c.oid;
    if (++n >= limit) break;
  }
  return null;
}

/** How many first-parent commits `source` has since its newest commit with the same lock files as `head`. */
export function behindSource(repo: ConfigRepo, head: string, sourceHead: string, limit = 20000): number | null {
  const key = (oids: Record<string, string>) =>
    Object.entries(oids)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([n, o]) => `${n}=${o}`)
      .join('\n');
  const target = key(repo.lockFileOids(head));
  let n = 0;
  for (const c of firstParents(repo.store, sourceHead)) {
    if (key(repo.lockFileOids(c.oid)) === target) return n;
    if (++n >= limit) break;
  }
  return null;
}

/** The overview row of every stream. */
export async function streamsOverview(repo: ConfigRepo, settings: StreamSettings = {}): Promise<StreamSummary[]> {
  const streams = await listStreams(repo, settings);
  const byName = new Map(streams.map((s) => [s.name, s]));
  return streams.map((s) => {
    const commit = repo.commit(s.oid);
    const snap = repo.snapshot(s.oid);
    const arches = nameRecord<number>();
    for (const arch of sortArches(Object.keys(snap.lockfiles))) {
      arches[arch] = Object.keys(snap.lockfiles[arch].packages).length;
    }
    const sourceName = own(PROMOTION_SOURCE, s.name);
    const source = sourceName ? byName.get(sourceName) : undefined;
    return {
      name: s.name,
      ref: s.ref,
      head: s.oid,
      date: formatGitDate(commit.committer),
      subject: commit.message.split('\n')[0],
      arches,
      overrides: countOverrides(snap),
      source: source ? source.name : null,
      behind: source ? behindSource(repo, s.oid, source.oid) : null,
      // Only a stream with no promotion source links to its last change: skip the walk otherwise.
      lastLockChange: source ? null : lastLockChangeBase(repo, s.oid),
    };
  });
}
