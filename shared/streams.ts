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

/** Natural order of branch names: `rhcos-4.6` before `rhcos-4.10`. */
export const compareNaturally = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true, sensitivity: 'variant' }) || (a < b ? -1 : a > b ? 1 : 0);

/** True for the release streams of the promotion chain (listed first, in promotion order). */
export const isReleaseStream = (name: string): boolean => STREAM_ORDER.includes(name);

/** Sort order of stream names: known streams first in promotion order, then others in natural order. */
export function compareStreamNames(a: string, b: string): number {
  const ia = STREAM_ORDER.indexOf(a);
  const ib = STREAM_ORDER.indexOf(b);
  const ra = ia < 0 ? STREAM_ORDER.length : ia;
  const rb = ib < 0 ? STREAM_ORDER.length : ib;
  return ra - rb || compareNaturally(a, b);
}
