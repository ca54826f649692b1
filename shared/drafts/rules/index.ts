/**
 * The rules every override entry is checked against, in the order their findings are shown:
 * the draft form, the raw editor's markers and the CLI all run this list (`validateEntry`).
 * A new rule is one file here, its line in this list, and its test.
 */
import { bodhiIsUrl } from './bodhi-is-url';
import { distTag } from './dist-tag';
import { fastTrackBodhi } from './fast-track-bodhi';
import { fastTrackReason } from './fast-track-reason';
import { pinNeedsReason } from './pin-needs-reason';
import { reasonIsUrl } from './reason-is-url';
import type { EntryRule } from './rule';
import { typeKnown } from './type-known';

export const ENTRY_RULES: readonly EntryRule[] = [typeKnown, reasonIsUrl, bodhiIsUrl, pinNeedsReason, fastTrackBodhi, fastTrackReason, distTag];
