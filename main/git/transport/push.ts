/**
 * Pushing one local branch to a remote branch, never blind: the remote branch must be absent,
 * already this commit, or exactly at `lease` (the commit Lockstep pushed there before, so a
 * rebased draft's PR follows it). Anything else there is never overwritten. HTTP(S) remotes go
 * through isomorphic-git, whose pre-push hook sees the very old-oid the server will check
 * atomically in its update command; other remotes (SSH) through the git CLI with
 * `--force-with-lease=<ref>:<lease>`, which is the same guarantee.
 */
import { spawnSync } from 'node:child_process';
import git from 'isomorphic-git';
import { AppError } from '../../../shared/errors';
import { parseForgeUrl } from '../../../shared/forge';
import { atomicFs } from '../atomic-fs';
import { authCallbacks } from './transfer';
import { hasGitCli, type CredentialProvider } from './credentials';
import { cancellableHttp } from './http';
import { gitFailure, newTransferState, stripUserInfo } from '../errors';

const ZERO = '0'.repeat(40);

export interface PushBranchOptions {
  gitdir: string;
  /** The remote's name (for the git CLI) and URL. */
  remote: string;
  url: string;
  /** Local branch and remote branch names (no refs/heads/). */
  branch: string;
  remoteBranch: string;
  /** The local commit to push. */
  commit: string;
  /** The commit the remote branch may hold and be moved from; null: it must not exist. */
  lease: string | null;
  credentials?: CredentialProvider;
  signal?: AbortSignal;
}

export type PushOutcome = 'pushed' | 'up-to-date';

const isHttp = (url: string) => /^https?:\/\//i.test(url);

function occupied(o: PushBranchOptions, found: string): AppError {
  const where = `${stripUserInfo(o.url)} branch ${o.remoteBranch}`;
  const why = o.lease
    ? `is at ${found.slice(0, 12)}, not at ${o.lease.slice(0, 12)} where Lockstep pushed it: someone else pushed there; it is left as it is`
    : `already exists with other commits (${found.slice(0, 12)})`;
  return new AppError('conflict', `${where} ${why}; push under another branch name, or look at that branch first`, {
    ref: o.remoteBranch,
    reason: 'remote-branch-occupied',
    found,
  });
}

/** The commit a remote branch points at (null: no such branch), read from the server itself. */
export async function remoteBranchOid(
  gitdir: string,
  remote: string,
  url: string,
  branch: string,
  opts: { credentials?: CredentialProvider; signal?: AbortSignal } = {},
): Promise<string | null> {
  const ref = `refs/heads/${branch}`;
  if (isHttp(url)) {
    let refs: { ref: string; oid: string }[];
    const state = newTransferState('read branches of', url, opts.signal, 'write');
    try {
      refs = await git.listServerRefs({ http: cancellableHttp(opts.signal), url, prefix: ref, ...authCallbacks(opts.credentials, state) });
    } catch (err) {
      throw gitFailure(err, { transfer: state });
    }
    return refs.find((r) => r.ref === ref)?.oid ?? null;
  }
  if (!hasGitCli()) throw sshWithoutGit(remote, url);
  const r = spawnSync('git', ['--git-dir', gitdir, 'ls-remote', '--heads', remote, ref], {
    encoding: 'utf8',
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    timeout: 120_000,
  });
  if (r.status !== 0) throw new AppError('network', `git ls-remote ${remote}: ${(r.stderr.trim().split('\n').pop() ?? 'failed').trim()}`, { ref: remote });
  const line = r.stdout.split('\n').find((l) => l.endsWith(`\t${ref}`));
  return line ? line.slice(0, 40) : null;
}

function sshWithoutGit(remote: string, url: string): AppError {
  const web = parseForgeUrl(url);
  return new AppError('bad-input', `${remote} is an SSH remote and git is not installed; set its HTTPS URL${web ? ` (${web.web}.git)` : ''} with git remote set-url`, { ref: remote });
}

/** Pushes `commit` to the remote branch under the lease; see the module comment. */
export async function pushBranch(o: PushBranchOptions): Promise<PushOutcome> {
  return isHttp(o.url) ? pushHttp(o) : pushCli(o);
}

function pushHttp(o: PushBranchOptions): Promise<PushOutcome> {
  return pushHttpLeased(o, {
    doing: 'push to',
    refused: `push to ${stripUserInfo(o.url)}`,
    done: 'pushed',
    judge: (found) => (found === o.commit ? 'up-to-date' : found !== o.lease ? occupied(o, found ?? ZERO) : null),
    moved: (found) => occupied(o, found),
  });
}

async function pushCli(o: PushBranchOptions): Promise<PushOutcome> {
  if (!hasGitCli()) throw sshWithoutGit(o.remote, o.url);
  const r = gitPushLeased(o, o.lease, o.commit);
  const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  if (r.status === 0) return /\[up to date\]/.test(out) ? 'up-to-date' : 'pushed';
  if (/\[rejected\]|stale info|non-fast-forward|fetch first/.test(out)) {
    // A lease refused because the branch is already this commit is a push that happened.
    const found = await remoteBranchOid(o.gitdir, o.remote, o.url, o.remoteBranch);
    if (found === o.commit) return 'up-to-date';
    throw occupied(o, found ?? ZERO);
  }
  const why = out.split('\n').find((l) => /denied|fatal|error/i.test(l)) ?? 'push failed';
  throw new AppError('network', `git push to ${o.remote}: ${why.trim()}`, { ref: o.remoteBranch });
}

export interface DeleteBranchOptions {
  gitdir: string;
  remote: string;
  url: string;
  /** The local branch the remote one was pushed from (isomorphic-git resolves it even to delete). */
  branch: string;
  remoteBranch: string;
  /** The commit the remote branch must still hold to be deleted: the one Lockstep pushed there. */
  lease: string;
  credentials?: CredentialProvider;
  signal?: AbortSignal;
}

/**
 * Deletes a remote branch under a lease: only while it holds `lease` (git's
 * `--force-with-lease=<ref>:<lease>`); one someone else moved is left alone with a clear error.
 * 'gone': it was already deleted there.
 */
export async function deleteRemoteBranch(o: DeleteBranchOptions): Promise<'deleted' | 'gone'> {
  const moved = (found: string) =>
    new AppError('conflict', `${stripUserInfo(o.url)} branch ${o.remoteBranch} is at ${found.slice(0, 12)}, not at ${o.lease.slice(0, 12)} where Lockstep pushed it: someone else pushed there, so it is not deleted`, {
      ref: o.remoteBranch,
      reason: 'remote-branch-occupied',
      found,
    });
  if (isHttp(o.url)) {
    return pushHttpLeased(o, {
      doing: 'delete a branch on',
      refused: `deleting ${o.remoteBranch} on ${stripUserInfo(o.url)}`,
      done: 'deleted',
      delete: true,
      judge: (found) => (found === null ? 'gone' : found !== o.lease ? moved(found) : null),
      moved,
    });
  }
  if (!hasGitCli()) throw sshWithoutGit(o.remote, o.url);
  if ((await remoteBranchOid(o.gitdir, o.remote, o.url, o.remoteBranch)) === null) return 'gone';
  const r = gitPushLeased(o, o.lease, '');
  if (r.status === 0) return 'deleted';
  const now = await remoteBranchOid(o.gitdir, o.remote, o.url, o.remoteBranch);
  if (now === null) return 'gone';
  if (now !== o.lease) throw moved(now);
  throw new AppError('network', `git push --delete to ${o.remote}: ${(r.stderr.trim().split('\n').pop() ?? 'failed').trim()}`, { ref: o.remoteBranch });
}

/** What one leased push over HTTP does; its outcome type `T` names what happened. */
interface LeasedHttpPush<T> {
  /** The transfer's verb, for its errors ("push to", "delete a branch on"). */
  doing: string;
  /** The subject of "… was refused". */
  refused: string;
  /** The outcome when the server took the update. */
  done: T;
  delete?: boolean;
  /**
   * Judges the remote branch as the server advertised it (null: absent): null goes ahead, an
   * outcome means nothing needs pushing, an AppError refuses without sending anything.
   */
  judge: (found: string | null) => T | AppError | null;
  /** The refusal when the branch moved between the advertisement and the update. */
  moved: (found: string) => AppError;
}

/**
 * One isomorphic-git push (or deletion) of a remote branch under a lease. Its pre-push hook sees
 * the very old-oid the server checks atomically in its update command, so approving it in the
 * hook is the lease; `force` only lets the hook, not isomorphic-git's fast-forward rule, decide.
 */
async function pushHttpLeased<T>(
  o: { gitdir: string; url: string; branch: string; remoteBranch: string; credentials?: CredentialProvider; signal?: AbortSignal },
  p: LeasedHttpPush<T>,
): Promise<T> {
  const state = newTransferState(p.doing, o.url, o.signal, 'write');
  // Set by the pre-push hook (a closure TypeScript cannot follow, hence the holder).
  const hook: { verdict: T | AppError | null } = { verdict: null };
  try {
    const r = await git.push({
      fs: atomicFs,
      http: cancellableHttp(o.signal),
      gitdir: o.gitdir,
      url: o.url,
      ref: `refs/heads/${o.branch}`,
      remoteRef: `refs/heads/${o.remoteBranch}`,
      ...(p.delete ? { delete: true } : { force: true }),
      onPrePush: ({ remoteRef }) => {
        hook.verdict = p.judge(remoteRef.oid === ZERO ? null : remoteRef.oid);
        return hook.verdict === null;
      },
      ...authCallbacks(o.credentials, state),
    });
    const result = r.refs[`refs/heads/${o.remoteBranch}`];
    if (!r.ok || (result && !result.ok)) {
      const why = result?.error ?? 'refused';
      if (/stale info|non-fast-forward|fetch first|lock/i.test(why)) throw p.moved('changed');
      throw new AppError('conflict', `${p.refused} was refused: ${why}`, { ref: o.remoteBranch });
    }
    return p.done;
  } catch (err) {
    if (hook.verdict instanceof AppError) throw hook.verdict;
    if (hook.verdict !== null) return hook.verdict;
    throw gitFailure(err, { transfer: state });
  }
}

/** `git push --force-with-lease` of `source` (a commit, or '' to delete) to the remote branch. */
function gitPushLeased(o: { gitdir: string; remote: string; remoteBranch: string }, lease: string | null, source: string) {
  const ref = `refs/heads/${o.remoteBranch}`;
  return spawnSync('git', ['--git-dir', o.gitdir, 'push', '--porcelain', `--force-with-lease=${ref}:${lease ?? ''}`, o.remote, `${source}:${ref}`], {
    encoding: 'utf8',
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    timeout: 120_000,
  });
}
