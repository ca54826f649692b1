/** A build for another Fedora release than the stream's is usually a mistake (`.fc40` on an fc41 stream). */
import { distRelease, findingAt, type EntryRule } from './rule';

export const distTag: EntryRule = (e, ctx) => {
  if (!ctx.release) return null;
  const r = distRelease(e.evr.slice(e.evr.lastIndexOf('-') + 1));
  return r !== null && r !== ctx.release ? findingAt(e, 'warning', 'evr', `${e.name}: ${e.evr} is built for fc${r}, the stream is on fc${ctx.release}`) : null;
};
