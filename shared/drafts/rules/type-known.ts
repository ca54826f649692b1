/** Every entry says what it is: `metadata.type` is pin or fast-track. */
import { findingAt, type EntryRule } from './rule';

export const typeKnown: EntryRule = (e) => {
  if (e.type === null || e.type === undefined) return findingAt(e, 'warning', 'type', `${e.name}: no metadata.type; use "pin" or "fast-track"`);
  if (e.type !== 'pin' && e.type !== 'fast-track') return findingAt(e, 'warning', 'type', `${e.name}: unknown metadata.type "${e.type}"; use "pin" or "fast-track"`);
  return null;
};
