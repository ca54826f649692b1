/**
 * "This will be part of promotion so isn't necessary": a fast-track on a production stream
 * whose promotion source already locks every binary-arch the draft writes at that version or
 * newer is flagged, naming the source stream and its commit.
 */
import { at, buildVersions, compareTargets, promotionSource, type AdviceRule } from './rule';

export const promotionNotice: AdviceRule = ({ action, stream, targeted, source }) => {
  if (!targeted || action !== 'fast-track' || !source || promotionSource(stream.stream) !== source.stream) return null;
  const compared = compareTargets(stream.targets, source.locked);
  if (compared.length === 0 || compared.some((c) => c.cmp === null || c.cmp < 0)) return null;
  const gaps = compared.map((c) => c.gap);
  const newer = compared.some((c) => c.cmp === 1) ? ' or newer' : '';
  return {
    rule: 'promotion-notice',
    severity: 'warning',
    stream: stream.stream,
    commit: source.commit,
    source: source.stream,
    gaps,
    message: `${at(source.stream, source.commit)} already carries ${buildVersions(gaps)}${newer}: this will be part of the promotion to ${stream.stream}, so this fast-track isn't necessary`,
    headline: `Promotion already brings this to ${stream.stream}`,
  };
};
