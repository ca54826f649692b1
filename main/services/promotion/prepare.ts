/**
 * Making a promotion (SPEC §2.15) without writing anything: the source commit's tree with the
 * target's per-stream rules applied (shared/promotion), its subject, the files it changes and
 * its effect on the effective locks. The draft store writes it (`DraftStore.commit`) and makes
 * it again on a rebase; the CLI, the app and the promotion view all start here.
 */
import { AppError } from '../../../shared/errors';
import { diffSnapshots } from '../../../shared/lockfile/diff';
import type { ArchDiff } from '../../../shared/lockfile/diff';
import { promotionSubject } from '../../../shared/promotion/rules';
import { promoteTree, sameRoot, type KeptRule, type PromotedEntry, type RootEntry } from '../../../shared/promotion/tree';
import { formatGitDate } from '../../git/objects/parse';
import { blobOid } from '../../git/objects/write';
import type { ConfigRepo } from '../review/config-repo';
import { listStreams } from '../review/streams';

export interface PromotionRequest {
  /** The stream promoted from (testing-devel), named as in the subject. */
  source: string;
  /** The stream the draft goes on (testing). */
  target: string;
  /** A commit of the source to promote instead of its head (`--at`). */
  at?: string;
}

export interface PreparedPromotion {
  source: string;
  /** The source commit promoted (full id). */
  commit: string;
  target: string;
  /** The target head the draft goes on, and its committer date (`%cI`). */
  base: string;
  baseDate: string;
  message: string;
  /** The promoted root tree; new texts hold one byte per character. */
  entries: PromotedEntry[];
  rules: KeptRule[];
  /** Root names whose entry differs from the target head's (a folder ends with `/`). */
  files: string[];
  /** The promoted tree is the target's own. */
  nothing: boolean;
  /** Target head → promoted, on effective locks (the lock files are the source commit's). */
  effect: ArchDiff[];
}

/** Bytes as the script's sed sees them, one character each, so every byte comes back out. */
export const bytesOf = (text: string): Buffer => Buffer.from(text, 'latin1');

const rootOf = (repo: ConfigRepo, commit: string): RootEntry[] => repo.store.readTree(repo.commit(commit).tree).map((e) => ({ ...e, mode: e.mode === '40000' ? '040000' : e.mode }));

/** Is `oid` `head` or one of its ancestors? (A walk over every parent: a merge's side counts.) */
function reachable(repo: ConfigRepo, head: string, oid: string): boolean {
  const seen = new Set<string>();
  const todo = [head];
  while (todo.length) {
    const c = todo.pop()!;
    if (c === oid) return true;
    if (seen.has(c)) continue;
    seen.add(c);
    todo.push(...repo.commit(c).parents);
  }
  return false;
}

async function streamHeads(repo: ConfigRepo, req: PromotionRequest): Promise<{ sourceHead: string; targetHead: string }> {
  const streams = await listStreams(repo);
  const names = streams.map((s) => s.name).join(', ') || 'none';
  const find = (name: string, what: string) => {
    const s = streams.find((x) => x.name === name);
    if (!s) throw new AppError('bad-input', `unknown ${what} stream "${name}"; streams here: ${names}`, { ref: name });
    return s.oid;
  };
  const sourceHead = find(req.source, 'source');
  const targetHead = find(req.target, 'target');
  if (req.source === req.target) throw new AppError('bad-input', `cannot promote ${req.source} onto itself: name the stream it goes to with --stream`, { ref: req.target });
  return { sourceHead, targetHead };
}

/** The source commit: its head, or `at` when it is on the source's history. */
async function sourceCommit(repo: ConfigRepo, req: PromotionRequest, sourceHead: string): Promise<string> {
  if (req.at === undefined) return sourceHead;
  let oid: string;
  try {
    oid = (await repo.resolve(req.at)).oid;
  } catch (e) {
    throw new AppError('bad-input', `--at ${req.at}: ${e instanceof Error ? e.message : String(e)}`, { ref: req.at });
  }
  if (!reachable(repo, sourceHead, oid)) {
    throw new AppError('bad-input', `--at ${req.at} (${oid.slice(0, 12)}) is not on ${req.source}'s history; give a commit of ${req.source}`, { ref: req.at, commit: oid });
  }
  return oid;
}

/** Makes the promotion of `req.source` onto `req.target`, in memory. */
export async function preparePromotion(repo: ConfigRepo, req: PromotionRequest): Promise<PreparedPromotion> {
  const { sourceHead, targetHead } = await streamHeads(repo, req);
  const commit = await sourceCommit(repo, req, sourceHead);
  const target = rootOf(repo, targetHead);
  const read = (oid: string) => repo.store.read(oid).data.toString('latin1');
  const tree = promoteTree({ stream: req.source, commit, entries: rootOf(repo, commit) }, { stream: req.target, commit: targetHead, entries: target }, read);
  const oidOf = (e: PromotedEntry) => ('oid' in e ? e.oid : blobOid(bytesOf(e.text)));
  const before = new Map(target.map((e) => [e.name, e]));
  const after = new Map(tree.entries.map((e) => [e.name, e]));
  const files = [...new Set([...before.keys(), ...after.keys()])]
    .filter((n) => {
      const a = before.get(n);
      const b = after.get(n);
      return !a || !b || a.mode !== b.mode || a.oid !== oidOf(b);
    })
    .map((n) => ((after.get(n) ?? before.get(n))!.type === 'tree' ? `${n}/` : n))
    .sort();
  const effect = diffSnapshots(repo.snapshot(targetHead), repo.snapshot(commit));
  return {
    source: req.source,
    commit,
    target: req.target,
    base: targetHead,
    baseDate: formatGitDate(repo.commit(targetHead).committer),
    message: `${promotionSubject(req.source, commit)}\n`,
    entries: tree.entries,
    rules: tree.rules,
    files,
    nothing: sameRoot(tree.entries, target, oidOf),
    effect,
  };
}

/** Refuses an empty promotion, as the script's `nothing to promote!` (exit 2, nothing written). */
export function assertSomethingToPromote(p: PreparedPromotion): void {
  if (p.nothing) {
    throw new AppError('bad-input', `nothing to promote: ${p.target} (${p.base.slice(0, 12)}) already has the tree of ${p.source} at ${p.commit.slice(0, 12)} with its own per-stream files`, { ref: p.target, commit: p.commit });
  }
}
