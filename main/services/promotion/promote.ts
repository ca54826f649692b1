/**
 * Promotion as an action (SPEC §2.15): one draft on the target stream whose tree is what
 * release engineering's `promote-config.sh` makes, and the promotion view that separates what
 * the promotion carries from what stays per stream. `lockstep promote` and the app's
 * `promotion:*` handlers call these and nothing else.
 */
import type { DraftRecord, OpenSourceDraft, PromotionKept, PromotionView } from '../../../shared/api/types';
import { toAppError } from '../../../shared/errors';
import { DRAFT_BRANCH_PREFIX, refSafe } from '../../../shared/drafts/rationale';
import { explainRule } from '../../../shared/promotion/explain';
import { unifiedDiff } from '../../../shared/text/line-diff';
import { decodeFileText } from '../../git/objects/file-text';
import { formatGitDate } from '../../git/objects/parse';
import { blobOid } from '../../git/objects/write';
import { DraftStore, promotionDraft } from '../drafts/store';
import type { ConfigRepo } from '../review/config-repo';
import { otherFilesBetween, type FileSide } from '../review/other-files';
import { assertSomethingToPromote, bytesOf, preparePromotion, type PreparedPromotion, type PromotionRequest } from './prepare';

export type { PreparedPromotion, PromotionRequest };

export interface PromotionOutcome {
  prepared: PreparedPromotion;
  /** The draft written; null on a dry run. */
  draft: DraftRecord | null;
  /** True when the same promotion on the same head was drafted before: that draft is answered. */
  existing: boolean;
}

/** `lockstep/<target>/promote-<source>-<short source commit>`. */
export const promotionBranch = (p: PreparedPromotion): string => `${DRAFT_BRANCH_PREFIX}${refSafe(p.target)}/promote-${refSafe(p.source)}-${p.commit.slice(0, 12)}`;

/**
 * Drafts the promotion of `req.source` (its head, or `req.at`) onto `req.target`: nothing to
 * promote is bad input (exit 2) and writes nothing; the same promotion on the same target head
 * twice gives the draft made the first time.
 */
export async function draftPromotion(repo: ConfigRepo, req: PromotionRequest & { dryRun?: boolean }): Promise<PromotionOutcome> {
  const prepared = await preparePromotion(repo, req);
  assertSomethingToPromote(prepared);
  if (req.dryRun) return { prepared, draft: null, existing: false };
  const store = new DraftStore(repo);
  const same = (await store.list()).find((d) => d.type === 'promote' && d.stream === prepared.target && d.base === prepared.base && d.promotion?.commit === prepared.commit && d.promotion.source === prepared.source && d.state.kind !== 'cancelled');
  if (same) return { prepared, draft: same, existing: true };
  const draft = await store.commit(promotionDraft(prepared), { type: 'promote', branchBase: promotionBranch(prepared) });
  return { prepared, draft, existing: false };
}

/** Each rule explained, with the diff of the source's file to the promoted one. */
function keptFiles(repo: ConfigRepo, p: PreparedPromotion): PromotionKept[] {
  const root = new Map(repo.store.readTree(repo.commit(p.commit).tree).map((e) => [e.name, e]));
  const promoted = new Map(p.entries.map((e) => [e.name, e]));
  const text = (e: { oid: string } | { text: string } | undefined) => (!e ? null : 'oid' in e ? repo.readText(e.oid) : decodeFileText(bytesOf(e.text)));
  return p.rules.map((rule) => {
    const before = root.get(rule.file);
    const after = promoted.get(rule.file);
    const applies = !!after && ('text' in after || !before || after.oid !== before.oid);
    const diff = applies ? unifiedDiff(rule.file, text(before), text(after)) : '';
    return { file: rule.file, kind: rule.kind, explanation: explainRule(rule, p.source, p.target), applies, diff };
  });
}

/** Drafts on the source stream (not merged there yet: the promotion leaves them behind), and promotions drafted already. */
async function openOn(repo: ConfigRepo, source: string, target: string): Promise<{ open: OpenSourceDraft[]; drafts: string[] }> {
  const all = await new DraftStore(repo).list();
  const open = all
    // Every draft of the source is open: a merged one is discarded, and a cancelled push is still unmerged.
    .filter((d) => d.stream === source)
    .map((d) => ({ branch: d.branch, type: d.type, title: d.message.split('\n')[0], state: d.state.kind }));
  const drafts = all.filter((d) => d.type === 'promote' && d.stream === target && d.promotion?.source === source).map((d) => d.branch);
  return { open, drafts };
}

/** The promotion view of `source → target`; a promotion that cannot be made is said in `error`. */
export async function promotionView(repo: ConfigRepo, source: string, target: string): Promise<PromotionView> {
  let p: PreparedPromotion;
  const lists = await openOn(repo, source, target);
  try {
    p = await preparePromotion(repo, { source, target });
  } catch (e) {
    const err = toAppError(e);
    if (err.code !== 'bad-file' && err.code !== 'bad-input') throw e;
    // The streams exist (else the call itself is wrong): the view says why nothing can be made.
    const heads = await Promise.all([repo.resolve(source), repo.resolve(target)]).catch(() => null);
    if (!heads) throw e;
    const c = repo.commit(heads[0].oid);
    return {
      source,
      sourceCommit: heads[0].oid,
      sourceDate: formatGitDate(c.committer),
      sourceSubject: c.message.split('\n')[0],
      target,
      targetHead: heads[1].oid,
      subject: '',
      nothing: false,
      error: err.message,
      carried: { from: heads[1].oid, to: heads[0].oid, files: [], more: 0 },
      kept: [],
      openDrafts: lists.open,
      drafts: lists.drafts,
    };
  }
  const targetRoot = new Map(repo.store.readTree(repo.commit(p.base).tree).map((e) => [e.name, e]));
  // The per-stream files as the promoted tree has them (the rest is the source's tree as it is).
  const replace = new Map<string, FileSide>();
  for (const rule of p.rules) {
    const e = p.entries.find((x) => x.name === rule.file);
    if (!e) replace.set(rule.file, null);
    else if ('oid' in e) replace.set(rule.file, { oid: e.oid });
    else {
      const bytes = bytesOf(e.text);
      const oid = blobOid(bytes);
      replace.set(rule.file, targetRoot.get(rule.file)?.oid === oid ? { oid } : { bytes });
    }
  }
  const c = repo.commit(p.commit);
  return {
    source,
    sourceCommit: p.commit,
    sourceDate: formatGitDate(c.committer),
    sourceSubject: c.message.split('\n')[0],
    target,
    targetHead: p.base,
    subject: p.message.trimEnd(),
    nothing: p.nothing,
    error: null,
    carried: { from: p.base, to: p.commit, ...otherFilesBetween(repo, repo.commit(p.base).tree, c.tree, replace) },
    kept: keptFiles(repo, p),
    openDrafts: lists.open,
    drafts: lists.drafts,
  };
}
