/** The release streams of the reference repo and how changes are promoted between them. */

/** Known streams in the order they are listed; others follow by name. */
export const STREAM_ORDER: readonly string[] = ['testing-devel', 'testing', 'stable', 'next-devel', 'next', 'rawhide', 'branched'];

/** Where each stream's changes are promoted from. */
export const PROMOTION_SOURCE: Readonly<Record<string, string>> = {
  testing: 'testing-devel',
  stable: 'testing',
  next: 'next-devel',
};

/** The development stream's PR titles carry no `[stream]` prefix. */
export const DEVELOPMENT_STREAM = 'testing-devel';

/** Sort order of stream names: known streams first in promotion order, then by name. */
export function compareStreamNames(a: string, b: string): number {
  const ia = STREAM_ORDER.indexOf(a);
  const ib = STREAM_ORDER.indexOf(b);
  const ra = ia < 0 ? STREAM_ORDER.length : ia;
  const rb = ib < 0 ? STREAM_ORDER.length : ib;
  return ra - rb || (a < b ? -1 : a > b ? 1 : 0);
}
