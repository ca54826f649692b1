/**
 * Drafts: each one a local branch `lockstep/<stream>/...` with one commit on the stream head,
 * plus its metadata in `<gitdir>/lockstep/drafts/`, shared by the CLI and the app. Making a
 * draft writes only objects, one ref and one metadata file, all atomically: the user's work
 * tree, HEAD and index are never touched.
 */
import fs from 'node:fs';
import path from 'node:path';
import { merge as merge3 } from 'node-diff3';
import { draftEffect } from '../../../shared/lockfile/diff';
import type { DraftRecord, DraftRequestData, DraftType, DraftView, RawEditRequest, RebaseResult } from '../../../shared/api/types';
import { allowedOps, assertAllowed, transition } from '../../../shared/drafts/lifecycle';
import { AppError } from '../../../shared/errors';

export type { DraftRecord, DraftType, DraftView, RebaseResult };
import { placeBuildBinaries, type BuildBinary } from '../../../shared/bodhi/build-placement';
import { planDraft, type BuildTargets } from '../../../shared/drafts/plan';
import { addSignoff, composeRationale, DRAFT_BRANCH_PREFIX, draftBranchName, isValidBranchName } from '../../../shared/drafts/rationale';
import { hasErrors, validateOverridesText, type Finding } from '../../../shared/drafts/validate';
import { classifyLockPath } from '../../../shared/lockfile/files';
import { parseLockfile } from '../../../shared/lockfile/manifest-lock';
import { compareEvr } from '../../../shared/rpm/nevra';
import { editOverridesText } from '../../../shared/lockfile/overrides-edit';
import { withEntryChanges } from '../../../shared/lockfile/overrides';
import { withFiles } from '../../../shared/lockfile/snapshot';
import type { Snapshot } from '../../../shared/lockfile/types';
import { writeFileAtomic } from '../../git/atomic-fs';
import { resolveIdentity, type Identity } from '../../git/identity';
import { formatGitDate } from '../../git/objects/parse';
import { signatureFor, writeBlob, writeCommit, writeTree, type TreeEntry } from '../../git/objects/write';
import { checkedOutBranches } from '../../git/gitdir';
import { branchOid, deleteBranch } from '../../git/refs';
import type { ConfigRepo } from '../review/config-repo';
import { encodeFileText } from '../../git/objects/file-text';
import { sourceVersionFinder } from '../history/source-versions';
import { listStreams } from '../review/streams';
import { withWriterLock, type WriterLockOptions } from './writer-lock';
import { metaDir, metaFile, PENDING, readRecord, repairDrafts, saveRecord, toJson, type RepairReport } from './records';
import { bytesOf, preparePromotion, type PreparedPromotion } from '../promotion/prepare';
import { promotionDraft, type PreparedDraft } from './prepared';

export { promotionDraft, type PreparedDraft };




export class DraftStore {
  constructor(
    private readonly repo: ConfigRepo,
    private readonly lock: WriterLockOptions = {},
  ) {}

  /** Every write of drafts holds the repo's writer lock: the CLI and the app share the repo. */
  private write<T>(fn: () => Promise<T>): Promise<T> {
    return withWriterLock(this.gitdir, fn, this.lock);
  }

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
  async prepare(req: DraftRequestData): Promise<PreparedDraft> {
    const base = await this.streamHead(req.stream);
    const head = this.repo.snapshot(base);
    const heads = (await listStreams(this.repo)).map((s) => s.oid);
    const plan = planDraft({ ...req, head, findSourceVersion: sourceVersionFinder(this.repo, [base, ...heads.filter((h) => h !== base)]) });
    const oids = this.repo.lockFileOids(base);
    const texts: Record<string, [string | null, string]> = {};
    for (const f of plan.files) {
      const before = oids[f.file] ? this.repo.readText(oids[f.file]) : null;
      texts[f.file] = [before, editOverridesText(before, f.changes, f.file)];
    }
    // The edited files as parsed data, from the head's plus the changes: parsing a 32k-entry
    // file again would take most of a draft's time.
    const edited = plan.files.map((f) => withEntryChanges(head.overrides.find((o) => o.file === f.file), f.file, f.changes));
    const after = withFiles(head, `${base}+draft`, [], edited);
    const effect = draftEffect(head, after, plan.files.flatMap((f) => f.changes.map((c) => (c.op === 'set' ? c.entry.name : c.name))));
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
    return withFiles(head, `${base}+draft`, Object.entries(texts).map(([name, [, text]]) => ({ name, text })));
  }

  /** Writes a prepared draft: objects, then the record and its branch (see `saveRecord`). */
  async commit(prepared: PreparedDraft, opts: { branch?: string; branchBase?: string; type: DraftType } = { type: 'pin' }): Promise<DraftRecord> {
    if (hasErrors(prepared.findings)) {
      const first = prepared.findings.find((f) => f.severity === 'error')!;
      throw new AppError('bad-input', first.message, { package: first.package });
    }
    if (opts.branch !== undefined && !isValidBranchName(opts.branch)) {
      throw new AppError('bad-input', `"${opts.branch}" is not a valid branch name`, { ref: opts.branch });
    }
    const { author, committer } = resolveIdentity(this.gitdir);
    return this.write(async () => {
      let branch: string;
      if (opts.branch !== undefined) {
        if ((await branchOid(this.gitdir, opts.branch)) !== null) throw new AppError('conflict', `branch ${opts.branch} already exists; pick another name`, { ref: opts.branch });
        branch = opts.branch;
      } else {
        branch = await this.freeBranchName(opts.branchBase ?? this.defaultBranchName(prepared));
      }
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
        files: prepared.files ?? Object.keys(prepared.texts),
        message: prepared.message,
        createdAt: new Date().toISOString(),
        state: { kind: 'draft' },
        request: opts.type === 'edit' || opts.type === 'promote' ? undefined : prepared.request,
        ...(prepared.promotion ? { promotion: prepared.promotion } : {}),
      };
      await saveRecord(this.gitdir, record, null);
      await this.repo.refresh();
      return record;
    });
  }

  /** Writes the draft's blobs, tree and commit (on its base); returns the commit id. */
  private async writeCommit(prepared: PreparedDraft, author: Identity, committer: Identity): Promise<string> {
    // First: a bad GIT_*_DATE is refused before anything is written.
    const now = new Date();
    const signatures = { author: signatureFor(author, 'author', now), committer: signatureFor(committer, 'committer', now) };
    if (prepared.tree) {
      const root: TreeEntry[] = [];
      for (const e of prepared.tree) {
        const oid = 'oid' in e ? e.oid : await writeBlob(this.gitdir, bytesOf(e.text));
        root.push({ mode: e.mode === '40000' ? '040000' : e.mode, path: e.name, oid, type: e.type });
      }
      return writeCommit(this.gitdir, { message: prepared.message, tree: await writeTree(this.gitdir, root), parents: [prepared.base], ...signatures });
    }
    const baseCommit = this.repo.commit(prepared.base);
    const entries: TreeEntry[] = this.repo.store.readTree(baseCommit.tree).map((e) => ({ mode: e.mode === '40000' ? '040000' : e.mode, path: e.name, oid: e.oid, type: e.type as TreeEntry['type'] }));
    const baseOids = this.repo.lockFileOids(prepared.base);
    for (const [file, [, after]] of Object.entries(prepared.texts)) {
      // Written back in the encoding the base's file has, so Latin-1 comments stay Latin-1.
      const encoding = baseOids[file] ? this.repo.encodingOf(baseOids[file]) : 'utf8';
      const oid = await writeBlob(this.gitdir, encodeFileText(after, encoding, file));
      const existing = entries.find((e) => e.path === file);
      if (existing) existing.oid = oid;
      else entries.push({ mode: '100644', path: file, oid, type: 'blob' });
    }
    const tree = await writeTree(this.gitdir, entries);
    return writeCommit(this.gitdir, { message: prepared.message, tree, parents: [prepared.base], ...signatures });
  }

  private defaultBranchName(p: PreparedDraft): string {
    const src = p.plan.sources[0];
    return src ? draftBranchName(p.stream, src.name, src.version, src.release) : `${DRAFT_BRANCH_PREFIX}${p.stream}/draft`;
  }

  /** `base`, else `base-2`, `base-3`…: the first name no branch has. Call with the lock held. */
  async freeBranchName(base: string): Promise<string> {
    if ((await branchOid(this.gitdir, base)) === null && !fs.existsSync(metaFile(this.gitdir, base) + PENDING)) return base;
    for (let n = 2; ; n++) {
      const name = `${base}-${n}`;
      if ((await branchOid(this.gitdir, name)) === null && !fs.existsSync(metaFile(this.gitdir, name) + PENDING)) return name;
    }
  }

  /** Every saved draft with its state, facts and the operations it allows now. */
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
      const rec = readRecord(path.join(metaDir(this.gitdir), n));
      if (!rec) continue;
      const refHead = await branchOid(this.gitdir, rec.branch);
      // No branch: a save that never finished or a discard that did (repair() tidies).
      if (refHead === null) continue;
      // A branch moved outside Lockstep (a commit made with git) is still this draft.
      const head = refHead;
      const streamHead = streams.get(rec.stream) ?? null;
      const facts = { stale: streamHead !== rec.base, needsPush: !!rec.push && rec.push.commit !== head };
      const sourceMoved = rec.promotion ? streams.has(rec.promotion.source) && streams.get(rec.promotion.source) !== rec.promotion.commit : undefined;
      out.push({ ...rec, head, streamHead, ...facts, ...(sourceMoved === undefined ? {} : { sourceMoved }), allowed: allowedOps(rec.state, facts) });
    }
    return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.branch < b.branch ? -1 : 1));
  }

  /** One draft by branch name. */
  async get(branch: string): Promise<DraftView> {
    const d = (await this.list()).find((x) => x.branch === branch);
    if (!d) throw new AppError('not-found', `no draft "${branch}"; lockstep drafts lists them`, { ref: branch });
    return d;
  }

  /** Refuses to move a branch a work tree has checked out (the main one or any linked worktree): that would change files under the user. */
  private async notCheckedOut(branch: string, op: string): Promise<void> {
    const at = checkedOutBranches(this.repo.location).find((w) => w.branch === branch);
    if (at) {
      throw new AppError('bad-input', `cannot ${op} ${branch}: it is checked out in ${at.dir}; switch to another branch there first (git switch -)`, { ref: branch });
    }
  }

  /** Deletes a draft: its branch, then its record. Allowed in every state (the queue lets go first). */
  async discard(branch: string): Promise<void> {
    await this.write(async () => {
      const d = await this.get(branch);
      await this.notCheckedOut(branch, 'discard');
      assertAllowed(branch, d.state, d, 'discard');
      await deleteBranch(this.gitdir, branch);
      fs.rmSync(metaFile(this.gitdir, branch), { force: true });
      fs.rmSync(metaFile(this.gitdir, branch) + PENDING, { force: true });
    });
  }

  /**
   * Re-applies a stale draft on the stream's new head. A planned draft is re-planned (a
   * semantic re-apply): a fast-track whose version the new base lockfile already has or passes
   * is redundant and dropped; a package someone else overrode since is a conflict the user
   * resolves; a pin is never redundant. A raw edit is merged three ways per file (its base,
   * the draft, the new head); overlapping edits are a conflict and nothing changes.
   */
  async rebase(branch: string, opts: RebaseOptions = {}): Promise<RebaseResult> {
    // A draft made from builds gets their binaries again (Koji's answers, cached: offline works),
    // asked before the writer lock is taken so a slow service never holds it.
    const first = await this.get(branch);
    const rpms = new Map<string, BuildBinary[]>();
    if (first.stale && opts.buildBinaries) {
      for (const b of first.request?.builds ?? []) {
        const nvr = `${b.source.name}-${b.source.version}-${b.source.release}`;
        if (!rpms.has(nvr)) rpms.set(nvr, await opts.buildBinaries(nvr));
      }
    }
    return this.write(async () => {
      const d = await this.get(branch);
      await this.notCheckedOut(branch, 'rebase');
      if (opts.at !== undefined && !d.promotion) throw new AppError('bad-input', `${branch} is not a promotion: only a promotion is rebased --at a source commit`, { ref: branch });
      const promotion = d.promotion ? await preparePromotion(this.repo, { source: d.promotion.source, target: d.stream, at: opts.at ?? d.promotion.commit }) : null;
      // A promotion made again from a newer source commit is a rebase too: its source moved.
      const moved = !!promotion && promotion.commit !== d.promotion!.commit;
      if (!d.stale && !moved) return { status: 'up-to-date', redundant: [], conflicts: [], draft: d };
      assertAllowed(branch, d.state, { ...d, stale: true }, 'rebase');
      const head = await this.streamHead(d.stream);
      const outcome = promotion ? this.repromote(promotion) : d.request ? await this.replan(d, head, rpms) : await this.remerge(d, head);
      if (outcome.status !== 'rebased') return { status: outcome.status, redundant: outcome.redundant, conflicts: outcome.conflicts, draft: d };
      const prepared = outcome.prepared;
      const { author, committer } = resolveIdentity(this.gitdir);
      const commit = await this.writeCommit(prepared, author, committer);
      const { stale: _s, streamHead: _h, needsPush: _n, allowed: _a, ...kept } = d;
      const record: DraftRecord = {
        ...kept,
        base: prepared.base,
        head: commit,
        packages: prepared.plan.packages,
        perArch: prepared.plan.perArch,
        srpms: d.request ? prepared.plan.srpms : d.srpms,
        files: prepared.files ?? Object.keys(prepared.texts),
        message: d.request || promotion ? prepared.message : d.message,
        request: d.request ? outcome.request : undefined,
        ...(prepared.promotion ? { promotion: prepared.promotion } : {}),
        // The push record stays: a re-push then updates the same remote branch (needs_push).
        state: transition(d.state, { type: 'rebased' }),
      };
      await saveRecord(this.gitdir, record, d.head);
      await this.repo.refresh();
      const facts = { stale: false, needsPush: !!record.push && record.push.commit !== commit };
      return { status: 'rebased', redundant: outcome.redundant, conflicts: [], draft: { ...record, streamHead: head, ...facts, allowed: allowedOps(record.state, facts) } };
    });
  }

  /** A promotion made again (from its source commit, or a new one) on the target's new head. */
  private repromote(p: PreparedPromotion): RebaseOutcome {
    if (p.nothing) return { status: 'redundant', redundant: [`${p.source} at ${p.commit.slice(0, 12)}`], conflicts: [] };
    return { status: 'rebased', redundant: [], conflicts: [], prepared: promotionDraft(p) };
  }

  private async replan(d: DraftView, head: string, rpms: ReadonlyMap<string, BuildBinary[]> = new Map()): Promise<RebaseOutcome> {
    const before = this.repo.snapshot(d.base);
    const after = this.repo.snapshot(head);
    const names = [...Object.keys(d.packages), ...Object.keys(d.perArch ?? {})];
    const entryKey = (snap: typeof before, name: string) =>
      JSON.stringify(snap.overrides.map((f) => (Object.hasOwn(f.entries, name) ? [f.file, f.entries[name].evr, f.entries[name].arch, f.entries[name].type] : null)));
    const conflicts = [...new Set(names.filter((n) => entryKey(before, n) !== entryKey(after, n)))];
    if (conflicts.length) return { status: 'conflict', redundant: [], conflicts };
    let request = d.request!;
    const redundant: string[] = [];
    if (request.builds?.length && rpms.size) {
      // Drafts from Bodhi/Koji builds: each build's binaries placed again on the new base's
      // lockfiles (a binary or an arch locked since is covered, one dropped since is left out),
      // not the targets recorded against the old base.
      const builds: BuildTargets[] = [];
      for (const b of request.builds) {
        const nvr = `${b.source.name}-${b.source.version}-${b.source.release}`;
        const binaries = rpms.get(nvr);
        if (!binaries) {
          builds.push(b);
          continue;
        }
        const placed = placeBuildBinaries(binaries, after.lockfiles).targets;
        const all = Object.entries(placed).flatMap(([name, per]) => Object.entries(per).map(([arch, t]) => ({ name, arch, evr: t.evr })));
        // A fast-track the new base already carries (this version or newer wherever locked) is redundant.
        const carried = all.every((t) => compareEvr(after.lockfiles[t.arch].packages[t.name].evr, t.evr) >= 0);
        if (all.length === 0 || (request.action === 'fast-track' && carried)) redundant.push(nvr);
        else builds.push({ ...b, binaries: placed });
      }
      if (builds.length === 0) return { status: 'redundant', redundant, conflicts: [] };
      request = { ...request, builds };
    }
    // Drafts from Bodhi/Koji builds with no answers at hand carry explicit targets, re-applied as they are.
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
          Object.entries(after.lockfiles).every(([a, lf]) => (arch && a !== arch) || !Object.hasOwn(lf.packages, name) || compareEvr(lf.packages[name].evr, evr) >= 0),
        );
        if (passed) redundant.push(`${r.name} ${r.evr}`);
        else keep.push(r);
      }
      if (keep.length === 0) return { status: 'redundant', redundant, conflicts: [] };
      request = { ...request, requests: keep };
    }
    const prepared = await this.prepare(request);
    return { status: 'rebased', redundant, conflicts: [], prepared, request };
  }

  /** A raw edit on a new head: each file merged three ways, like `git rebase` would. */
  private async remerge(d: DraftView, head: string): Promise<RebaseOutcome> {
    const oldBase = this.repo.lockFileOids(d.base);
    const mine = this.repo.lockFileOids(d.head);
    const theirs = this.repo.lockFileOids(head);
    const text = (oid: string | undefined) => (oid ? this.repo.readText(oid) : null);
    const texts: Record<string, [string | null, string]> = {};
    const conflicts: string[] = [];
    for (const file of d.files) {
      const o = text(oldBase[file]);
      const a = text(mine[file]);
      const b = text(theirs[file]);
      if (a === null) continue;
      if (b === o) {
        if (a !== b) texts[file] = [b, a];
        continue;
      }
      const m = merge3((a ?? '').split('\n'), (o ?? '').split('\n'), (b ?? '').split('\n'));
      if (m.conflict || (o === null && b !== null)) {
        conflicts.push(file);
        continue;
      }
      const merged = m.result.join('\n');
      if (merged !== b) texts[file] = [b, merged];
    }
    if (conflicts.length) return { status: 'conflict', redundant: [], conflicts };
    if (Object.keys(texts).length === 0) return { status: 'redundant', redundant: d.files, conflicts: [] };
    return { status: 'rebased', redundant: [], conflicts: [], prepared: this.rawPrepared(d.stream, head, texts, d.message, []) };
  }

  /**
   * Saves whole new texts of lock files (the raw editor) as a draft, refusing invalid ones. The
   * texts were read at `req.base` (default the stream head): the draft is based there, so a
   * stream that moved meanwhile makes it stale instead of silently undoing upstream edits.
   */
  async saveRaw(req: RawEditRequest): Promise<DraftRecord> {
    const head = await this.streamHead(req.stream);
    const base = req.base ?? head;
    if (!/^[0-9a-f]{40}$/.test(base)) throw new AppError('bad-input', `base "${base}" is not a full commit id`, { ref: base });
    try {
      this.repo.commit(base);
    } catch {
      throw new AppError('not-found', `base commit ${base.slice(0, 12)} is not in this repository; reload the editor`, { commit: base });
    }
    const oids = this.repo.lockFileOids(base);
    const texts: Record<string, [string | null, string]> = {};
    const findings: Finding[] = [];
    for (const [file, text] of Object.entries(req.files)) {
      const kind = classifyLockPath(file);
      if (!kind) throw new AppError('bad-input', `${file} is not a lock file; only manifest-lock files can be edited here`, { file });
      const before = oids[file] ? this.repo.readText(oids[file]) : null;
      if (before === text) continue;
      if (kind.kind === 'overrides') findings.push(...validateOverridesText(text, file).filter((f) => f.severity === 'error'));
      else parseLockfile(text, kind.arch, kind.format, { file });
      texts[file] = [before, text.endsWith('\n') ? text : `${text}\n`];
    }
    if (Object.keys(texts).length === 0) throw new AppError('bad-input', 'nothing changed: edit a file before saving a draft');
    const signoff = req.signoff ? resolveIdentity(this.gitdir).author : null;
    const message = req.message.endsWith('\n') ? req.message : `${req.message}\n`;
    const prepared = this.rawPrepared(req.stream, base, texts, signoff ? addSignoff(message, `${signoff.name} <${signoff.email}>`) : message, findings);
    const slug = Object.keys(texts)[0].replace(/^manifest-lock\./, '').replace(/\.(yaml|json)$/, '');
    return this.commit(prepared, { type: 'edit', branchBase: `${DRAFT_BRANCH_PREFIX}${req.stream}/edit-${slug}` });
  }

  private rawPrepared(stream: string, base: string, texts: Record<string, [string | null, string]>, message: string, findings: Finding[]): PreparedDraft {
    const snap = this.repo.snapshot(base);
    return {
      request: { stream, action: 'pin', requests: [] },
      stream,
      base,
      baseDate: formatGitDate(this.repo.commit(base).committer),
      plan: { action: 'pin', files: [], packages: {}, perArch: {}, srpms: [], sources: [], notes: [], findings },
      message,
      texts,
      effect: draftEffect(snap, this.snapshotWith(snap, base, texts)),
      findings,
    };
  }

  /** Replaces a draft's record (push queue state...), atomically, under the writer lock. */
  async update(branch: string, fn: (r: DraftRecord) => DraftRecord): Promise<DraftRecord> {
    return this.write(async () => {
      const file = metaFile(this.gitdir, branch);
      const current = readRecord(file);
      if (!current || (await branchOid(this.gitdir, branch)) === null) {
        throw new AppError('not-found', `no draft "${branch}" (discarded?)`, { ref: branch });
      }
      const rec = fn(current);
      await writeFileAtomic(file, toJson(rec));
      return rec;
    });
  }

  /** At open: finishes or rolls back saves a kill interrupted (see `repairDrafts`). */
  repair(): Promise<RepairReport> {
    return repairDrafts(this.gitdir);
  }
}

export interface RebaseOptions {
  /** A promotion made again from this commit of its source (a name resolves to its head). */
  at?: string;
  /** A source build's binaries (Koji's listBuildRPMs, from the answer cache first). */
  buildBinaries?: (nvr: string) => Promise<BuildBinary[]>;
}

type RebaseOutcome =
  | { status: 'conflict' | 'redundant'; redundant: string[]; conflicts: string[] }
  | { status: 'rebased'; redundant: string[]; conflicts: string[]; prepared: PreparedDraft; request?: DraftRequestData };
