/**
 * "We need to target both testing-devel and next-devel for fast-tracks while next is decoupled
 * from testing: can you open a fast-track there too?": a release stream the draft does not
 * reach that locks an older version of the builds' binaries is proposed as a target. A
 * production stream is left out when the draft reaches its promotion source, or when that source
 * carries the builds already (promotion brings them: promotion-notice).
 */
import { promotionNotice } from './promotion-notice';
import { at, lockedVersions, olderThanBuild, promotionSource, type AdviceRule } from './rule';

export const streamProposal: AdviceRule = (ctx) => {
  const { action, stream, covered, proposable, source } = ctx;
  if (!proposable || covered.includes(stream.stream)) return null;
  const gaps = olderThanBuild(stream.targets, stream.locked);
  if (!gaps.length) return null;
  const from = promotionSource(stream.stream);
  if (from && covered.includes(from)) return null;
  // Only a source that is itself a candidate counts as carrying the builds.
  if (from && source?.proposable && promotionNotice({ ...ctx, targeted: true })) return null;
  return {
    rule: 'stream-proposal',
    severity: 'note',
    stream: stream.stream,
    commit: stream.commit,
    gaps,
    message: `${at(stream.stream, stream.commit)} locks an older ${lockedVersions(gaps)}: open a ${action} there too?`,
    headline: `${stream.stream} locks an older version`,
    addStream: stream.stream,
  };
};
