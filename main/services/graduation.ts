/** Which fast-tracks of a stream have graduated, and the draft that drops them. */
import path from 'node:path';
import { snapshotRelease } from '../../shared/drafts/validate';
import { rationaleTitle } from '../../shared/drafts/rationale';
import { graduation, type GraduationRow } from '../../shared/graduation';
import type { DraftRecord } from '../../shared/api/types';
import type { ConfigRepo } from './config-repo';
import { DRAFT_BRANCH_PREFIX } from '../../shared/drafts/rationale';
import { DraftStore } from './drafts';
import { DEFAULT_REPO_URLS, expandRepoUrl, repoVersions } from './repo-metadata';

export interface GraduationReport {
  stream: string;
  release: number | null;
  rows: GraduationRow[];
  online: boolean;
  /** Why the repos could not be read (then the cache answered, or nothing). */
  error: string | null;
}

export async function graduationReport(repo: ConfigRepo, stream: string, opts: { urls?: string[]; offline?: boolean } = {}): Promise<GraduationReport> {
  const store = new DraftStore(repo);
  const head = repo.snapshot(await store.streamHead(stream));
  const lock = head.lockfiles.x86_64 ?? Object.values(head.lockfiles)[0];
  const release = snapshotRelease(head);
  const arch = lock?.arch ?? 'x86_64';
  const urls = (opts.urls?.length ? opts.urls : DEFAULT_REPO_URLS).map((u) => expandRepoUrl(u, release ?? 0, arch));
  const hasFastTracks = head.overrides.some((f) => Object.values(f.entries).some((o) => o.type === 'fast-track'));
  const fetched = hasFastTracks ? await repoVersions(urls, path.join(repo.gitdir, 'lockstep', 'repo-metadata'), { offline: opts.offline }) : { value: null, online: false, error: null };
  return { stream, release, rows: graduation(head, fetched.value), online: fetched.online, error: fetched.error };
}

/** Drafts the removal of the graduated fast-tracks as one commit, with the bot's own title. */
export async function draftGraduation(repo: ConfigRepo, report: GraduationReport): Promise<DraftRecord | null> {
  const names = report.rows.filter((r) => r.status === 'graduated').map((r) => r.name);
  if (names.length === 0) return null;
  const store = new DraftStore(repo);
  const body = report.rows
    .filter((r) => r.status === 'graduated')
    .map((r) => `- ${r.name} ${r.evr}: ${r.source === 'repo-metadata' ? `in the stable update repos (${r.available})` : `the base lockfile has ${r.available}`}`)
    .join('\n');
  const prepared = await store.prepare({
    stream: report.stream,
    action: 'unpin',
    requests: names.map((name) => ({ name })),
    message: `${rationaleTitle({ action: 'graduate', srpms: [] })}\n\n${body}\n`,
  });
  return store.commit(prepared, { type: 'graduate', branchBase: `${DRAFT_BRANCH_PREFIX}${report.stream}/drop-graduated` });
}
