/** Writing blobs, trees and commits (drafts, the demo repo), each object atomically. */
import { createHash } from 'node:crypto';
import git from 'isomorphic-git';
import { AppError } from '../../../shared/errors';
import { atomicFs } from '../atomic-fs';
import { gitCall } from '../errors';
import type { Identity } from '../identity';

export interface TreeEntry {
  mode: string;
  path: string;
  oid: string;
  type: 'blob' | 'tree' | 'commit';
  /** The name's own bytes when they are not UTF-8 (as read from a tree): written as they are. */
  raw?: Uint8Array;
}

type Fs = typeof atomicFs;

export function writeBlob(gitdir: string, data: Uint8Array, fs: Fs = atomicFs): Promise<string> {
  return gitCall('write a blob', () => git.writeBlob({ fs, gitdir, blob: data }));
}

/** The id `writeBlob` would give these bytes, without writing anything (a dry run, a no-op check). */
export function blobOid(data: Uint8Array): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

/**
 * Writes a tree from its entries. The tree is encoded here rather than by isomorphic-git, which
 * takes names as strings: a name that is not UTF-8 would come back as U+FFFD and the draft would
 * rename the file. Names are kept as bytes and sorted as git sorts them (bytewise, a tree's name
 * as if it ended in "/").
 */
export function writeTree(gitdir: string, tree: readonly TreeEntry[], fs: Fs = atomicFs): Promise<string> {
  return gitCall('write a tree', () => git.writeObject({ fs, gitdir, type: 'tree', format: 'content', object: encodeTree(tree) }));
}

/** A tree object's content, byte for byte as git writes it. */
export function encodeTree(tree: readonly TreeEntry[]): Buffer {
  const rows = tree.map((e) => {
    const name = e.raw ? Buffer.from(e.raw) : Buffer.from(e.path, 'utf8');
    if (name.length === 0 || name.includes(0) || name.includes(0x2f)) {
      throw new AppError('internal', `a tree entry cannot be named "${e.path}"`, { path: e.path });
    }
    const isTree = e.type === 'tree';
    return { name, key: isTree ? Buffer.concat([name, Buffer.from('/')]) : name, mode: isTree ? '40000' : e.mode.replace(/^0+/, ''), oid: e.oid };
  });
  rows.sort((a, b) => Buffer.compare(a.key, b.key));
  return Buffer.concat(rows.flatMap((r) => [Buffer.from(`${r.mode} `), r.name, Buffer.from([0]), Buffer.from(r.oid, 'hex')]));
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

type Signature = CommitInput['author'];

const DATE_VARS = { author: 'GIT_AUTHOR_DATE', committer: 'GIT_COMMITTER_DATE' } as const;

/**
 * The signature of `id` as the commit's `role`. Like git, GIT_AUTHOR_DATE and GIT_COMMITTER_DATE
 * set the time when present (scripts use them for reproducible commits, and the fault tests
 * for object ids that do not change from one run to the next); otherwise it is now, in the
 * machine's time zone.
 */
export function signatureFor(id: Identity, role: 'author' | 'committer', now = new Date(), env: NodeJS.ProcessEnv = process.env): Signature {
  const name = DATE_VARS[role];
  const set = env[name];
  const when = set === undefined || set === '' ? { timestamp: Math.floor(now.getTime() / 1000), timezoneOffset: now.getTimezoneOffset() } : parseGitDate(set, name);
  return { name: id.name, email: id.email, ...when };
}

/**
 * The two forms of git's date variables that scripts write: git's own `[@]<seconds> <+hhmm>`
 * and ISO 8601 (`2024-10-17T12:00:00+02:00`; without a zone it is the machine's). isomorphic-git
 * wants the zone as Date's getTimezoneOffset does: minutes behind UTC.
 */
function parseGitDate(value: string, name: string): Pick<Signature, 'timestamp' | 'timezoneOffset'> {
  const raw = /^@?(\d+)(?:\s+([+-])(\d{2})(\d{2}))?$/.exec(value.trim());
  if (raw) {
    if (raw[2] && (Number(raw[3]) > 23 || Number(raw[4]) > 59)) refuseDate(name, value, `${raw[2]}${raw[3]}${raw[4]} is no time zone (at most ±2359)`);
    const offset = raw[2] ? (raw[2] === '-' ? 1 : -1) * (Number(raw[3]) * 60 + Number(raw[4])) : 0;
    return { timestamp: checkedSeconds(Number(raw[1]), name, value), timezoneOffset: offset };
  }
  const iso = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|([+-])(\d{2}):?(\d{2}))?$/.exec(value.trim());
  const ms = iso ? Date.parse(value.trim().replace(' ', 'T')) : NaN;
  if (!iso || Number.isNaN(ms)) {
    throw new AppError('bad-input', `${name}="${value}" is not a date Lockstep reads: use "<seconds since 1970> +hhmm" or ISO 8601 ("2024-10-17T12:00:00+02:00"), or unset it`, { variable: name });
  }
  if (iso[2] && (Number(iso[3]) > 23 || Number(iso[4]) > 59)) refuseDate(name, value, `${iso[1]} is no time zone (at most ±23:59)`);
  const offset = iso[1] === 'Z' ? 0 : iso[2] ? (iso[2] === '-' ? 1 : -1) * (Number(iso[3]) * 60 + Number(iso[4])) : new Date(ms).getTimezoneOffset();
  return { timestamp: checkedSeconds(Math.floor(ms / 1000), name, value), timezoneOffset: offset };
}

/**
 * Seconds git's fsck accepts: none before 1970 (a negative date is a "badDate") and none past
 * what a commit can carry exactly (JavaScript numbers are exact to 2^53; git's own limit is
 * higher, so every date written here reads back as written).
 */
function checkedSeconds(seconds: number, name: string, value: string): number {
  if (seconds < 0) refuseDate(name, value, 'it is before 1970, which git fsck rejects');
  if (!Number.isSafeInteger(seconds)) refuseDate(name, value, 'it is past the dates a commit can carry exactly');
  return seconds;
}

function refuseDate(name: string, value: string, why: string): never {
  throw new AppError('bad-input', `${name}="${value}": ${why}; set a date from 1970 on with a zone within ±23:59, or unset it (nothing was written)`, { variable: name });
}
