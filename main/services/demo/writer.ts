/**
 * Writing the demo's objects. The history is generated first, handing out promises of object
 * ids; the writes follow, a few at a time, each commit waiting for its tree and its parents.
 * Identical texts and trees are written once.
 */
import type { ScratchRepo } from '../../git/scratch-repo';
import { cloneOverrides, type OverrideSet } from './overrides';
import type { Person } from './people';
import type { Files } from './tree-files';

export type Oid = Promise<string>;

/** What a commit holds, kept so that a promotion can copy it. */
export interface CommitContent {
  files: Files;
  overrides: OverrideSet;
}

export interface DemoWriter {
  commit(files: Files, overrides: OverrideSet, message: string | Promise<string>, parents: Oid[], time: number, author: Person, committer?: Person): Oid;
  contentOf(commit: Oid): CommitContent;
  /** Waits for every write; rethrows the first failure. */
  finished(): Promise<void>;
}

export function demoWriter(repo: ScratchRepo): DemoWriter {
  const pending: Promise<unknown>[] = [];
  const track = <T>(p: Promise<T>): Promise<T> => {
    p.catch(() => undefined); // awaited, and so rethrown, by finished()
    pending.push(p);
    return p;
  };
  const limit = limiter(32);
  const textIds = new Map<string, number>();
  const blobs: Oid[] = [];
  const blobOf = (text: string): { id: number; oid: Oid } => {
    let id = textIds.get(text);
    if (id === undefined) {
      id = blobs.length;
      textIds.set(text, id);
      blobs.push(track(limit(() => repo.writeBlob(text))));
    }
    return { id, oid: blobs[id] };
  };
  const trees = new Map<string, Oid>();
  const treeOf = (files: Files): Oid => {
    const refs = Object.keys(files)
      .sort()
      .map((path) => ({ path, ...blobOf(files[path]) }));
    const key = refs.map((r) => `${r.path}:${r.id}`).join('\n');
    let oid = trees.get(key);
    if (!oid) {
      oid = track(
        (async () => {
          const oids = await Promise.all(refs.map((r) => r.oid));
          const tree = refs.map((r, i) => ({ mode: '100644', path: r.path, oid: oids[i], type: 'blob' as const }));
          return limit(() => repo.writeTree(tree));
        })(),
      );
      trees.set(key, oid);
    }
    return oid;
  };
  const contents = new Map<Oid, CommitContent>();
  return {
    commit(files, overrides, message, parents, time, author, committer = author) {
      const sig = (p: Person) => ({ name: p.name, email: p.email, timestamp: time, timezoneOffset: p.tz });
      const oid = track(
        (async () => {
          const [tree, parent, msg] = await Promise.all([treeOf(files), Promise.all(parents), message]);
          return limit(() => repo.writeCommit({ message: msg, tree, parents: parent, author: sig(author), committer: sig(committer) }));
        })(),
      );
      contents.set(oid, { files, overrides: cloneOverrides(overrides) });
      return oid;
    },
    contentOf: (commit) => contents.get(commit)!,
    finished: async () => void (await Promise.all(pending)),
  };
}

/** Runs at most `n` of the jobs given to it at once. */
function limiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await job();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
