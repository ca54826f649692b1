/**
 * Drafts: each one a local branch `lockstep/<stream>/...` with one commit on the stream head,
 * plus its metadata in `<gitdir>/lockstep/drafts/`, shared by the CLI and the app. Making a
 * draft writes only objects, one ref and one metadata file, all atomically: the user's work
 * tree, HEAD and index are never touched.
 */
import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { diffSnapshots, type ArchDiff } from '../../shared/lockfile/diff';
import type { DraftRecord, DraftRequestData, DraftType, DraftView, RawEditRequest, RebaseResult } from '../../shared/api/types';
import { AppError } from '../../shared/errors';

export type { DraftRecord, DraftType, DraftView, RebaseResult };
import { planDraft, type DraftPlan, type PlanInput } from '../../shared/drafts/plan';
import { addSignoff, composeRationale, draftBranchName, isValidBranchName } from '../../shared/drafts/rationale';
import { hasErrors, validateOverridesText, type Finding } from '../../shared/drafts/validate';
import { classifyLockPath } from '../../shared/lockfile/files';
import { parseLockfile } from '../../shared/lockfile/manifest-lock';
import { compareEvr } from '../../shared/rpm/nevra';
import { editOverridesText } from '../../shared/lockfile/overrides-edit';
import { parseOverrides } from '../../shared/lockfile/overrides';
import { buildSnapshot } from '../../shared/lockfile/snapshot';
import type { Snapshot } from '../../shared/lockfile/types';
import { atomicFs, writeFileAtomic } from '../git/atomic-fs';
import { resolveIdentity, type Identity } from '../git/identity';
import { formatGitDate } from '../git/objects';
import { DRAFT_BRANCH_PREFIX, type ConfigRepo } from './config-repo';
import { sourceVersionFinder } from './source-versions';
import { listStreams } from './streams';




export type DraftRequest = DraftRequestData;


export interface PreparedDraft {
  request: DraftRequest;
  stream: string;
  base: string;
  baseDate: string;
  plan: DraftPlan;
  message: string;
  /** file -> [before, after] (before null: a new file). */
  texts: Record<string, [string | null, string]>;
  /** The effect: effective-lock diff of the stream head against the draft. */
  effect: ArchDiff[];
  findings: Finding[];
}

const metaDir = (gitdir: string) => path.join(gitdir, 'lockstep', 'drafts');
const metaFile = (gitdir: string, branch: string) => path.join(metaDir(gitdir), `${encodeURIComponent(branch)}.json`);

export class DraftStore {
  constructor(private readonly repo: ConfigRepo) {}

  private get gitdir(): string {
    return this.repo.gitdir;
  }

  /** Resolves a stream name to its head; only streams take drafts. */
  async streamHead(stream: string): Promise<string> {
    const streams = await listStreams(this.repo);
    const s = streams.find((x) => x.name === stream);
    if (!s) {
      throw new AppError('bad-input', `unknown stream "${stream}"; streams here: ${streams.map((x) => x.name).join(', ') || 'none'}`, { ref: stream });
    }
    return s.oid;
  }

  /** Plans a draft and computes its texts and effect without writing anything. */
  async prepare(req: DraftRequest): Promise<PreparedDraft> {
    const base = await this.streamHead(req.stream);
    const head = this.repo.snapshot(base);
    const heads = (await listStreams(this.repo)).map((s) => s.oid);
    const plan = planDraft({ ...req, head, findSourceVersion: sourceVersionFinder(this.repo, [base, ...heads.filter((h) => h !== base)]) });
    const oids = this.repo.lockFileOids(base);
    const texts: Record<string, [string | null, string]> = {};
    for (const f of plan.files) {
      const before = oids[f.file] ? this.repo.store.read(oids[f.file]).data.toString('utf8') : null;
      const after = editOverridesText(before, f.changes, f.file);
      parseOverrides(after, { file: f.file });
      texts[f.file] = [before, after];
    }
    const after = this.snapshotWith(head, base, texts);
    const effect = diffSnapshots(head, after);
    const message = req.message
      ? req.message.endsWith('\n')
        ? req.message
        : `${req.message}\n`
      : composeRationale({ action: req.action, srpms: plan.srpms, reason: req.reason, bodhi: req.bodhi, note: req.note });
    const identity = req.signoff ? resolveIdentity(this.gitdir).author : null;
    return {
      request: req,
      stream: req.stream,
      base,
      baseDate: formatGitDate(this.repo.commit(base).committer),
      plan,
      message: identity ? addSignoff(message, `${identity.name} <${identity.email}>`) : message,
      texts,
      effect,
      findings: plan.findings,
    };
  }

  private snapshotWith(head: Snapshot, base: string, texts: Record<string, [string | null, string]>): Snapshot {
    const files = Object.entries(this.repo.lockFileOids(base)).map(([name, oid]) => ({
      name,
      text: texts[name]?.[1] ?? this.repo.store.read(oid).data.toString('utf8'),
    }));
    for (const [name, [before, after]] of Object.entries(texts)) if (before === null) files.push({ name, text: after });
    void head;
    return buildSnapshot(`${base}+draft`, files);
  }

  /** Writes a prepared draft: objects, the branch, then the metadata. Errors in findings stop it. */
  async commit(prepared: PreparedDraft, opts: { branch?: string; type: DraftType } = { type: 'pin' }): Promise<DraftRecord> {
    if (hasErrors(prepared.findings)) {
      const first = prepared.findings.find((f) => f.severity === 'error')!;
      throw new AppError('bad-input', first.message, { package: first.package });
    }
    const { author, committer } = resolveIdentity(this.gitdir);
    const branch = opts.branch ?? (await this.freeBranchName(prepared));
    if (!isValidBranchName(branch)) throw new AppError('bad-input', `"${branch}" is not a valid branch name`, { ref: branch });
    if (await this.branchExists(branch)) throw new AppError('conflict', `branch ${branch} already exists; pick another name`, { ref: branch });
    const head = await this.writeCommit(prepared, author, committer);
    const record: DraftRecord = {
      branch,
      stream: prepared.stream,
      base: prepared.base,
      head,
      type: opts.type,
      packages: prepared.plan.packages,
      perArch: prepared.plan.perArch,
      srpms: prepared.plan.srpms,
      files: Object.keys(prepared.texts),
      message: prepared.message,
      createdAt: new Date().toISOString(),
      state: 'draft',
      request: opts.type === 'edit' ? undefined : prepared.request,
    };
    // Metadata first, ref last: a kill in between leaves metadata without a branch, which
    // listing treats as a save that never happened.
    fs.mkdirSync(metaDir(this.gitdir), { recursive: true });
    await writeFileAtomic(metaFile(this.gitdir, branch), `${JSON.stringify(record, null, 2)}\n`);
    await git.writeRef({ fs: atomicFs, gitdir: this.gitdir, ref: `refs/heads/${branch}`, value: head, force: false });
    await this.repo.refresh();
    return record;
  }

  /** Writes the draft's blobs, tree and commit (on the stream head); returns the commit id. */
  private async writeCommit(prepared: PreparedDraft, author: Identity, committer: Identity): Promise<string> {
    const baseCommit = this.repo.commit(prepared.base);
    const entries = this.repo.store.readTree(baseCommit.tree).map((e) => ({ mode: e.mode === '40000' ? '040000' : e.mode, path: e.name, oid: e.oid, type: e.type }));
    for (const [file, [, after]] of Object.entries(prepared.texts)) {
      const oid = await git.writeBlob({ fs: atomicFs, gitdir: this.gitdir, blob: Buffer.from(after, 'utf8') });
      const existing = entries.find((e) => e.path === file);
      if (existing) existing.oid = oid;
      else entries.push({ mode: '100644', path: file, oid, type: 'blob' });
    }
    const tree = await git.writeTree({ fs: atomicFs, gitdir: this.gitdir, tree: entries as Parameters<typeof git.writeTree>[0]['tree'] });
    const now = Math.floor(Date.now() / 1000);
    const offset = new Date().getTimezoneOffset();
    const sig = (id: Identity) => ({ name: id.name, email: id.email, timestamp: now, timezoneOffset: offset });
    return git.writeCommit({
      fs: atomicFs,
      gitdir: this.gitdir,
      commit: { message: prepared.message, tree, parent: [prepared.base], author: sig(author), committer: sig(committer) },
    });
  }

  private async branchExists(branch: string): Promise<boolean> {
    try {
      await git.resolveRef({ fs, gitdir: this.gitdir, ref: `refs/heads/${branch}` });
      return true;
    } catch {
      return false;
    }
  }

  private async freeBranchName(p: PreparedDraft): Promise<string> {
    const src = p.plan.sources[0];
    const base = src ? draftBranchName(p.stream, src.name, src.version, src.release) : `${DRAFT_BRANCH_PREFIX}${p.stream}/draft`;
    if (!(await this.branchExists(base))) return base;
    for (let n = 2; ; n++) if (!(await this.branchExists(`${base}-${n}`))) return `${base}-${n}`;
  }

  /** Every saved draft with its stale flag. */
  async list(): Promise<DraftView[]> {
    let names: string[] = [];
    try {
      names = fs.readdirSync(metaDir(this.gitdir)).filter((n) => n.endsWith('.json'));
    } catch {
      names = [];
    }
    const streams = new Map((await listStreams(this.repo)).map((s) => [s.name, s.oid]));
    const out: DraftView[] = [];
    for (const n of names) {
      let rec: DraftRecord;
      try {
        rec = JSON.parse(fs.readFileSync(path.join(metaDir(this.gitdir), n), 'utf8')) as DraftRecord;
      } catch {
        continue;
      }
      let refHead: string | null = null;
      try {
        refHead = await git.resolveRef({ fs, gitdir: this.gitdir, ref: `refs/heads/${rec.branch}` });
      } catch {
        refHead = null;
      }
      if (refHead !== rec.head) continue;
      const streamHead = streams.get(rec.stream) ?? null;
      out.push({ ...rec, streamHead, stale: streamHead !== rec.base });
    }
    return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.branch < b.branch ? -1 : 1));
  }

  /** One draft by branch name. */
  async get(branch: string): Promise<DraftView> {
    const d = (await this.list()).find((x) => x.branch === branch);
    if (!d) throw new AppError('not-found', `no draft "${branch}"; lockstep drafts lists them`, { ref: branch });
    return d;
  }

  /** Deletes a draft: its branch and its metadata. */
  async discard(branch: string): Promise<void> {
    await this.get(branch);
    await git.deleteRef({ fs: atomicFs, gitdir: this.gitdir, ref: `refs/heads/${branch}` });
    fs.rmSync(metaFile(this.gitdir, branch), { force: true });
  }

  /**
   * Re-applies a stale draft's request on the stream's new head (a semantic re-apply, not a
   * text patch). A fast-track whose version the new base lockfile already has or passes is
   * redundant and dropped; a package someone else overrode since is a conflict the user
   * resolves. A pin is never redundant: it holds a version back.
   */
  async rebase(branch: string): Promise<RebaseResult> {
    const d = await this.get(branch);
    if (!d.request) throw new AppError('bad-input', `${branch} has no recorded request to re-apply; discard it and draft again`, { ref: branch });
    const head = await this.streamHead(d.stream);
    if (head === d.base) return { status: 'up-to-date', redundant: [], conflicts: [], draft: d };
    const before = this.repo.snapshot(d.base);
    const after = this.repo.snapshot(head);
    const names = [...Object.keys(d.packages), ...Object.keys(d.perArch ?? {})];
    const entryKey = (snap: typeof before, name: string) =>
      JSON.stringify(snap.overrides.map((f) => f.entries[name] ? [f.file, f.entries[name].evr, f.entries[name].arch, f.entries[name].type] : null));
    const conflicts = [...new Set(names.filter((n) => entryKey(before, n) !== entryKey(after, n)))];
    if (conflicts.length) return { status: 'conflict', redundant: [], conflicts, draft: d };
    let request = d.request;
    const redundant: string[] = [];
    // Drafts from Bodhi/Koji builds carry explicit targets and are re-applied as they are.
    if (request.action === 'fast-track' && !request.builds?.length) {
      const keep = [];
      for (const r of request.requests) {
        const planned = planDraft({ ...request, requests: [r], head: before, findSourceVersion: sourceVersionFinder(this.repo, [d.base]) });
        // Redundant when the new base lockfile has this version or newer on every arch.
        const targets: [string, string | null, string][] = [
          ...Object.entries(planned.packages).map(([name, v]): [string, string | null, string] => [name, null, v.endsWith('.noarch') ? v.slice(0, -7) : v]),
          ...Object.entries(planned.perArch).flatMap(([name, per]) => Object.entries(per).map(([arch, v]): [string, string | null, string] => [name, arch, v.slice(0, v.lastIndexOf('.'))])),
        ];
        const passed = targets.every(([name, arch, evr]) =>
          Object.entries(after.lockfiles).every(([a, lf]) => (arch && a !== arch) || !lf.packages[name] || compareEvr(lf.packages[name].evr, evr) >= 0),
        );
        if (passed) redundant.push(`${r.name} ${r.evr}`);
        else keep.push(r);
      }
      if (keep.length === 0) return { status: 'redundant', redundant, conflicts: [], draft: d };
      request = { ...request, requests: keep };
    }
    const prepared = await this.prepare(request);
    const { author, committer } = resolveIdentity(this.gitdir);
    const commit = await this.writeCommit(prepared, author, committer);
    const record: DraftRecord = { ...d, base: prepared.base, head: commit, packages: prepared.plan.packages, perArch: prepared.plan.perArch, srpms: prepared.plan.srpms, files: Object.keys(prepared.texts), message: prepared.message, request };
    delete (record as Partial<DraftView>).stale;
    delete (record as Partial<DraftView>).streamHead;
    await writeFileAtomic(metaFile(this.gitdir, branch), `${JSON.stringify(record, null, 2)}\n`);
    await git.writeRef({ fs: atomicFs, gitdir: this.gitdir, ref: `refs/heads/${branch}`, value: commit, force: true });
    await this.repo.refresh();
    return { status: 'rebased', redundant, conflicts: [], draft: { ...record, stale: false, streamHead: head } };
  }

  /** Saves whole new texts of lock files (the raw editor) as a draft, refusing invalid ones. */
  async saveRaw(req: RawEditRequest): Promise<DraftRecord> {
    const base = await this.streamHead(req.stream);
    const oids = this.repo.lockFileOids(base);
    const texts: Record<string, [string | null, string]> = {};
    const findings: Finding[] = [];
    for (const [file, text] of Object.entries(req.files)) {
      const kind = classifyLockPath(file);
      if (!kind) throw new AppError('bad-input', `${file} is not a lock file; only manifest-lock files can be edited here`, { file });
      const before = oids[file] ? this.repo.store.read(oids[file]).data.toString('utf8') : null;
      if (before === text) continue;
      if (kind.kind === 'overrides') findings.push(...validateOverridesText(text, file).filter((f) => f.severity === 'error'));
      else parseLockfile(text, kind.arch, kind.format, { file });
      texts[file] = [before, text.endsWith('\n') ? text : `${text}\n`];
    }
    if (Object.keys(texts).length === 0) throw new AppError('bad-input', 'nothing changed: edit a file before saving a draft');
    const head = this.repo.snapshot(base);
    const prepared: PreparedDraft = {
      request: { stream: req.stream, action: 'pin', requests: [] },
      stream: req.stream,
      base,
      baseDate: formatGitDate(this.repo.commit(base).committer),
      plan: { action: 'pin', files: [], packages: {}, perArch: {}, srpms: [], sources: [], notes: [], findings },
      message: req.signoff ? addSignoff(req.message, (() => { const a = resolveIdentity(this.gitdir).author; return `${a.name} <${a.email}>`; })()) : req.message.endsWith('\n') ? req.message : `${req.message}\n`,
      texts,
      effect: diffSnapshots(head, this.snapshotWith(head, base, texts)),
      findings,
    };
    const slug = Object.keys(texts)[0].replace(/^manifest-lock\./, '').replace(/\.(yaml|json)$/, '');
    let branch = `${DRAFT_BRANCH_PREFIX}${req.stream}/edit-${slug}`;
    for (let n = 2; await this.branchExists(branch); n++) branch = `${DRAFT_BRANCH_PREFIX}${req.stream}/edit-${slug}-${n}`;
    const rec = await this.commit(prepared, { type: 'edit', branch });
    // A raw edit has no request to re-plan: a rebase of it is refused with a clear message.
    return rec;
  }

  /** Replaces a draft's record (push queue state...), atomically. */
  async update(branch: string, fn: (r: DraftRecord) => DraftRecord): Promise<DraftRecord> {
    const file = metaFile(this.gitdir, branch);
    const rec = fn(JSON.parse(fs.readFileSync(file, 'utf8')) as DraftRecord);
    await writeFileAtomic(file, `${JSON.stringify(rec, null, 2)}\n`);
    return rec;
  }
}
