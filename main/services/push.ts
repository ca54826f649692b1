/**
 * Pushing a draft as a new branch for CI gating: never force (a remote branch with other
 * content stops the push), never stale (a draft whose stream moved is refused until rebased),
 * then the PR page to open (or, with a GitHub token, a PR created through the REST API).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import git from 'isomorphic-git';
import { AppError } from '../../shared/errors';
import { newPullRequestUrl, parseForgeUrl } from '../../shared/forge';
import { pullRequestTitle, pushBranchName } from '../../shared/drafts/rationale';
import { parseNvrOrEvr } from '../../shared/rpm/nevra';
import { atomicFs } from '../git/atomic-fs';
import { authCallbacks } from '../git/clone';
import { cancellableHttp } from '../git/http';
import { stripUserInfo, transportError } from '../git/transport-errors';
import type { ConfigRepo } from './config-repo';
import { hasGitCli, type CredentialProvider } from './credentials';
import { DraftStore } from './drafts';

export interface PushResult {
  remote: string;
  remoteBranch: string;
  commit: string;
  prUrl: string | null;
  /** True when the remote branch already was this draft's commit. */
  alreadyPushed: boolean;
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

export async function pushDraft(
  repo: ConfigRepo,
  branch: string,
  opts: { remote?: string; remoteBranch?: string; credentials?: CredentialProvider; signal?: AbortSignal } = {},
): Promise<PushResult> {
  const store = new DraftStore(repo);
  const d = await store.get(branch);
  if (d.stale) {
    throw new AppError('stale', `${branch} is stale: ${d.stream} moved to ${d.streamHead?.slice(0, 12)} since it was based on ${d.base.slice(0, 12)}; run lockstep rebase ${branch} first (CI results on an old base are not trusted)`, { ref: branch });
  }
  const remote = opts.remote ?? repo.upstream;
  const url = (await git.getConfig({ fs, gitdir: repo.gitdir, path: `remote.${remote}.url` })) as string | undefined;
  if (!url) throw new AppError('bad-input', `no remote "${remote}" in this clone; add your fork with git remote add, or pass --remote`, { ref: remote });
  const remoteBranch = opts.remoteBranch ?? defaultPushBranch(d.stream, d.srpms[0], branch);
  const upstreamUrl = ((await git.getConfig({ fs, gitdir: repo.gitdir, path: `remote.${repo.upstream}.url` })) as string | undefined) ?? url;
  let alreadyPushed = false;
  if (/^https?:\/\//.test(url)) {
    const auth = authCallbacks(opts.credentials);
    const http = cancellableHttp(opts.signal);
    let existing: { ref: string; oid: string }[] = [];
    try {
      existing = await git.listServerRefs({ http, url, prefix: `refs/heads/${remoteBranch}`, ...auth });
    } catch (err) {
      if ((err as { code?: string }).code === 'UserCanceledError') {
        throw new AppError('auth', `push to ${stripUserInfo(url)}: the server wants credentials and none were accepted; check your token`, { url: stripUserInfo(url) });
      }
      throw transportError(err, url, 'push to');
    }
    const same = existing.find((r) => r.ref === `refs/heads/${remoteBranch}`);
    if (same && same.oid !== d.head) {
      throw new AppError('conflict', `${stripUserInfo(url)} already has a branch ${remoteBranch} with other commits; never forcing: push under another name with --remote-branch, or delete that branch first`, { ref: remoteBranch });
    }
    alreadyPushed = same?.oid === d.head;
    if (!alreadyPushed) {
      try {
        const r = await git.push({ fs: atomicFs, http, gitdir: repo.gitdir, url, ref: `refs/heads/${branch}`, remoteRef: `refs/heads/${remoteBranch}`, force: false, ...auth });
        if (!r.ok) throw new AppError('network', `push to ${stripUserInfo(url)} was refused: ${JSON.stringify(r.refs)}`);
      } catch (err) {
        throw transportError(err, url, 'push to');
      }
    }
  } else if (hasGitCli()) {
    // isomorphic-git speaks only HTTP(S): SSH remotes go through the git CLI, never forced.
    const r = spawnSync('git', ['--git-dir', repo.gitdir, 'push', '--porcelain', remote, `refs/heads/${branch}:refs/heads/${remoteBranch}`], {
      encoding: 'utf8',
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      timeout: 120_000,
    });
    if (r.status !== 0) {
      const out = `${r.stdout}\n${r.stderr}`;
      if (/\[rejected\]|non-fast-forward|fetch first/.test(out)) {
        throw new AppError('conflict', `${remote} already has a branch ${remoteBranch} with other commits (rejected); never forcing: push under another name with --remote-branch`, { ref: remoteBranch });
      }
      const why = out.split('\n').find((l) => /denied|fatal|error/i.test(l)) ?? 'push failed';
      throw new AppError('network', `git push to ${remote}: ${why.trim()}`, { ref: remoteBranch });
    }
  } else {
    const web = parseForgeUrl(url);
    throw new AppError('bad-input', `${remote} is an SSH remote and git is not installed; set its HTTPS URL${web ? ` (${web.web}.git)` : ''} with git remote set-url`, { ref: remote });
  }
  const base = parseForgeUrl(upstreamUrl);
  const head = parseForgeUrl(url);
  const title = pullRequestTitle(d.stream, d.message);
  const body = d.message.split('\n').slice(1).join('\n').trim();
  const prUrl = base && head ? newPullRequestUrl(base, head, remoteBranch, d.stream, title, body) : null;
  await store.update(branch, (rec) => ({ ...rec, state: 'pushed', push: { remote, remoteBranch, commit: d.head, prUrl, pushedAt: new Date().toISOString() } }));
  return { remote, remoteBranch, commit: d.head, prUrl, alreadyPushed };
}
