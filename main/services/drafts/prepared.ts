/** A draft made and not yet written (what the store commits, the form previews and the CLI prints), and what a rebase may be given and needs of the store. */
import type { DraftRecord, DraftRequestData, DraftView } from '../../../shared/api/types';
import type { BuildBinary } from '../../../shared/bodhi/build-placement';
import type { DraftPlan } from '../../../shared/drafts/plan';
import type { Finding } from '../../../shared/drafts/validate';
import type { ArchDiff } from '../../../shared/lockfile/diff';
import type { Identity } from '../../git/identity';
import type { PromotedEntry } from '../../../shared/promotion/tree';
import { assertSomethingToPromote, type PreparedPromotion } from '../promotion/prepare';

export interface PreparedDraft {
  request: DraftRequestData;
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
  /** A whole-tree draft (a promotion): its root entries, written instead of the base's tree plus `texts`. */
  tree?: readonly PromotedEntry[];
  /** The paths a whole-tree draft changes (else the keys of `texts`). */
  files?: string[];
  promotion?: { source: string; commit: string };
}

/** A prepared promotion as the draft store writes it: one whole-tree commit on the target head. */
export function promotionDraft(p: PreparedPromotion): PreparedDraft {
  assertSomethingToPromote(p);
  return {
    request: { stream: p.target, action: 'pin', requests: [] },
    stream: p.target,
    base: p.base,
    baseDate: p.baseDate,
    plan: { action: 'pin', files: [], packages: {}, perArch: {}, srpms: [], sources: [], notes: [], findings: [], replaces: [] },
    message: p.message,
    texts: {},
    files: p.files,
    effect: p.effect,
    findings: [],
    tree: p.entries,
    promotion: { source: p.source, commit: p.commit },
  };
}

export interface RebaseOptions {
  /** A promotion made again from this commit of its source (a name resolves to its head). */
  at?: string;
  /** A source build's binaries (Koji's listBuildRPMs, from the answer cache first). */
  buildBinaries?: (nvr: string) => Promise<BuildBinary[]>;
  /** A conflict is resolved by applying the recorded request again on the new head, as the same draft. */
  redraft?: boolean;
}

/** What a rebase needs of the draft store (the store itself): reading drafts and writing them in its order. */
export interface DraftWriter {
  get(branch: string): Promise<DraftView>;
  write<T>(fn: () => Promise<T>): Promise<T>;
  notCheckedOut(branch: string, op: string): Promise<void>;
  streamHead(stream: string): Promise<string>;
  prepare(req: DraftRequestData): Promise<PreparedDraft>;
  writeCommit(prepared: PreparedDraft, author: Identity, committer: Identity): Promise<string>;
  saveRecord(rec: DraftRecord, expected: string | null): Promise<void>;
  rawPrepared(stream: string, base: string, texts: Record<string, [string | null, string]>, message: string, findings: Finding[]): PreparedDraft;
}
