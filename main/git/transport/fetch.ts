/**
 * Fetch every branch of the upstream remote into its remote-tracking branches, pruning the
 * deleted ones, and report which moved.
 *
 * isomorphic-git would update the refs before it has downloaded and indexed the pack; here the
 * transfer's HTTP layer takes the pack out of the answer, indexes and stores it first (see
 * `startTransfer`), so refs only ever move to objects on disk. The refs it may touch are still
 * recorded and put back on any later failure (a cancel between two ref writes): a failed fetch
 * changes nothing a reader can see (a stray pack at most).
 */
import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { AppError } from '../../../shared/errors';
import { atomicFs, removeDeadTemps } from '../atomic-fs';
import { deferredRefsFs } from './deferred-refs';
import { fetchEveryBranch, serverMatches } from './clone';
import { checkHttpUrl, startTransfer, type TransferOptions } from './transfer';
import { verifyRefTargets } from './ref-targets';
import { gitFailure, stripUserInfo } from '../errors';

export interface FetchedRef {
  /** Branch name on the remote (`testing-devel`), not the full ref. */
  name: string;
  /** Its remote-tracking branch before the fetch; null for a new branch. */
  from: string | null;
  to: string;
}

type RefMap = Map<string, string>;

/** Every ref the fetch may write or prune: the remote's tracking branches and the tags. */
async function snapshot(gitdir: string, remote: string): Promise<RefMap> {
  const refs: RefMap = new Map();
  const add = async (full: string) => {
    try {
      refs.set(full, await git.resolveRef({ fs, gitdir, ref: full }));
    } catch {
      // A dangling ref counts as absent.
    }
  };
  const branches = await git.listBranches({ fs, gitdir, remote }).catch(() => [] as string[]);
  // HEAD is a symbolic ref that only follows the others; it is never rewritten as an oid.
  for (const b of branches) if (b !== 'HEAD') await add(`refs/remotes/${remote}/${b}`);
  const tags = await git.listTags({ fs, gitdir }).catch(() => [] as string[]);
  for (const t of tags) await add(`refs/tags/${t}`);
  return refs;
}

/** Puts the refs back as they were in `before`; best effort, the original error matters more. */
async function restore(gitdir: string, remote: string, before: RefMap): Promise<void> {
  const now = await snapshot(gitdir, remote);
  for (const [ref, oid] of now) {
    if (before.get(ref) === oid) continue;
    try {
      if (before.has(ref)) await git.writeRef({ fs: atomicFs, gitdir, ref, value: before.get(ref)!, force: true });
      else await git.deleteRef({ fs: atomicFs, gitdir, ref });
    } catch {
      /* keep restoring the others */
    }
  }
  for (const [ref, oid] of before) {
    if (now.has(ref)) continue;
    try {
      await git.writeRef({ fs: atomicFs, gitdir, ref, value: oid, force: true });
    } catch {
      /* keep restoring the others */
    }
  }
}

/**
 * Checks that the remote's refspecs write only under refs/remotes/<remote>/: a mirror's
 * `+refs/*:refs/*` with prune would delete every local branch the server lacks, the drafts
 * included. A remote with no refspec at all (`git clone --bare`) gets git's standard one.
 */
async function ensureTrackingRefspec(gitdir: string, remote: string): Promise<void> {
  const specs = ((await git.getConfigAll({ fs, gitdir, path: `remote.${remote}.fetch` })) as unknown[]).map(String);
  if (specs.length === 0) {
    await git.setConfig({ fs: atomicFs, gitdir, path: `remote.${remote}.fetch`, value: `+refs/heads/*:refs/remotes/${remote}/*` });
    return;
  }
  for (const spec of specs) {
    if (spec.startsWith('^')) continue; // a negative refspec only excludes
    const dst = spec.replace(/^\+/, '').split(':')[1] ?? '';
    if (!dst.startsWith(`refs/remotes/${remote}/`)) {
      throw new AppError(
        'bad-input',
        `remote ${remote} fetches "${spec}", which writes outside refs/remotes/${remote}/ (a mirror clone?); Lockstep fetches only into remote-tracking branches so that drafts are never pruned: fetch this clone with git, or set remote.${remote}.fetch to +refs/heads/*:refs/remotes/${remote}/*`,
        { ref: remote },
      );
    }
  }
}

/** Fetch all branches of `remote` (default 'origin') into refs/remotes/<remote>/*, prune deleted ones; returns the branches whose tip moved. */
export async function fetchAll(gitdir: string, opts: TransferOptions & { remote?: string } = {}): Promise<FetchedRef[]> {
  const remote = opts.remote ?? 'origin';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(remote)) throw new AppError('bad-input', `"${remote}" is not a remote name`, { ref: remote });
  if (!fs.existsSync(path.join(gitdir, 'HEAD')) || !fs.existsSync(path.join(gitdir, 'objects'))) {
    throw new AppError('bad-input', `${gitdir} is not a git folder; give the bare repo or the .git folder of a clone`, { file: gitdir });
  }
  const url = (await git.getConfig({ fs, gitdir, path: `remote.${remote}.url` })) as string | undefined;
  if (!url) {
    throw new AppError('bad-input', `the repository has no remote "${remote}" to fetch from; add it with git remote add ${remote} <https-url>`, { ref: remote });
  }
  try {
    checkHttpUrl(url);
  } catch (err) {
    const shown = stripUserInfo(url);
    throw new AppError('bad-input', `remote ${remote} is ${shown}: Lockstep fetches over HTTPS only; fetch with git, or set an HTTPS URL with git remote set-url ${remote} <https-url>`, {
      ref: remote,
      url: shown,
      cause: (err as AppError).message,
    });
  }
  await ensureTrackingRefspec(gitdir, remote);
  // A fetch killed mid-write leaves `.name.tmp-PID-N` files beside refs, which isomorphic-git
  // would take for refs with invalid names.
  removeDeadTemps(gitdir);

  const before = await snapshot(gitdir, remote);
  const t = startTransfer('fetch from', url, opts, gitdir);
  const refs = deferredRefsFs(gitdir);
  try {
    if (await serverMatches(t, url, before, remote)) return [];
    await fetchEveryBranch(t, { gitdir, remote, url, prune: true, tags: true, fs: refs.fs });
    // A cancel that lands after the last read still means "as if nothing happened".
    if (opts.signal?.aborted) throw new AppError('cancelled', 'cancelled');
    // isomorphic-git can take a cut stream for a short one and finish "successfully".
    if (t.state.broken) throw t.state.broken;
    // Refs move only once every commit they name is in the repo and readable.
    await verifyRefTargets(gitdir, refs.changes().values());
    await refs.commit();
  } catch (err) {
    await restore(gitdir, remote, before);
    throw gitFailure(err, { transfer: t.state });
  } finally {
    t.http.close();
  }

  const after = await snapshot(gitdir, remote);
  const prefix = `refs/remotes/${remote}/`;
  const moved: FetchedRef[] = [];
  for (const [ref, to] of after) {
    if (!ref.startsWith(prefix)) continue;
    const from = before.get(ref) ?? null;
    if (from !== to) moved.push({ name: ref.slice(prefix.length), from, to });
  }
  return moved.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
