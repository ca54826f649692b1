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
import { allowedOps, assertAllowed, parseState, transition } from '../../../shared/drafts/lifecycle';
import { AppError } from '../../../shared/errors';

export type { DraftRecord, DraftType, DraftView, RebaseResult };
import { placeBuildBinaries, type BuildBinary } from '../../../shared/bodhi/build-placement';
import { describeReplaced, planDraft, type BuildTargets, type DraftPlan, type PlanInput } from '../../../shared/drafts/plan';
import { addSignoff, composeRationale, DRAFT_BRANCH_PREFIX, draftBranchName, isValidBranchName } from '../../../shared/drafts/rationale';
import { hasErrors, validateOverridesText, type Finding } from '../../../shared/drafts/validate';
import { classifyLockPath } from '../../../shared/lockfile/files';
import { parseLockfile } from '../../../shared/lockfile/manifest-lock';
import { compareEvr } from '../../../shared/rpm/nevra';
import { editOverridesText } from '../../../shared/lockfile/overrides-edit';
import { withEntryChanges } from '../../../shared/lockfile/overrides';
import { withFiles } from '../../../shared/lockfile/snapshot';
import type { Snapshot } from '../../../shared/lockfile/types';
import { removeDeadTemps, writeFileAtomic } from '../../git/atomic-fs';
import { resolveIdentity, type Identity } from '../../git/identity';
import { formatGitDate } from '../../git/objects/parse';
import { signatureFor, writeBlob, writeCommit, writeTree, type TreeEntry } from '../../git/objects/write';
import { checkedOutBranches } from '../../git/gitdir';
import { branchOid, deleteBranch, listTagRefs, setBranch } from '../../git/refs';
import { remoteNames } from '../../git/config';
import type { ConfigRepo } from '../review/config-repo';
import { encodeFileText } from '../../git/objects/file-text';
import { sourceVersionFinder } from '../history/source-versions';
import { listStreams } from '../review/streams';
import { withWriterLock, type WriterLockOptions } from './writer-lock';
import { bytesOf } from '../promotion/prepare';
import { rebaseDraft } from './rebase';
import { promotionDraft, type PreparedDraft, type RebaseOptions } from './prepared';
import { markConflicts, touched, metaDir, metaFile, PENDING, readRecordFile, requestKey, toJson, branchOfFile, type UnreadableDraft } from './records';
import { compareDrafts } from '../../../shared/drafts/draft-list';

export type { PreparedDraft, RebaseOptions, UnreadableDraft };
export { promotionDraft };




export class DraftStore {
  constructor(
    private readonly repo: ConfigRepo,
    private readonly lock: WriterLockOptions = {},
  ) {}

  /** Every write of drafts holds the repo's writer lock: the CLI and the app share the repo. */
  write<T>(fn: () => Promise<T>): Promise<T> {
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
  async prepare(asked: DraftRequestData): Promise<PreparedDraft> {
    const { base: previewedAt, ...req } = asked;
    const base = await this.streamHead(req.stream);
    if (previewedAt !== undefined && previewedAt !== base) {
      throw new AppError('stale', `${req.stream} moved to ${base.slice(0, 12)} since the preview at ${String(previewedAt).slice(0, 12)}; preview the draft again (nothing was saved)`, { ref: req.stream, base, previewed: String(previewedAt) });
    }
    const head = this.repo.snapshot(base);
    const heads = (await listStreams(this.repo)).map((s) => s.oid);
    const plan = planDraft({ ...req, head, findSourceVersion: sourceVersionFinder(this.repo, [base, ...heads.filter((h) => h !== base)]) });
    const oids = this.repo.lockFileOids(base);
    const texts: Record<string, [string | null, string]> = {};
    for (const f of plan.files) {
      const before = oids[f.file] ? this.repo.readText(oids[f.file], f.file, base) : null;
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
      : composeRationale({ action: req.action, srpms: plan.srpms, reason: plan.reason ?? req.reason, bodhi: plan.bodhi ?? req.bodhi, note: req.note, replaces: plan.replaces.map(describeReplaced) });
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
    if (opts.branch !== undefined) await this.assertOwnName(opts.branch);
    const { author, committer } = resolveIdentity(this.gitdir);
    return this.write(async () => {
      // One draft per request: the same request saved again on the same base is the draft saved before.
      const same = opts.type === 'edit' ? null : await this.sameRequest(prepared, opts.type);
      if (same) return same;
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
      await this.saveRecord(record, null);
      await this.repo.refresh();
      return record;
    });
  }

  /** A saved draft of the same request, type and base whose branch still holds what Lockstep wrote. */
  private async sameRequest(prepared: PreparedDraft, type: DraftType): Promise<DraftRecord | null> {
    const key = requestKey(prepared.request);
    for (const { rec } of this.records()) {
      if (!rec || rec.stream !== prepared.stream || rec.base !== prepared.base || rec.type !== type || !rec.request) continue;
      if (requestKey(rec.request) === key && (await branchOid(this.gitdir, rec.branch)) === rec.head) return rec;
    }
    return null;
  }

  /**
   * A draft branch name must be valid and must not shadow another ref: `origin/stable` as a
   * local branch would make `origin/stable` mean this draft to git, and a tag's name likewise.
   */
  async assertOwnName(branch: string): Promise<void> {
    if (!isValidBranchName(branch)) throw new AppError('bad-input', `"${branch}" is not a valid branch name`, { ref: branch });
    const remote = (await remoteNames(this.gitdir)).find((r) => branch === r || branch.startsWith(`${r}/`));
    if (remote) throw new AppError('bad-input', `"${branch}" would shadow the remote ${remote}'s branches (${remote}/…); pick a name that does not start with "${remote}/"`, { ref: branch });
    if ((await listTagRefs(this.gitdir)).some((t) => t.name === branch)) throw new AppError('bad-input', `"${branch}" is the name of a tag; pick another branch name`, { ref: branch });
    if (/^(HEAD|refs\/)/.test(branch)) throw new AppError('bad-input', `"${branch}" would shadow a ref git reserves; pick another branch name`, { ref: branch });
  }

  /**
   * Makes a record true together with its branch, so that a kill at any point leaves the old
   * draft or the new one: the record goes to `<name>.pending` (atomically), the branch moves
   * from `expected` (compare-and-swap under the writer lock), then the pending record is
   * renamed over the current one. `repair()` finishes or rolls back an interrupted save by
   * asking which commit the branch points at.
   */
  async saveRecord(rec: DraftRecord, expected: string | null): Promise<void> {
    fs.mkdirSync(metaDir(this.gitdir), { recursive: true });
    const file = metaFile(this.gitdir, rec.branch);
    await writeFileAtomic(file + PENDING, toJson(rec));
    try {
      await setBranch(this.gitdir, rec.branch, rec.head, expected);
    } catch (err) {
      fs.rmSync(file + PENDING, { force: true });
      throw err;
    }
    fs.renameSync(file + PENDING, file);
  }

  /** Writes the draft's blobs, tree and commit (on its base); returns the commit id. */
  async writeCommit(prepared: PreparedDraft, author: Identity, committer: Identity): Promise<string> {
    // First: a bad GIT_*_DATE is refused before anything is written.
    const now = new Date();
    const signatures = { author: signatureFor(author, 'author', now), committer: signatureFor(committer, 'committer', now) };
    if (prepared.tree) {
      // A whole-tree draft (a promotion): its root as made, new texts written byte for byte.
      const root: TreeEntry[] = [];
      for (const e of prepared.tree) {
        const oid = 'oid' in e ? e.oid : await writeBlob(this.gitdir, bytesOf(e.text));
        root.push({ mode: e.mode === '40000' ? '040000' : e.mode, path: e.name, oid, type: e.type, ...('raw' in e && e.raw ? { raw: e.raw } : {}) });
      }
      return writeCommit(this.gitdir, { message: prepared.message, tree: await writeTree(this.gitdir, root), parents: [prepared.base], ...signatures });
    }
    const baseCommit = this.repo.commit(prepared.base);
    const entries: TreeEntry[] = this.repo.store.readTree(baseCommit.tree).map((e) => ({ mode: e.mode === '40000' ? '040000' : e.mode, path: e.name, oid: e.oid, type: e.type as TreeEntry['type'], ...(e.raw ? { raw: e.raw } : {}) }));
    const baseOids = this.repo.lockFileOids(prepared.base);
    for (const [file, [, after]] of Object.entries(prepared.texts)) {
      // Written back in the encoding the base's file has, so Latin-1 comments stay Latin-1.
      const encoding = baseOids[file] ? this.repo.encodingOf(baseOids[file]) : 'utf8';
      const oid = await writeBlob(this.gitdir, encodeFileText(after, encoding, file));
      const existing = entries.find((e) => !e.raw && e.path === file);
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

  private readRecord(file: string): DraftRecord | null {
    const r = readRecordFile(file);
    return 'rec' in r ? r.rec : null;
  }

  /** Every record file: the record, or why it cannot be read (with the branch its file name gives). */
  private records(): ({ rec: DraftRecord } | { rec?: undefined; branch: string; file: string; why: string })[] {
    let names: string[];
    try {
      names = fs.readdirSync(metaDir(this.gitdir)).filter((n) => n.endsWith('.json'));
    } catch {
      names = [];
    }
    return names.map((n) => {
      const file = path.join(metaDir(this.gitdir), n);
      const r = readRecordFile(file);
      return 'rec' in r ? r : { branch: branchOfFile(n), file, why: r.why };
    });
  }

  /** Drafts whose record cannot be read: listed (never hidden) so the user can repair or discard them. */
  async unreadable(): Promise<UnreadableDraft[]> {
    const out: UnreadableDraft[] = [];
    for (const r of this.records()) {
      if (!r.rec) out.push({ branch: r.branch, file: r.file, why: r.why, head: await branchOid(this.gitdir, r.branch) });
    }
    return out;
  }

  /** Every saved draft with its state, facts and the operations it allows now. */
  async list(): Promise<DraftView[]> {
    const streams = new Map((await listStreams(this.repo)).map((s) => [s.name, s.oid]));
    const out: DraftView[] = [];
    for (const { rec } of this.records()) {
      if (!rec) continue;
      const refHead = await branchOid(this.gitdir, rec.branch);
      // No branch: a save that never finished or a discard that did (repair() tidies).
      if (refHead === null) continue;
      const streamHead = streams.get(rec.stream) ?? null;
      const edited = refHead !== rec.head;
      const facts = { stale: streamHead !== rec.base, needsPush: !!rec.push && rec.push.commit !== rec.head, edited };
      // A promotion whose source moved past the commit it promotes can be made again from there.
      const sourceMoved = rec.promotion ? streams.has(rec.promotion.source) && streams.get(rec.promotion.source) !== rec.promotion.commit : undefined;
      out.push({ ...rec, head: refHead, written: rec.head, streamHead, ...facts, ...(sourceMoved === undefined ? {} : { sourceMoved }), conflictsWith: [], allowed: allowedOps(rec.state, facts) });
    }
    markConflicts(out);
    return out.sort(compareDrafts);
  }

  /** The drafts of `prepared`'s stream that already touch one of its packages: saving it would make a conflicting pair. */
  async conflictsFor(prepared: PreparedDraft): Promise<string[]> {
    const mine = touched({ packages: prepared.plan.packages, perArch: prepared.plan.perArch, request: prepared.request });
    const key = requestKey(prepared.request);
    return (await this.list())
      .filter((d) => d.stream === prepared.stream && !(d.base === prepared.base && d.request && requestKey(d.request) === key) && [...touched(d)].some((n) => mine.has(n)))
      .map((d) => d.branch);
  }

  /** One draft by branch name. */
  async get(branch: string): Promise<DraftView> {
    const d = (await this.list()).find((x) => x.branch === branch);
    if (!d) throw new AppError('not-found', `no draft "${branch}"; lockstep drafts lists them`, { ref: branch });
    return d;
  }

  /** Refuses to move a branch a work tree has checked out (the main one or any linked worktree): that would change files under the user. */
  async notCheckedOut(branch: string, op: string): Promise<void> {
    const at = checkedOutBranches(this.repo.location).find((w) => w.branch === branch);
    if (at) {
      throw new AppError('bad-input', `cannot ${op} ${branch}: it is checked out in ${at.dir}; switch to another branch there first (git switch -)`, { ref: branch });
    }
  }

  /**
   * Takes the commit an edited draft's branch holds as the draft: its base becomes that
   * commit's parent and its files the lock files changed there. It is a hand edit from now on:
   * a rebase merges it three ways, and a push sends exactly that commit.
   */
  async adopt(branch: string): Promise<DraftView> {
    await this.write(async () => {
      const d = await this.get(branch);
      assertAllowed(branch, d.state, d, 'adopt');
      const commit = this.repo.commit(d.head);
      const base = commit.parents[0];
      if (!base) throw new AppError('bad-input', `cannot adopt ${branch}: its commit ${d.head.slice(0, 12)} has no parent, so it is no change on a stream; discard it`, { ref: branch });
      const before = this.repo.lockFileOids(base);
      const after = this.repo.lockFileOids(d.head);
      const files = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => before[f] !== after[f]).sort();
      const { stale: _s, streamHead: _h, needsPush: _n, allowed: _a, edited: _e, written: _w, conflictsWith: _c, ...kept } = d;
      await this.saveRecord({ ...kept, base, head: d.head, type: 'edit', files, message: commit.message, request: undefined }, d.head);
    });
    return this.get(branch);
  }

  /** Deletes a draft: its branch, then its record. Allowed in every state (the queue lets go first). */
  async discard(branch: string): Promise<void> {
    await this.write(async () => {
      const broken = (await this.unreadable()).find((u) => u.branch === branch);
      if (broken) {
        // A draft whose record cannot be read can still be discarded: branch, then record.
        await this.notCheckedOut(branch, 'discard');
        if (broken.head !== null) await deleteBranch(this.gitdir, branch);
        fs.rmSync(broken.file, { force: true });
        return;
      }
      const d = await this.get(branch);
      await this.notCheckedOut(branch, 'discard');
      assertAllowed(branch, d.state, d, 'discard');
      await deleteBranch(this.gitdir, branch);
      fs.rmSync(metaFile(this.gitdir, branch), { force: true });
      fs.rmSync(metaFile(this.gitdir, branch) + PENDING, { force: true });
    });
  }

  /** Re-applies a stale draft on the stream's new head (`rebase.ts`); `redraft` resolves a conflict by applying its request again. */
  rebase(branch: string, opts: RebaseOptions = {}): Promise<RebaseResult> {
    return rebaseDraft(this, this.repo, branch, opts);
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
      const before = oids[file] ? this.repo.readText(oids[file], file, base) : null;
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

  rawPrepared(stream: string, base: string, texts: Record<string, [string | null, string]>, message: string, findings: Finding[]): PreparedDraft {
    const snap = this.repo.snapshot(base);
    return {
      request: { stream, action: 'pin', requests: [] },
      stream,
      base,
      baseDate: formatGitDate(this.repo.commit(base).committer),
      plan: { action: 'pin', files: [], packages: {}, perArch: {}, srpms: [], sources: [], notes: [], findings, replaces: [] },
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
      const current = this.readRecord(file);
      if (!current || (await branchOid(this.gitdir, branch)) === null) {
        throw new AppError('not-found', `no draft "${branch}" (discarded?)`, { ref: branch });
      }
      const rec = fn(current);
      await writeFileAtomic(file, toJson(rec));
      return rec;
    });
  }

  /**
   * At open: finishes or rolls back saves a kill interrupted (a pending record whose branch
   * points at its commit is completed, any other is dropped), drops records whose branch is
   * gone (an interrupted discard), and removes temporary files our atomic writes left in the
   * git folder. Skipped when another writer holds the lock: it is alive and will finish.
   */
  async repair(): Promise<{ completed: string[]; dropped: string[]; temps: number }> {
    // Temporary files of dead processes are nobody's: removed with or without the lock.
    const report = { completed: [] as string[], dropped: [] as string[], temps: removeDeadTemps(this.gitdir) };
    try {
      await withWriterLock(this.gitdir, async () => {
        const dir = metaDir(this.gitdir);
        const names = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
        for (const n of names.filter((x) => x.endsWith(`.json${PENDING}`))) {
          const file = path.join(dir, n);
          const rec = this.readRecord(file);
          if (rec && (await branchOid(this.gitdir, rec.branch)) === rec.head) {
            fs.renameSync(file, file.slice(0, -PENDING.length));
            report.completed.push(rec.branch);
          } else {
            fs.rmSync(file, { force: true });
          }
        }
        for (const n of fs.existsSync(dir) ? fs.readdirSync(dir).filter((x) => x.endsWith('.json')) : []) {
          const rec = this.readRecord(path.join(dir, n));
          // An unreadable record is kept: `unreadable()` lists it for the user to repair or discard.
          if (rec && (await branchOid(this.gitdir, rec.branch)) === null) {
            fs.rmSync(path.join(dir, n), { force: true });
            report.dropped.push(rec.branch);
          }
        }
      }, { waitMs: 200 });
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'conflict')) throw err;
    }
    return report;
  }
}

