/** Which fast-tracks of a stream have graduated, and the draft that drops them. */
import path from 'node:path';
import { snapshotRelease } from '../../../shared/drafts/validate';
import { rationaleTitle } from '../../../shared/drafts/rationale';
import { graduation, type GraduationDraftResult, type GraduationRow, type StreamGraduation } from '../../../shared/graduation';
import type { DraftRecord } from '../../../shared/api/types';
import type { ConfigRepo } from '../review/config-repo';
import { DRAFT_BRANCH_PREFIX } from '../../../shared/drafts/rationale';
import { DraftStore } from '../drafts/store';
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

/** Unmerged graduation drafts per stream (a removal drafted twice is noise for the reviewer). */
async function removalDrafts(repo: ConfigRepo): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const d of await new DraftStore(repo).list()) {
    if (d.type !== 'graduate' || d.state.kind === 'cancelled') continue;
    (out.get(d.stream) ?? out.set(d.stream, []).get(d.stream)!).push(d.branch);
  }
  return out;
}

/** Graduation over every stream, one after the other (the repo metadata cache is shared by release). */
export async function graduationAll(repo: ConfigRepo, streams: readonly string[], opts: { urls?: string[]; offline?: boolean } = {}): Promise<StreamGraduation[]> {
  const drafts = await removalDrafts(repo);
  const out: StreamGraduation[] = [];
  for (const stream of streams) {
    try {
      const r = await graduationReport(repo, stream, opts);
      out.push({ ...r, drafts: drafts.get(stream) ?? [] });
    } catch (e) {
      // One stream that cannot be read (no lockfile yet) does not hide the others.
      out.push({ stream, release: null, rows: [], online: false, error: e instanceof Error ? e.message : String(e), drafts: drafts.get(stream) ?? [] });
    }
  }
  return out;
}

/**
 * Drafts one removal per stream that has graduated fast-tracks and no removal draft yet, from
 * the cached repo metadata (what the user just saw). A stream that fails is reported, not fatal.
 */
export async function draftAllGraduations(repo: ConfigRepo, streams: readonly string[], opts: { urls?: string[] } = {}): Promise<GraduationDraftResult[]> {
  const drafts = await removalDrafts(repo);
  const out: GraduationDraftResult[] = [];
  for (const stream of streams) {
    try {
      const report = await graduationReport(repo, stream, { urls: opts.urls, offline: true });
      const graduated = report.rows.filter((r) => r.status === 'graduated').length;
      const existing = drafts.get(stream) ?? [];
      if (graduated === 0) out.push({ stream, branch: null, removed: 0, skipped: 'nothing graduated' });
      else if (existing.length) out.push({ stream, branch: null, removed: 0, skipped: `a removal draft exists: ${existing.join(', ')}` });
      else {
        const d = await draftGraduation(repo, report);
        out.push({ stream, branch: d?.branch ?? null, removed: d ? graduated : 0, skipped: d ? null : 'nothing graduated' });
      }
    } catch (e) {
      out.push({ stream, branch: null, removed: 0, skipped: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
