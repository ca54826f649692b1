/** A draft's pull request as the forge gets it: title and body (rationale, effect per arch, links). */
import type { DraftRecord } from '../../../shared/api/types';
import { pullRequestBody } from '../../../shared/drafts/pr-body';
import { pullRequestTitle } from '../../../shared/drafts/rationale';
import { draftEffect } from '../../../shared/lockfile/diff';
import type { ConfigRepo } from '../review/config-repo';

export function draftPullRequest(repo: ConfigRepo, d: Pick<DraftRecord, 'stream' | 'message' | 'base' | 'head'>): { title: string; body: string } {
  const effect = draftEffect(repo.snapshot(d.base), repo.snapshot(d.head));
  return { title: pullRequestTitle(d.stream, d.message), body: pullRequestBody(d.message, effect) };
}
