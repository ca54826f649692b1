/** `metadata.reason` is a link someone can follow, not prose. */
import { findingAt, isUrl, type EntryRule } from './rule';

export const reasonIsUrl: EntryRule = (e) =>
  e.reason !== undefined && !isUrl(e.reason) ? findingAt(e, 'error', 'reason', `${e.name}: metadata.reason must be a URL, got "${e.reason}"`) : null;
