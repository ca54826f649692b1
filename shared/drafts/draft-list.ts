/**
 * The drafts list as the back end gives it (`drafts:list`) and as the UI keeps it after a save:
 * one order, and a saved draft put in place without reading the whole list again.
 */
import type { DraftView } from '../api/types';
import type { DeepReadonly } from '../readonly';

type Listed = Pick<DraftView, 'branch' | 'createdAt'>;

/** The list's order: newest first, then by branch name. */
export function compareDrafts(a: Listed, b: Listed): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.branch < b.branch ? -1 : a.branch > b.branch ? 1 : 0;
}

/**
 * The list with the drafts just saved in it (a draft saved again replaces itself), in list
 * order. Conflicts are mutual: a draft a saved one conflicts with names it back, as the next
 * `drafts:list` would say.
 */
export function withSavedDrafts<T extends DeepReadonly<DraftView>>(list: readonly T[], saved: readonly T[]): T[] {
  const mine = new Set(saved.map((d) => d.branch));
  const others = list
    .filter((d) => !mine.has(d.branch))
    .map((d) => {
      const added = saved.filter((s) => s.conflictsWith.includes(d.branch) && !d.conflictsWith.includes(s.branch)).map((s) => s.branch);
      return added.length ? { ...d, conflictsWith: [...d.conflictsWith, ...added] } : d;
    });
  return [...others, ...saved].sort(compareDrafts);
}
