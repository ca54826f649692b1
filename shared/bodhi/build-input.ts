/**
 * The draft form's one "what to draft from" field: Bodhi update IDs or URLs, or source NVRs,
 * pasted one or several at a time. Split and classified here so the form (choosing the default
 * type as it is typed) and the back end (resolving) read the text the same way.
 */
import { isUpdateAlias } from './update-id';

export type BuildInputKind = 'update' | 'srpm';

/** The tokens of the field: whitespace- or comma-separated, duplicates dropped. */
export function splitBuildInput(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((t) => t.trim()).filter(Boolean))];
}

/** An update (its alias, or a URL ending in `/updates/<alias>`), else a source NVR. */
export function buildInputKind(token: string): BuildInputKind {
  if (isUpdateAlias(token)) return 'update';
  const m = /\/updates\/([^/\s?#]+)\/?(?:[?#]\S*)?$/.exec(token);
  return /^https?:\/\//.test(token) || (m && isUpdateAlias(m[1])) ? 'update' : 'srpm';
}
