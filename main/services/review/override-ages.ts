/**
 * When each override of a stream got the version it has now: the commit that wrote it, found in
 * the repo by walking the stream's first parents back until the entry differs (a new version, a
 * new type, or no entry). The board's "age" counts from that commit's date.
 */
import { firstParents } from '../../git/first-parent';
import { classifyLockPath } from '../../../shared/lockfile/files';
import { parseOverrides } from '../../../shared/lockfile/overrides';
import type { OverrideEntry, OverrideFile } from '../../../shared/lockfile/types';
import { addedKey, type OverrideAdded } from '../../../shared/overrides-board';
import type { ConfigRepo } from './config-repo';

/** The entries asked about: one override file's entry each. */
export interface AgedEntry {
  file: string;
  name: string;
  evr: string;
  type: string | null;
}

/** Answers already found, per repo: a head's walk is not done again for the same entry. */
const known = new WeakMap<ConfigRepo, Map<string, OverrideAdded>>();

/** For each entry (by `addedKey`), the commit on `head`'s first-parent chain that gave it its present version. */
export function overrideAges(repo: ConfigRepo, head: string, entries: readonly AgedEntry[]): Map<string, OverrideAdded> {
  const cache = known.get(repo) ?? new Map<string, OverrideAdded>();
  known.set(repo, cache);
  const cacheKey = (e: AgedEntry) => `${head}\0${e.file}\0${e.name}\0${e.evr}\0${e.type}`;
  const out = new Map<string, OverrideAdded>();
  /** Entries still looked for, with the oldest commit seen holding them as they are now. */
  const open = new Map<string, { e: AgedEntry; since: OverrideAdded | null }>();
  for (const e of entries) {
    const hit = cache.get(cacheKey(e));
    if (hit) out.set(addedKey(e.file, e.name), hit);
    else open.set(addedKey(e.file, e.name), { e, since: null });
  }
  if (open.size === 0) return out;
  // One parse per blob: most commits leave the override files as they were.
  const parsed = new Map<string, OverrideFile | null>();
  const entryAt = (name: string, file: string, blob: string | undefined, commit: string): OverrideEntry | undefined => {
    if (!blob) return undefined;
    if (!parsed.has(blob)) {
      try {
        parsed.set(blob, parseOverrides(repo.readText(blob, file, commit), { file, commit }));
      } catch {
        // An unreadable past version holds no entry: the override counts from the commit after it.
        parsed.set(blob, null);
      }
    }
    return parsed.get(blob)?.entries[name];
  };
  const settle = (key: string, since: OverrideAdded | null) => {
    const o = open.get(key)!;
    open.delete(key);
    if (!since) return;
    out.set(key, since);
    cache.set(cacheKey(o.e), since);
  };
  for (const c of firstParents(repo.store, head)) {
    const files = new Map<string, string>();
    for (const t of repo.store.readTree(c.tree)) if (t.type === 'blob' && classifyLockPath(t.name)?.kind === 'overrides') files.set(t.name, t.oid);
    const here: OverrideAdded = { commit: c.oid, date: new Date(c.committer.timestamp * 1000).toISOString() };
    for (const [key, o] of [...open]) {
      const at = entryAt(o.e.name, o.e.file, files.get(o.e.file), c.oid);
      if (at && at.evr === o.e.evr && at.type === o.e.type) o.since = here;
      else settle(key, o.since);
    }
    if (open.size === 0) break;
  }
  // The root commit held them as they are: it wrote them.
  for (const [key, o] of [...open]) settle(key, o.since);
  return out;
}
