/**
 * Pushing a draft as a branch for CI gating: never forced (the remote branch must be absent,
 * this commit, or exactly where Lockstep pushed this draft before, so a rebased draft's PR
 * follows it), never stale (the stream head is read from the upstream server itself before
 * every push), then the PR page to open (or, with a GitHub token, a PR created by the queue).
 */
import { AppError } from '../../../shared/errors';
import { assertAllowed, LIFECYCLE } from '../../../shared/drafts/lifecycle';
import { newPullRequestUrl, parseForgeUrl } from '../../../shared/forge';
import { isValidBranchName, pushBranchName } from '../../../shared/drafts/rationale';
import { draftPullRequest } from './pull-request';
import { parseNvrOrEvr } from '../../../shared/rpm/nevra';
import { remoteUrl } from '../../git/config';
import type { CredentialProvider } from '../../git/transport/credentials';
import { pushBranch, remoteBranchOid } from '../../git/transport/push';
import { stripUserInfo } from '../../git/errors';
import type { ConfigRepo } from '../review/config-repo';
import { DraftStore } from '../drafts/store';

export interface PushResult {
  remote: string;
  remoteBranch: string;
  commit: string;
  prUrl: string | null;
  /** True when the remote branch already was this draft's commit. */
  alreadyPushed: boolean;
  /** True when an earlier push of this draft was moved to its rebased commit. */
  updated: boolean;
}

export interface PushOptions {
  remote?: string;
  remoteBranch?: string;
  credentials?: CredentialProvider;
  signal?: AbortSignal;
  /** The queue already moved the draft to `pushing`; it records the outcome itself. */
  fromQueue?: boolean;
}

/** The pushed branch name: `override-<stream>-<srpm>-<version>-<release>`, ref-safe. */
export function defaultPushBranch(stream: string, srpm: string | undefined, branch: string): string {
  if (srpm) {
    try {
      const { name, evr } = parseNvrOrEvr(srpm);
      if (name) return pushBranchName(stream, name, evr.version, evr.release);
    } catch {
      // Falls back to the draft branch's own tail.
    }
  }
  return pushBranchName(stream, branch.split('/').pop() ?? 'draft', '', null).replace(/-$/, '');
}

export async function pushDraft(repo: ConfigRepo, branch: string, opts: PushOptions = {}): Promise<PushResult> {
  const store = new DraftStore(repo);
  const d = await store.get(branch);
  // What goes out is only ever the commit Lockstep wrote and the user previewed.
  if (d.edited) assertAllowed(branch, d.state, d, 'push');
  if (d.stale) {
    throw new AppError('stale', `${branch} is stale: ${d.stream} moved to ${d.streamHead?.slice(0, 12)} since it was based on ${d.base.slice(0, 12)}; run lockstep rebase ${branch} first (CI results on an old base are not trusted)`, { ref: branch });
  }
  const remote = opts.remote ?? d.push?.remote ?? repo.upstream;
  const url = await remoteUrl(repo.gitdir, remote);
  if (!url) throw new AppError('bad-input', `no remote "${remote}" in this clone; add your fork with git remote add and name it as the push remote (Settings: push remote; lockstep push: --remote)`, { ref: remote });
  const remoteBranch = opts.remoteBranch ?? d.pushAs ?? d.push?.remoteBranch ?? defaultPushBranch(d.stream, d.srpms[0], branch);
  if (!isValidBranchName(remoteBranch)) throw new AppError('bad-input', `"${remoteBranch}" is not a valid branch name for the remote`, { ref: remoteBranch });
  let samePlace = !!d.push && d.push.remote === remote && d.push.remoteBranch === remoteBranch;
  if (samePlace && d.push!.commit === d.head) {
    // Pushed before: success only while the remote branch still holds the draft's commit.
    const found = await remoteBranchOid(repo.gitdir, remote, url, remoteBranch, opts);
    if (found === d.head) return { remote, remoteBranch, commit: d.head, prUrl: d.push!.prUrl, alreadyPushed: true, updated: false };
    if (found !== null) {
      throw new AppError('conflict', `${stripUserInfo(url)} branch ${remoteBranch} now holds ${found} instead of this draft's ${d.head}, which Lockstep pushed there: someone replaced it; it is left as it is (push under another branch name, or look at that branch first)`, {
        ref: remoteBranch,
        reason: 'remote-branch-occupied',
        found,
        pushed: d.head,
      });
    }
    // Deleted there: pushed again as a new branch (no lease: it must not exist).
    samePlace = false;
  }
  // Pushed and unchanged forbids a push to the same place only: another branch name is a new push.
  if (!opts.fromQueue && (samePlace || LIFECYCLE[d.state.kind].inQueue)) assertAllowed(branch, d.state, d, 'push');

  // The stream as the server has it now: a draft based elsewhere is stale there even when
  // this clone has not fetched yet.
  const upstreamUrl = (await remoteUrl(repo.gitdir, repo.upstream)) ?? url;
  const serverHead = await remoteBranchOid(repo.gitdir, repo.upstream, upstreamUrl, d.stream, opts);
  if (serverHead !== d.base) {
    throw new AppError(
      'stale',
      serverHead
        ? `${branch} is stale on the server: ${stripUserInfo(upstreamUrl)} has ${d.stream} at ${serverHead.slice(0, 12)}, the draft is based on ${d.base.slice(0, 12)}; fetch, then rebase it`
        : `${stripUserInfo(upstreamUrl)} has no branch ${d.stream}; the draft's stream is gone there`,
      { ref: branch, serverHead },
    );
  }

  const lease = samePlace ? d.push!.commit : null;
  const outcome = await pushBranch({ gitdir: repo.gitdir, remote, url, branch, remoteBranch, commit: d.head, lease, credentials: opts.credentials, signal: opts.signal });
  const base = parseForgeUrl(upstreamUrl);
  const head = parseForgeUrl(url);
  const { title, body } = draftPullRequest(repo, d);
  // A re-push updates the branch of the PR that exists: its URL stays.
  const prUrl = samePlace && d.push!.prUrl ? d.push!.prUrl : base && head ? newPullRequestUrl(base, head, remoteBranch, d.stream, title, body) : null;
  const push = { remote, remoteBranch, commit: d.head, prUrl, pushedAt: new Date().toISOString() };
  await store.update(branch, (rec) => ({ ...rec, push, ...(opts.fromQueue ? {} : { state: { kind: 'pushed' as const } }) }));
  return { remote, remoteBranch, commit: d.head, prUrl, alreadyPushed: outcome === 'up-to-date', updated: samePlace };
}
