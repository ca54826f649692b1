/** Handlers of the write half: drafts, their push queue, graduation. */
import path from 'node:path';
import { AnswerCache } from '../../services/fedora/answer-cache';
import { buildBinariesFrom, buildServices } from '../../services/drafts/from-builds';
import { WRITER_WAIT_OPERATION, type ApiHandlers } from '../../../shared/api/contract';
import { isValidBranchName } from '../../../shared/drafts/rationale';
import { AppError } from '../../../shared/errors';
import { isReleaseStream } from '../../../shared/streams';
import { unifiedDiff } from '../../../shared/text/line-diff';
import { remoteUrl } from '../../git/config';
import { stripUserInfo } from '../../git/errors';
import { DraftStore } from '../../services/drafts/store';
import { discardDraft } from '../../services/push/discard';
import { draftPullRequest } from '../../services/push/pull-request';
import { draftAllGraduations, graduationAll } from '../../services/fedora/graduation';
import { otherFilesBetween } from '../../services/review/other-files';
import type { Session } from '../session';

type DraftCalls =
  | 'drafts:list'
  | 'drafts:preview'
  | 'drafts:save'
  | 'drafts:discard'
  | 'drafts:rebase'
  | 'drafts:adopt'
  | 'drafts:saveRaw'
  | 'drafts:push'
  | 'drafts:info'
  | 'queue:cancel'
  | 'drafts:pushInOrder'
  | 'queue:retry'
  | 'graduation:all'
  | 'graduation:draftAll';

const branchOf = (req: { branch?: unknown } | undefined): string => {
  if (typeof req?.branch !== 'string' || !req.branch) throw new AppError('bad-input', 'branch must be a draft branch name', { field: 'branch' });
  return req.branch;
};

export function draftHandlers(s: Session): Pick<ApiHandlers, DraftCalls> {
  // A save that waits for another writer (the CLI, another app) says so while it waits.
  const onWait = (waiting: boolean) => s.ctx.emit('op:progress', { operationId: WRITER_WAIT_OPERATION, phase: waiting ? `Waiting for another Lockstep writing drafts to this clone (up to 12 s)…` : '', loaded: waiting ? 0 : 1, total: 1, percent: null });
  const store = () => new DraftStore(s.requireRepo(), { onWait });
  const queue = () => s.queue ?? s.startQueue();
  return {
    'drafts:list': async () => store().list(),
    'drafts:preview': async (req) => {
      const st = store();
      const p = await st.prepare(req);
      const conflictsWith = await st.conflictsFor(p);
      return { stream: p.stream, base: p.base, message: p.message, packages: p.plan.packages, perArch: p.plan.perArch, notes: p.plan.notes, findings: p.findings, texts: p.texts, effect: p.effect, conflictsWith };
    },
    'drafts:save': async (req) => {
      const st = store();
      // The draft as the list shows it: the UI puts it in its list without reading the list again.
      const rec = await st.commit(await st.prepare(req), { type: req.action, branch: req.branch });
      return st.get(rec.branch);
    },
    'drafts:discard': async (req) => {
      const branch = branchOf(req);
      // The queue lets go first: nothing of this draft runs or is written after it is gone.
      s.queue?.forget(branch);
      await discardDraft(s.requireRepo(), branch, { deleteRemote: req.deleteRemote, credentials: s.credentials });
    },
    'drafts:rebase': async (req) => {
      // A draft from builds re-reads their binaries (the answer cache first: offline works).
      const services = buildServices({ settings: s.settings.read(), cache: new AnswerCache(path.join(s.dataDir, 'cache')) });
      return store().rebase(branchOf(req), { buildBinaries: buildBinariesFrom(services), redraft: req.redraft, at: req.at });
    },
    'drafts:adopt': async (req) => store().adopt(branchOf(req)),
    'drafts:saveRaw': async (req) => store().saveRaw(req),
    'drafts:push': async (req) => {
      const branch = branchOf(req);
      if (req.remoteBranch !== undefined && !isValidBranchName(req.remoteBranch)) {
        throw new AppError('bad-input', `"${req.remoteBranch}" is not a valid branch name`, { field: 'remoteBranch', ref: req.remoteBranch });
      }
      await queue().enqueue(branch, req.remoteBranch);
    },
    'drafts:pushInOrder': async (req) => queue().enqueueInOrder(req.branches),
    'queue:cancel': async (req) => queue().cancel(branchOf(req)),
    'queue:retry': async () => queue().retryNow(),
    'drafts:info': async (req) => {
      const r = s.requireRepo();
      const d = await store().get(branchOf(req));
      const before = r.lockFileOids(d.base);
      const after = r.lockFileOids(d.head);
      const text = (oid: string | undefined) => (oid ? r.readText(oid) : null);
      // A promotion rewrites whole lockfiles: its other files are shown, its packages in the promotion view.
      const diffs =
        d.type === 'promote'
          ? otherFilesBetween(r, r.commit(d.base).tree, r.commit(d.head).tree).files.map((f) => ({ file: f.path, diff: f.diff }))
          : d.files.map((file) => ({ file, diff: unifiedDiff(file, text(before[file]), text(after[file])) }));
      const name = d.push?.remote ?? (s.settings.read().pushRemote || r.upstream);
      const url = await remoteUrl(r.gitdir, name);
      return { draft: d, diffs, pushRemote: { name, url: url ? stripUserInfo(url) : null }, pullRequest: draftPullRequest(r, d) };
    },
    'graduation:all': async (req) => {
      const streams = (await s.streams()).map((x) => x.name);
      return graduationAll(s.requireRepo(), streams, { urls: s.settings.read().graduationRepos, offline: req?.offline });
    },
    'graduation:draftAll': async (req) => {
      const all = (await s.streams()).map((x) => x.name);
      // Every multi-stream action defaults to the release streams; others only when named.
      const streams = req?.streams ? req.streams.filter((n) => all.includes(n)) : all.filter(isReleaseStream);
      return draftAllGraduations(s.requireRepo(), streams, { urls: s.settings.read().graduationRepos });
    },
  };
}
