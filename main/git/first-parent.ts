/** The first-parent walk every history reader uses (one implementation, SPEC §4's definition). */
import type { ObjectStore } from './objects/object-store';
import type { Commit } from './objects/parse';

/** The commits of the first-parent chain from `head` (included), newest first, read as the caller goes. */
export function* firstParents(store: ObjectStore, head: string): Generator<Commit> {
  for (let oid: string | undefined = head; oid; ) {
    const c = store.readCommit(oid);
    yield c;
    oid = c.parents[0];
  }
}

/**
 * The first-parent chain from `head` back to the root, oldest first. With `stopAt`, the walk
 * stops before the first commit it accepts (an already indexed one) and `stoppedAt` names it.
 */
export function firstParentChain(store: ObjectStore, head: string, stopAt?: (oid: string) => boolean): { commits: Commit[]; stoppedAt: string | null } {
  const commits: Commit[] = [];
  let stoppedAt: string | null = null;
  for (let oid: string | undefined = head; oid; ) {
    if (stopAt?.(oid)) {
      stoppedAt = oid;
      break;
    }
    const c = store.readCommit(oid);
    commits.push(c);
    oid = c.parents[0];
  }
  commits.reverse();
  return { commits, stoppedAt };
}
