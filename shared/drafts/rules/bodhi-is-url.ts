/** `metadata.bodhi` is the update's URL. */
import { findingAt, isUrl, type EntryRule } from './rule';

export const bodhiIsUrl: EntryRule = (e) =>
  e.bodhi !== undefined && !isUrl(e.bodhi) ? findingAt(e, 'error', 'bodhi', `${e.name}: metadata.bodhi must be a Bodhi update URL, got "${e.bodhi}"`) : null;
