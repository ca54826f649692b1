/**
 * Clone over smart HTTP: every stream branch fetched into a hidden sibling folder, checked, made
 * durable and renamed into place only when complete, so a failure, a cancel or even a kill never
 * leaves a half-written repo under `dir`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { AppError } from '../../../shared/errors';
import { atomicFs, fsyncDir, stagedFs, syncTree } from '../atomic-fs';
import { gitFailure, newTransferState } from '../errors';
import { refFileTexts, verifyRefTargets } from './ref-targets';
import { cancelledError } from './transfer-http';
import { checkHttpUrl, startTransfer, type Transfer, type TransferOptions } from './transfer';

const TEMP_MARK = '.lockstep-clone-';

/** What fetchEveryBranch learnt of the remote's HEAD. */
export type RemoteHead =
  /** The branch it names (`refs/heads/testing-devel`); null: the remote has no commits. */
  | { branch: string | null }
  /** It names a branch the remote does not have. */
  | { dangling: true };

/**
 * git.fetch of every branch that also works when the remote's HEAD names a missing branch.
 * isomorphic-git resolves the remote's HEAD twice: to choose what to fetch (before anything
 * is written: then a real branch is named instead) and, at the very end, to report the
 * default branch (after the pack is stored and the refs written: then the fetch is done).
 */
export async function fetchEveryBranch(
  t: Transfer,
  args: { gitdir: string; remote: string; url: string; tags: boolean; prune?: boolean; fs?: typeof atomicFs | typeof stagedFs },
): Promise<RemoteHead> {
  const hooks = { onProgress: t.onProgress, onAuth: t.onAuth, onAuthSuccess: t.onAuthSuccess, onAuthFailure: t.onAuthFailure };
  const run = (remoteRef?: string) =>
    git.fetch({ fs: args.fs ?? atomicFs, http: t.http, gitdir: args.gitdir, remote: args.remote, remoteRef, singleBranch: false, tags: args.tags, prune: args.prune, ...hooks });
  try {
    const r = await run();
    return { branch: r.fetchHead && r.defaultBranch?.startsWith('refs/heads/') ? r.defaultBranch : null };
  } catch (err) {
    if (!isDanglingHead(err) || t.state.signal?.aborted) throw err;
  }
  const heads = await git.listServerRefs({ http: t.http, url: args.url, prefix: 'refs/heads/', protocolVersion: 1, ...hooks });
  if (heads.length === 0) return { dangling: true };
  try {
    await run(heads[0].ref);
  } catch (err) {
    if (!isDanglingHead(err) || t.state.signal?.aborted || t.state.broken) throw err;
  }
  return { dangling: true };
}

/**
 * True when the server's branches and tags are exactly what the repo already has under
 * `refs/remotes/<remote>/` and `refs/tags/`: a fetch would bring nothing and prune nothing.
 * One ref advertisement answers it; isomorphic-git's own fetch would first load every pack
 * index to see that it has the objects (a quarter of a second on a 10× history).
 */
export async function serverMatches(t: Transfer, url: string, local: ReadonlyMap<string, string>, remote: string): Promise<boolean> {
  const hooks = { onAuth: t.onAuth, onAuthSuccess: t.onAuthSuccess, onAuthFailure: t.onAuthFailure };
  const refs = await git.listServerRefs({ http: t.http, url, protocolVersion: 1, ...hooks });
  const prefix = `refs/remotes/${remote}/`;
  let branches = 0;
  for (const r of refs) {
    if (r.ref.startsWith('refs/heads/')) {
      branches++;
      if (local.get(`${prefix}${r.ref.slice('refs/heads/'.length)}`) !== r.oid) return false;
    } else if (r.ref.startsWith('refs/tags/') && !r.ref.endsWith('^{}')) {
      if (local.get(r.ref) !== r.oid) return false;
    }
  }
  const localBranches = [...local.keys()].filter((k) => k.startsWith(prefix)).length;
  return branches === localBranches;
}

/** isomorphic-git's failure when the remote's HEAD is not among its refs. */
function isDanglingHead(err: unknown): boolean {
  const e = err as { code?: string; data?: { what?: string } } | null;
  return e?.code === 'NotFoundError' && e.data?.what === 'HEAD';
}

/** Removes temporary folders of clones into the same destination whose process is gone (a kill). */
function sweepStaleTemps(parent: string, base: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return;
  }
  const prefix = `.${base}${TEMP_MARK}`;
  for (const e of entries) {
    if (!e.startsWith(prefix)) continue;
    const pid = Number(e.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
      continue; // still running: another clone in progress
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') continue;
    }
    fs.rmSync(path.join(parent, e), { recursive: true, force: true });
  }
}

/** Removes folders we created for the destination's parent, innermost first, while empty. */
function removeCreatedParents(parent: string, firstCreated: string | undefined): void {
  if (!firstCreated) return;
  let p = parent;
  while (p.length >= firstCreated.length && p.startsWith(firstCreated)) {
    try {
      fs.rmdirSync(p);
    } catch {
      return;
    }
    p = path.dirname(p);
  }
}

/** The remote's default branch as the clone's own, tracking it and named by HEAD, as git clone leaves it. */
async function setDefaultBranch(gitdir: string, name: string): Promise<void> {
  const oid = await git.resolveRef({ fs: stagedFs, gitdir, ref: `refs/remotes/origin/${name}` });
  await git.setConfig({ fs: stagedFs, gitdir, path: `branch.${name}.remote`, value: 'origin' });
  await git.setConfig({ fs: stagedFs, gitdir, path: `branch.${name}.merge`, value: `refs/heads/${name}` });
  await git.writeRef({ fs: stagedFs, gitdir, ref: `refs/heads/${name}`, value: oid });
  await git.writeRef({ fs: stagedFs, gitdir, ref: 'HEAD', value: `refs/heads/${name}`, symbolic: true, force: true });
}

/** Clone all branches of `url` into `dir` as a BARE repo (gitdir = dir, core.bare=true, no checkout). */
export async function cloneRepo(url: string, dir: string, opts: TransferOptions = {}): Promise<void> {
  const u = checkHttpUrl(url);
  url = url.trim();
  let target = path.resolve(dir);
  let existed = false;
  if (fs.existsSync(target)) {
    target = fs.realpathSync(target);
    if (!fs.statSync(target).isDirectory()) {
      throw new AppError('bad-input', `${target} exists and is not a folder; choose another destination`, { file: target });
    }
    if (fs.readdirSync(target).length > 0) {
      throw new AppError('bad-input', `${target} already exists and is not empty; choose another destination or empty it first`, { file: target });
    }
    existed = true;
  }
  if (opts.signal?.aborted) throw gitFailure(cancelledError(), { transfer: newTransferState('clone of', url) });

  const parent = path.dirname(target);
  const base = path.basename(target);
  let createdParent: string | undefined;
  try {
    createdParent = fs.mkdirSync(parent, { recursive: true });
  } catch (err) {
    throw new AppError('io', `cannot create ${parent} (${(err as NodeJS.ErrnoException).code ?? 'error'}); choose a destination you can write to`, { file: parent });
  }
  sweepStaleTemps(parent, base);
  const tmp = path.join(parent, `.${base}${TEMP_MARK}${process.pid}-${crypto.randomBytes(4).toString('hex')}`);

  // Built in a folder nobody reads until the rename: its files are written plainly and made
  // durable together just before it (syncTree), not one fsynced temp-and-rename each.
  const t = startTransfer('clone of', url, opts, tmp, true);
  try {
    fs.mkdirSync(tmp);
    // git.clone's own steps, less its "checkout": even with noCheckout it loads the new pack
    // into isomorphic-git (its index, the whole pack, pako) to read one commit, ~20 ms of a
    // clone of the fixture; verifyRefTargets below checks every ref's object instead.
    await git.init({ fs: stagedFs, gitdir: tmp, bare: true });
    await git.addRemote({ fs: stagedFs, gitdir: tmp, remote: 'origin', url });
    const head = await fetchEveryBranch(t, { gitdir: tmp, remote: 'origin', url, tags: true, fs: stagedFs });
    if (opts.signal?.aborted) throw cancelledError();
    // isomorphic-git can take a cut stream for a short one and finish "successfully".
    if (t.state.broken) throw t.state.broken;
    await verifyRefTargets(tmp, await refFileTexts(tmp));
    if ('dangling' in head) {
      // git clones every branch anyway and warns, with HEAD left unborn.
      opts.onWarning?.('remote HEAD refers to a branch that does not exist; every branch was cloned, none is checked out');
    } else if (head.branch) {
      await setDefaultBranch(tmp, head.branch.slice('refs/heads/'.length));
    }
    // A token typed into the URL served this clone; it is not kept in the repo's config
    // (later fetches ask the credential provider). The user name stays: helpers key on it.
    if (u.password) {
      u.password = '';
      await git.setConfig({ fs: stagedFs, gitdir: tmp, path: 'remote.origin.url', value: u.href });
    }
    await syncTree(tmp);
    if (opts.signal?.aborted) throw cancelledError();
    try {
      fs.renameSync(tmp, target);
    } catch (err) {
      // Windows (and some file systems) will not rename over an empty folder: remove it first.
      if (existed && fs.existsSync(target) && fs.readdirSync(target).length === 0) {
        fs.rmdirSync(target);
        fs.renameSync(tmp, target);
      } else if (fs.existsSync(target)) {
        throw new AppError('bad-input', `${target} was created by something else during the clone; choose another destination`, { file: target });
      } else {
        throw err;
      }
    }
    // The clone is done once its name is: a power cut before this fsync could undo the rename.
    await fsyncDir(parent);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
    if (!existed) removeCreatedParents(parent, createdParent);
    throw gitFailure(err, { transfer: t.state });
  } finally {
    t.http.close();
  }
}
