/** A pin holds a package back until someone removes it: the repo's header asks why, as a link. */
import { findingAt, type EntryRule } from './rule';

export const pinNeedsReason: EntryRule = (e) =>
  e.type === 'pin' && e.reason === undefined ? findingAt(e, 'error', 'reason', `${e.name}: a pin must carry metadata.reason, a URL saying why`) : null;
