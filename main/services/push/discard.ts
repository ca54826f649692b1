/**
 * Discarding a draft, and with it (when asked) the remote branch it was pushed to: deleted
 * under a lease on the commit Lockstep pushed there, before the draft goes, so a remote branch
 * someone else moved is never deleted and the draft is kept to retry or look at.
 */
import { AppError } from '../../../shared/errors';
import { remoteUrl } from '../../git/config';
import type { CredentialProvider } from '../../git/transport/credentials';
import { deleteRemoteBranch } from '../../git/transport/push';
import { DraftStore } from '../drafts/store';
import type { ConfigRepo } from '../review/config-repo';

export interface DiscardOptions {
  deleteRemote?: boolean;
  credentials?: CredentialProvider;
  signal?: AbortSignal;
}

/** What happened to the remote branch: deleted, already gone, or not asked. */
export type RemoteOutcome = 'deleted' | 'gone' | null;

export async function discardDraft(repo: ConfigRepo, branch: string, opts: DiscardOptions = {}): Promise<{ remote: RemoteOutcome }> {
  const store = new DraftStore(repo);
  let remote: RemoteOutcome = null;
  if (opts.deleteRemote) {
    const d = await store.get(branch);
    if (!d.push) throw new AppError('bad-input', `${branch} was never pushed: there is no remote branch to delete (discard it without --delete-remote)`, { ref: branch });
    const url = await remoteUrl(repo.gitdir, d.push.remote);
    if (!url) throw new AppError('bad-input', `no remote "${d.push.remote}" in this clone any more, where ${branch} was pushed; add it back or discard without --delete-remote`, { ref: d.push.remote });
    remote = await deleteRemoteBranch({ gitdir: repo.gitdir, remote: d.push.remote, url, branch, remoteBranch: d.push.remoteBranch, lease: d.push.commit, credentials: opts.credentials, signal: opts.signal });
  }
  await store.discard(branch);
  return { remote };
}
