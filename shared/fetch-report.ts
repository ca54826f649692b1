/**
 * A fetch's notice read against the repo as it is now: it says only what is still true. A notice
 * whose streams have moved again since says nothing any more, nor one whose stale drafts have all
 * been rebased (or discarded): the state it reported has changed, and the notice clears.
 */
import type { FetchResult } from './api/contract';
import type { DeepReadonly } from './readonly';

/**
 * What `report` still has to say, or null when it has nothing: `heads` maps stream names to their
 * heads now, `drafts` is the draft list now (null when either is not read yet: nothing is dropped).
 */
export function fetchReportNow(
  report: DeepReadonly<FetchResult>,
  heads: ReadonlyMap<string, string> | null,
  drafts: readonly { branch: string; stale: boolean }[] | null,
): DeepReadonly<FetchResult> | null {
  if (heads && report.updated.some((u) => heads.has(u.name) && heads.get(u.name) !== u.to)) return null;
  if (!drafts || report.staleDrafts.length === 0) return report;
  const stillStale = report.staleDrafts.filter((b) => drafts.some((d) => d.branch === b && d.stale));
  if (stillStale.length === 0) return null;
  return stillStale.length === report.staleDrafts.length ? report : { ...report, staleDrafts: stillStale };
}
