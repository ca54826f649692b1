/** A draft made and not yet written: what the store commits, the form previews and the CLI prints. */
import type { DraftRequestData } from '../../../shared/api/types';
import type { DraftPlan } from '../../../shared/drafts/plan';
import type { Finding } from '../../../shared/drafts/validate';
import type { ArchDiff } from '../../../shared/lockfile/diff';
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
    plan: { action: 'pin', files: [], packages: {}, perArch: {}, srpms: [], sources: [], notes: [], findings: [] },
    message: p.message,
    texts: {},
    files: p.files,
    effect: p.effect,
    findings: [],
    tree: p.entries,
    promotion: { source: p.source, commit: p.commit },
  };
}
