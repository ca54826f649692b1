/** A fast-track should say why, except for the distro's own packages (matched by source package). */
import { DISTRO_OWN_SOURCES, findingAt, type EntryRule } from './rule';

export const fastTrackReason: EntryRule = (e, ctx) => {
  if (e.type !== 'fast-track' || e.reason !== undefined) return null;
  const source = ctx.sourceOf?.(e.name) ?? e.name;
  return (ctx.ownSources ?? DISTRO_OWN_SOURCES).includes(source) ? null : findingAt(e, 'warning', 'reason', `${e.name}: a fast-track should carry metadata.reason, a URL saying why`);
};
