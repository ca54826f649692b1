/**
 * Refs: listing branches and resolving what a user types (stream names, commit ids, tags,
 * `refs/...`, `X~N`, `X^N`). Stream names resolve to the upstream remote-tracking branch
 * when it exists, since that is the stream as published and fresh after a fetch.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { atomicFs } from './atomic-fs';
import { gitCall } from './errors';
import type { ObjectStore } from './objects/object-store';

// isomorphic-git takes ~65 ms to load: a CLI query that only reads refs should not pay it.
const isoGit = async () => (await import('isomorphic-git')).default;

/**
 * A ref's commit read straight from `<gitdir>/<ref>` or `packed-refs`; undefined when only
 * isomorphic-git can tell (a symbolic ref), null when the ref does not exist.
 */
function readRefFast(gitdir: string, ref: string): string | null | undefined {
  try {
    const text = fs.readFileSync(path.join(gitdir, ref), 'latin1').trim();
    return /^[0-9a-f]{40}$/.test(text) ? text : undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return undefined;
  }
  let packed: string;
  try {
    packed = fs.readFileSync(path.join(gitdir, 'packed-refs'), 'latin1');
  } catch {
    return null;
  }
  for (const line of packed.split('\n')) {
    if (line.length === 41 + ref.length && line.endsWith(ref) && line[40] === ' ') return line.slice(0, 40);
  }
  return null;
}

/**
 * Every ref under `prefix` (`refs/heads/`), short name → object id, read from the loose files and
 * packed-refs as git writes them (a loose ref wins). Undefined when a ref needs isomorphic-git
 * to tell (a symbolic ref other than a remote's HEAD, a file that is no object id, a layout with
 * no refs folder): the caller asks it then.
 */
function listRefsFast(gitdir: string, prefix: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  let packed = '';
  try {
    packed = fs.readFileSync(path.join(gitdir, 'packed-refs'), 'latin1');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
  }
  for (const line of packed.split('\n')) {
    // `<oid> <ref>`; comments (`#`) and peeled tags (`^<oid>`) fail the test.
    if (line[40] === ' ' && line.startsWith(prefix, 41) && /^[0-9a-f]{40}$/.test(line.slice(0, 40))) out.set(line.slice(41 + prefix.length), line.slice(0, 40));
  }
  const walk = (rel: string): boolean => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(gitdir, prefix, rel), { withFileTypes: true });
    } catch (err) {
      // No folder: no loose refs there. Anything else (reftable's `refs/heads` file, …): not ours to read.
      return rel === '' && (err as NodeJS.ErrnoException).code === 'ENOENT';
    }
    for (const e of entries) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!walk(name)) return false;
        continue;
      }
      // git's own half-written ref, never a ref itself.
      if (e.name.endsWith('.lock')) continue;
      if (!e.isFile()) return false;
      const text = fs.readFileSync(path.join(gitdir, prefix, name), 'latin1').trim();
      if (/^[0-9a-f]{40}$/.test(text)) out.set(name, text);
      // A remote's HEAD names its default branch: never a branch of its own.
      else if (!(name === 'HEAD' && text.startsWith('ref: '))) return false;
    }
    return true;
  };
  try {
    return walk('') ? out : undefined;
  } catch {
    return undefined;
  }
}

export interface BranchRef {
  /** Short branch name (`testing-devel`). */
  name: string;
  /** Full ref (`refs/remotes/origin/testing-devel` or `refs/heads/testing-devel`). */
  ref: string;
  oid: string;
}

/** Local branches and the upstream remote's branches, the remote one winning per name. */
export async function listBranchRefs(gitdir: string, upstream: string): Promise<BranchRef[]> {
  const byName = new Map<string, BranchRef>();
  // Read straight from the files when they are plain: opening a repo then never waits for
  // isomorphic-git's import (35–45 ms on the main thread even when already required, up to 140 ms cold).
  const localRefs = listRefsFast(gitdir, 'refs/heads/');
  const remoteRefs = localRefs && listRefsFast(gitdir, `refs/remotes/${upstream}/`);
  if (localRefs && remoteRefs) {
    for (const [name, oid] of localRefs) byName.set(name, { name, ref: `refs/heads/${name}`, oid });
    for (const [name, oid] of remoteRefs) if (name !== 'HEAD') byName.set(name, { name, ref: `refs/remotes/${upstream}/${name}`, oid });
    return sortByName([...byName.values()]);
  }
  const git = await isoGit();
  const local = await git.listBranches({ fs, gitdir });
  for (const name of local) {
    const ref = `refs/heads/${name}`;
    byName.set(name, { name, ref, oid: await git.resolveRef({ fs, gitdir, ref }) });
  }
  let remote: string[] = [];
  try {
    remote = await git.listBranches({ fs, gitdir, remote: upstream });
  } catch {
    remote = [];
  }
  for (const name of remote) {
    if (name === 'HEAD') continue;
    const ref = `refs/remotes/${upstream}/${name}`;
    try {
      byName.set(name, { name, ref, oid: await git.resolveRef({ fs, gitdir, ref }) });
    } catch {
      // A dangling remote ref is skipped: the local branch (if any) stands.
    }
  }
  return sortByName([...byName.values()]);
}

const sortByName = <T extends { name: string }>(xs: T[]): T[] => xs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

export interface ResolvedRef {
  /** The commit id. */
  oid: string;
  /** What the input resolved through (a full ref name, or the commit id itself). */
  ref: string;
}

const SUFFIX_RE = /(~\d*|\^\d*)$/;

/** Resolves user input to a commit id; bad input is an error naming it. */
export async function resolveCommitish(
  gitdir: string,
  store: ObjectStore,
  input: string,
  upstream: string,
): Promise<ResolvedRef> {
  const spec = input.trim();
  // White space anywhere, even around it, is not part of any ref: refused, not trimmed away.
  if (!spec || /[\s:?*[\\]|\.\.|@\{/.test(input)) {
    throw new AppError('bad-input', `invalid ref "${input}": expected a stream name, branch, tag, commit id, or X~N / X^`, {
      ref: input,
    });
  }
  // Peel navigation suffixes off the end: `a~2^` is (a~2)^.
  const ops: string[] = [];
  let base = spec;
  for (let m = SUFFIX_RE.exec(base); m && m.index > 0; m = SUFFIX_RE.exec(base)) {
    ops.unshift(m[1]);
    base = base.slice(0, m.index);
  }
  let { oid, ref } = await resolveName(gitdir, store, base, upstream, input);
  for (const op of ops) {
    const n = op.length > 1 ? Number(op.slice(1)) : 1;
    if (op[0] === '~') {
      for (let i = 0; i < n; i++) oid = parentOf(store, oid, 0, input);
    } else if (n > 0) {
      oid = parentOf(store, oid, n - 1, input);
    }
  }
  if (ops.length > 0) ref = oid;
  return { oid, ref };
}

function parentOf(store: ObjectStore, oid: string, index: number, input: string): string {
  const parents = store.readCommit(oid).parents;
  if (index >= parents.length) {
    throw new AppError('bad-input', `invalid ref "${input}": commit ${oid.slice(0, 12)} has no parent ${index + 1}`, {
      ref: input,
      commit: oid,
    });
  }
  return parents[index];
}

async function resolveName(
  gitdir: string,
  store: ObjectStore,
  name: string,
  upstream: string,
  input: string,
): Promise<ResolvedRef> {
  const candidates = name.startsWith('refs/')
    ? [name]
    : [`refs/remotes/${upstream}/${name}`, `refs/heads/${name}`, `refs/tags/${name}`, `refs/remotes/${name}`, `refs/${name}`];
  for (const ref of candidates) {
    let oid = readRefFast(gitdir, ref);
    if (oid === undefined) {
      try {
        oid = await (await isoGit()).resolveRef({ fs, gitdir, ref });
      } catch {
        oid = null;
      }
    }
    if (oid) return { oid: peelToCommit(store, oid, input), ref };
  }
  if (/^[0-9a-f]{4,40}$/i.test(name)) {
    const lower = name.toLowerCase();
    if (lower.length === 40 && store.has(lower)) return { oid: peelToCommit(store, lower, input), ref: lower };
    let full: string | null = null;
    try {
      full = await (await isoGit()).expandOid({ fs, gitdir, oid: lower });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'AmbiguousError') {
        throw new AppError('bad-input', `ambiguous commit id "${name}": give more characters`, { ref: input });
      }
      full = null;
    }
    if (full) return { oid: peelToCommit(store, full, input), ref: full };
  }
  throw new AppError('not-found', `unknown ref "${input}": no stream, branch, tag or commit has that name`, { ref: input });
}

/** Follows annotated tags to the commit they name. */
function peelToCommit(store: ObjectStore, oid: string, input: string): string {
  for (let depth = 0; depth < 10; depth++) {
    // Most refs name a commit: its type alone tells, without reading the pack.
    if (store.typeOf(oid) === 'commit') return oid;
    const obj = store.read(oid);
    if (obj.type !== 'tag') break;
    const m = /^object ([0-9a-f]{40})$/m.exec(obj.data.toString('utf8'));
    if (!m) break;
    oid = m[1];
  }
  throw new AppError('bad-input', `ref "${input}" does not name a commit`, { ref: input });
}

/** The commit a local branch points at, or null when there is no such branch. */
export async function branchOid(gitdir: string, branch: string): Promise<string | null> {
  const fast = readRefFast(gitdir, `refs/heads/${branch}`);
  if (fast !== undefined) return fast;
  try {
    return await (await isoGit()).resolveRef({ fs, gitdir, ref: `refs/heads/${branch}` });
  } catch {
    return null;
  }
}

/**
 * Points a local branch at `oid`, only if it is still at `expected` (null: must not exist), so
 * a writer never moves a branch someone else moved meanwhile. Callers hold the repo's writer
 * lock, which makes the check and the write one step for every Lockstep process.
 */
export async function setBranch(gitdir: string, branch: string, oid: string, expected: string | null): Promise<void> {
  const now = await branchOid(gitdir, branch);
  if (now !== expected) {
    throw new AppError('conflict', `branch ${branch} ${now ? `is at ${now.slice(0, 12)}` : 'does not exist'}, not ${expected ? expected.slice(0, 12) : 'absent'}: something else changed it; reload and retry`, { ref: branch });
  }
  const git = await isoGit();
  await gitCall(`write branch ${branch}`, () => git.writeRef({ fs: atomicFs, gitdir, ref: `refs/heads/${branch}`, value: oid, force: true }), { ref: branch });
}

/** Deletes a local branch (nothing when it is gone already). */
export async function deleteBranch(gitdir: string, branch: string): Promise<void> {
  if ((await branchOid(gitdir, branch)) === null) return;
  const git = await isoGit();
  await gitCall(`delete branch ${branch}`, () => git.deleteRef({ fs: atomicFs, gitdir, ref: `refs/heads/${branch}` }), { ref: branch });
}

/** Tags with the object each names. */
export async function listTagRefs(gitdir: string): Promise<{ name: string; oid: string }[]> {
  const fast = listRefsFast(gitdir, 'refs/tags/');
  // isomorphic-git lists tags in name order.
  if (fast) return sortByName([...fast].map(([name, oid]) => ({ name, oid })));
  const out: { name: string; oid: string }[] = [];
  const git = await isoGit();
  for (const name of await git.listTags({ fs, gitdir }).catch(() => [] as string[])) {
    try {
      out.push({ name, oid: await git.resolveRef({ fs, gitdir, ref: `refs/tags/${name}` }) });
    } catch {
      // A dangling tag is skipped.
    }
  }
  return out;
}
