/**
 * The reviewer advice said before a draft from builds is saved: every rule runs on every stream
 * context, and the findings come in the order of the contexts, then of this list. A new rule is
 * one file here, its line in this list, and its case in the rules' test.
 */
import { fastTrackNotNewer } from './fast-track-not-newer';
import { promotionNotice } from './promotion-notice';
import type { AdviceContext, AdviceFinding, AdviceRule } from './rule';
import { streamProposal } from './stream-proposal';
import type { DeepReadonly } from '../../readonly';

export const ADVICE_RULES: readonly AdviceRule[] = [promotionNotice, fastTrackNotNewer, streamProposal];

/** Every rule's findings on every context, in order. */
export function runAdvice(contexts: readonly DeepReadonly<AdviceContext>[], rules: readonly AdviceRule[] = ADVICE_RULES): AdviceFinding[] {
  return contexts.flatMap((ctx) => rules.flatMap((rule) => rule(ctx) ?? []));
}
