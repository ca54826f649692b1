/**
 * A fast-track pulls a version in ahead of the distro's updates: one that is older than or the
 * same as what the stream's lockfile already has pulls nothing in (it holds the stream back, as
 * a pin does, but without the pin's required reason). Asked as a question: did you mean a pin?
 */
import { at, compareTargets, lockedVersions, type AdviceRule } from './rule';

export const fastTrackNotNewer: AdviceRule = ({ action, stream, targeted }) => {
  if (!targeted || action !== 'fast-track') return null;
  const gaps = compareTargets(stream.targets, stream.base ?? stream.locked)
    .filter((c) => c.cmp !== null && c.cmp >= 0)
    .map((c) => c.gap);
  if (!gaps.length) return null;
  return {
    rule: 'fast-track-not-newer',
    severity: 'warning',
    stream: stream.stream,
    commit: stream.commit,
    gaps,
    message: `${at(stream.stream, stream.commit)}'s lockfiles already lock ${lockedVersions(gaps)}, the build's version or newer: a fast-track there pulls nothing in; did you mean a pin?`,
    headline: `${stream.stream} already locks this version or newer: a pin?`,
  };
};
