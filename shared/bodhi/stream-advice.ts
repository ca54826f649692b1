/**
 * What reviewers of the upstream repo keep saying on fast-track PRs, said before the PR exists:
 * - "we need to target both testing-devel and next-devel for fast-tracks while next is decoupled
 *   from testing — can you open a fast-track there too?": every stream that locks an older
 *   version of the builds' binaries is proposed as a target;
 * - "this will be part of promotion so isn't necessary": a fast-track on a production stream
 *   whose promotion source already carries every binary at that version or newer is flagged,
 *   naming the source stream and its commit.
 */
import { own } from '../records';
import { compareEvr } from '../rpm/nevra';
import { PROMOTION_SOURCE } from '../streams';
import type { BinaryTargets } from './build-placement';
import type { DeepReadonly } from '../../shared/readonly';

/** arch -> binary -> locked EVR: a stream's effective lock as these rules read it. */
export type LockedVersions = Readonly<Record<string, Readonly<Record<string, { evr: string }>>>>;

/** One binary on one arch: what the stream locks and what the build has. */
export interface VersionGap {
  name: string;
  arch: string;
  locked: string;
  build: string;
}

/** One stream as these rules see it: its head, where the builds' binaries go, what it locks. */
export interface StreamLocks {
  stream: string;
  commit: string;
  /** The builds' binaries placed on this stream's lockfiles (placeBuildBinaries). */
  targets: BinaryTargets;
  locked: LockedVersions;
}

/** A stream to propose as a target: it locks an older version of these binaries. */
export interface StreamProposal {
  stream: string;
  commit: string;
  older: VersionGap[];
}

/** A fast-track that promotion makes unnecessary. */
export interface PromotionNotice {
  stream: string;
  source: string;
  /** The source stream's head commit. */
  commit: string;
  /** Every binary-arch the draft writes, each at this version or newer on the source. */
  covered: VersionGap[];
  message: string;
}

/** Each binary-arch of the targets compared with what is locked: -1 older, 0 same, 1 newer (locked vs build), null not locked. */
function compareTargets(targets: BinaryTargets, locked: LockedVersions): { gap: VersionGap; cmp: -1 | 0 | 1 | null }[] {
  const out: { gap: VersionGap; cmp: -1 | 0 | 1 | null }[] = [];
  for (const name of Object.keys(targets).sort()) {
    for (const arch of Object.keys(targets[name]).sort()) {
      const build = targets[name][arch].evr;
      const have = own(own(locked, arch), name)?.evr;
      out.push({ gap: { name, arch, locked: have ?? '', build }, cmp: have === undefined ? null : compareEvr(have, build) });
    }
  }
  return out;
}

/** The binaries (per arch) a stream locks at a version older than the build's. */
export function olderThanBuild(targets: BinaryTargets, locked: LockedVersions): VersionGap[] {
  return compareTargets(targets, locked)
    .filter((c) => c.cmp === -1)
    .map((c) => c.gap);
}

/**
 * Streams to propose as targets, in the order given: those not chosen that lock an older
 * version of some binary of the builds. A production stream is left out when the draft already
 * targets its promotion source, or when that source carries the builds already (promotion
 * brings them: promotionNotice).
 */
export function proposeStreams(streams: readonly StreamLocks[], opts: { chosen: readonly string[]; action: string }): StreamProposal[] {
  const byName = new Map(streams.map((s) => [s.stream, s]));
  const out: StreamProposal[] = [];
  for (const s of streams) {
    if (opts.chosen.includes(s.stream)) continue;
    const older = olderThanBuild(s.targets, s.locked);
    if (!older.length) continue;
    const from = promotionSource(s.stream);
    if (from && (opts.chosen.includes(from) || promotionNotice({ stream: s.stream, action: opts.action, targets: s.targets, source: byName.get(from) ?? null }))) continue;
    out.push({ stream: s.stream, commit: s.commit, older });
  }
  return out;
}

/** The stream a production stream is promoted from, if it is one. */
export const promotionSource = (stream: string): string | undefined => own(PROMOTION_SOURCE, stream);

/** Binaries named once each, with their versions: `podman 5:5.2.5-1.fc40, podman-docker …`. */
function nameVersions(gaps: readonly VersionGap[]): string {
  const seen = new Map<string, Set<string>>();
  for (const g of gaps) (seen.get(g.name) ?? seen.set(g.name, new Set()).get(g.name)!).add(g.build);
  return [...seen].map(([n, v]) => `${n} ${[...v].join('/')}`).join(', ');
}

/**
 * Flags a fast-track on a production stream when its promotion source (given as `source`,
 * the stream named by PROMOTION_SOURCE) already locks every binary-arch the draft writes at
 * that version or newer: the next promotion brings it. Null when it does not apply.
 */
export function promotionNotice(args: { stream: string; action: string; targets: BinaryTargets; source: StreamLocks | null }): PromotionNotice | null {
  const { stream, action, targets, source } = args;
  if (action !== 'fast-track' || !source || promotionSource(stream) !== source.stream) return null;
  const compared = compareTargets(targets, source.locked);
  if (compared.length === 0 || compared.some((c) => c.cmp === null || c.cmp < 0)) return null;
  const covered = compared.map((c) => c.gap);
  const short = source.commit.slice(0, 7);
  const newer = compared.some((c) => c.cmp === 1) ? ' or newer' : '';
  const message = `${source.stream} (${short}) already carries ${nameVersions(covered)}${newer}: this will be part of the promotion to ${stream}, so this fast-track isn't necessary`;
  return { stream, source: source.stream, commit: source.commit, covered, message };
}

/** The line proposing a stream: `next-devel (1a2b3c4) locks an older podman (5:5.2.3-1.fc40 on aarch64, x86_64): open a fast-track there too?`. */
export function proposalText(p: DeepReadonly<StreamProposal>, action = 'fast-track'): string {
  // name -> locked version -> arches
  const byName = new Map<string, Map<string, string[]>>();
  for (const g of p.older) {
    const versions = byName.get(g.name) ?? byName.set(g.name, new Map()).get(g.name)!;
    (versions.get(g.locked) ?? versions.set(g.locked, []).get(g.locked)!).push(g.arch);
  }
  const what = [...byName].map(([n, v]) => `${n} (${[...v].map(([evr, arches]) => `${evr} on ${arches.join(', ')}`).join('; ')})`).join(', ');
  return `${p.stream} (${p.commit.slice(0, 7)}) locks an older ${what}: open a ${action} there too?`;
}
