/** Writing blobs, trees and commits (drafts, the demo repo), each object atomically. */
import git from 'isomorphic-git';
import { atomicFs } from './atomic-fs';
import { gitCall } from './git-errors';
import type { Identity } from './identity';

export interface TreeEntry {
  mode: string;
  path: string;
  oid: string;
  type: 'blob' | 'tree' | 'commit';
}

type Fs = typeof atomicFs;

export function writeBlob(gitdir: string, data: Uint8Array, fs: Fs = atomicFs): Promise<string> {
  return gitCall('write a blob', () => git.writeBlob({ fs, gitdir, blob: data }));
}

export function writeTree(gitdir: string, tree: readonly TreeEntry[], fs: Fs = atomicFs): Promise<string> {
  return gitCall('write a tree', () => git.writeTree({ fs, gitdir, tree: tree.map((e) => ({ ...e })) as Parameters<typeof git.writeTree>[0]['tree'] }));
}

export interface CommitInput {
  message: string;
  tree: string;
  parents: readonly string[];
  author: Identity & { timestamp: number; timezoneOffset: number };
  committer: Identity & { timestamp: number; timezoneOffset: number };
}

export function writeCommit(gitdir: string, c: CommitInput, fs: Fs = atomicFs): Promise<string> {
  return gitCall('write a commit', () =>
    git.writeCommit({ fs, gitdir, commit: { message: c.message, tree: c.tree, parent: [...c.parents], author: c.author, committer: c.committer } }),
  );
}

/** Signature with the current time and the machine's time zone. */
export function signatureNow(id: Identity, now = new Date()): CommitInput['author'] {
  return { name: id.name, email: id.email, timestamp: Math.floor(now.getTime() / 1000), timezoneOffset: now.getTimezoneOffset() };
}
