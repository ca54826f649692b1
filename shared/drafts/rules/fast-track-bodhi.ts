/** A fast-track graduates once its Bodhi update is stable: it should say which update. */
import { findingAt, type EntryRule } from './rule';

export const fastTrackBodhi: EntryRule = (e) =>
  e.type === 'fast-track' && e.bodhi === undefined ? findingAt(e, 'warning', 'bodhi', `${e.name}: a fast-track should carry metadata.bodhi, the Bodhi update URL`) : null;
