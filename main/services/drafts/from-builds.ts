/**
 * Drafts from what maintainers have in hand: Bodhi updates (fast-track) or source NVRs (pin),
 * as the upstream `ci/overrides.py` takes them. Each update resolves to its builds (Bodhi),
 * each build to its binaries (Koji); each target stream gets its own draft in which every
 * binary a lockfile of the stream lists is placed so each arch gets exactly its binaries.
 * Refusals (unknown update, dist-tag mismatch) come before anything is written.
 */
import type { ReleaseOffer } from '../../../shared/bodhi/release-update';
import { distMismatches, placeBuildBinaries, type BinaryTargets, type BuildBinary } from '../../../shared/bodhi/build-placement';
import { runAdvice } from '../../../shared/bodhi/advice';
import { promotionSource, type AdviceContext, type StreamLocks } from '../../../shared/bodhi/advice/rule';
import { effectiveLock } from '../../../shared/lockfile/effective';
import { nameRecord, own } from '../../../shared/records';
import { compareEvr } from '../../../shared/rpm/nevra';
import { isReleaseStream } from '../../../shared/streams';
import { parseSourceNvr } from '../../../shared/bodhi/update-id';
import type { BodhiUpdate } from '../../../shared/bodhi/update';
import type { StreamAdvice } from '../../../shared/api/update-types';
import type { BuildTargets } from '../../../shared/drafts/plan';
import { snapshotRelease } from '../../../shared/drafts/validate';
import { AppError } from '../../../shared/errors';
import { AnswerCache } from '../fedora/answer-cache';
import { bodhiBaseUrl, fetchUpdate, type ServiceOptions } from '../fedora/bodhi';
import type { ConfigRepo } from '../review/config-repo';
import { DraftStore, type PreparedDraft } from './store';
import { fetchBuild, kojiHubUrl } from '../fedora/koji';
import type { Settings } from '../settings';
import { listStreams } from '../review/streams';

export interface BuildServices {
  bodhi: ServiceOptions;
  koji: ServiceOptions;
}

/** Bodhi and Koji as settings and env name them, sharing one answer cache. */
export function buildServices(opts: { settings?: Partial<Settings>; offline?: boolean; cache?: AnswerCache } = {}): BuildServices {
  const cache = opts.cache ?? new AnswerCache();
  return {
    bodhi: { baseUrl: bodhiBaseUrl(opts.settings?.bodhiUrl), cache, offline: opts.offline },
    koji: { baseUrl: kojiHubUrl(opts.settings?.kojiUrl), cache, offline: opts.offline },
  };
}

/** A source build and its binaries, with the update it came with (if any). */
export interface ResolvedBuild {
  nvr: string;
  source: { name: string; version: string; release: string };
  rpms: BuildBinary[];
  /** The update's page URL. */
  bodhi?: string;
}

/** The updates' builds, each with its binaries. */
export async function resolveUpdates(ids: string[], services: BuildServices): Promise<{ updates: BodhiUpdate[]; builds: ResolvedBuild[] }> {
  const updates: BodhiUpdate[] = [];
  const builds: ResolvedBuild[] = [];
  for (const id of ids) {
    const { value: u } = await fetchUpdate(id, services.bodhi);
    const url = u.url || `${services.bodhi.baseUrl}/updates/${u.alias}`;
    updates.push({ ...u, url });
    if (u.builds.length === 0) throw new AppError('bad-input', `Bodhi update ${u.alias} has no builds`, { value: u.alias });
    for (const b of await resolveSrpms(u.builds, services)) builds.push({ ...b, bodhi: url });
  }
  return { updates, builds };
}

/** Source NVRs with their binaries. */
export async function resolveSrpms(nvrs: string[], services: BuildServices): Promise<ResolvedBuild[]> {
  const out: ResolvedBuild[] = [];
  for (const nvr of nvrs) {
    const source = parseSourceNvr(nvr);
    const { value } = await fetchBuild(nvr, services.koji);
    out.push({ nvr, source, rpms: value.rpms });
  }
  return out;
}

export interface FromBuildsRequest {
  streams: string[];
  action: 'pin' | 'fast-track';
  builds: ResolvedBuild[];
  reason?: string;
  ignoreDistMismatch?: boolean;
  /** Finds the stream's own release's update of a source, offered when a dist tag does not match. */
  releaseUpdate?: (source: string, release: number) => Promise<ReleaseOffer | null>;
  ownSources?: string[];
  message?: string;
  signoff?: boolean;
}

export interface StreamDraft {
  prepared: PreparedDraft;
  /** Binaries of the builds no lockfile of the stream lists. */
  skipped: string[];
  /** binary -> arches that lock it but the build has nothing for. */
  notBuiltFor: Record<string, string[]>;
}

/** Plans one draft per stream (nothing written); refuses a dist-tag mismatch unless told. */
export async function prepareFromBuilds(repo: ConfigRepo, req: FromBuildsRequest): Promise<StreamDraft[]> {
  const store = new DraftStore(repo);
  const bodhis = [...new Set(req.builds.map((b) => b.bodhi).filter((u): u is string => !!u))];
  const out: StreamDraft[] = [];
  for (const stream of req.streams) {
    const head = repo.snapshot(await store.streamHead(stream));
    const release = snapshotRelease(head);
    const targets: BuildTargets[] = [];
    const skipped = new Set<string>();
    const notBuiltFor: Record<string, string[]> = {};
    for (const b of req.builds) {
      const placed = placeBuildBinaries(b.rpms, head.lockfiles);
      placed.skipped.forEach((n) => skipped.add(n));
      Object.assign(notBuiltFor, placed.notBuiltFor);
      if (!req.ignoreDistMismatch) {
        const bad = distMismatches(placed.targets, release)[0];
        if (bad) {
          const offer = release !== null && req.releaseUpdate ? await req.releaseUpdate(b.source.name, release) : null;
          const instead = offer
            ? `; F${release}'s update of ${b.source.name} is ${offer.alias} (${offer.nvr}, ${offer.status}): draft that one for ${stream}`
            : '';
          throw new AppError(
            'bad-input',
            `${bad.name}-${bad.evr} (${b.nvr}) has dist tag ${bad.tag ? `.${bad.tag}` : 'none'}, but ${stream} is on .fc${release}${instead}`,
            { package: bad.name, ref: stream, tag: bad.tag, distMismatch: true, ...(offer ? { offer } : {}) },
          );
        }
      }
      if (Object.keys(placed.targets).length) targets.push({ source: b.source, binaries: placed.targets, bodhi: b.bodhi });
    }
    if (targets.length === 0) {
      throw new AppError('bad-input', `no binary of ${req.builds.map((b) => b.nvr).join(', ')} is in a lockfile of ${stream}: nothing to ${req.action}`, { ref: stream });
    }
    // The body names every update; the title names every source (rationale.ts).
    const note = bodhis.length > 1 ? bodhis.map((u) => `Bodhi: ${u}`).join('\n') : undefined;
    const prepared = await store.prepare({
      stream,
      action: req.action,
      requests: [],
      builds: targets,
      reason: req.reason,
      bodhi: bodhis.length === 1 ? bodhis[0] : undefined,
      ownSources: req.ownSources,
      message: req.message,
      signoff: req.signoff,
      note,
    });
    out.push({ prepared, skipped: [...skipped].sort(), notBuiltFor });
  }
  return out;
}

/** The builds' binaries placed on one snapshot's lockfiles, every build together (the newer wins). */
function placeAll(builds: readonly ResolvedBuild[], lockfiles: Parameters<typeof placeBuildBinaries>[1]): BinaryTargets {
  const out: BinaryTargets = nameRecord();
  for (const b of builds) {
    for (const [name, per] of Object.entries(placeBuildBinaries(b.rpms, lockfiles).targets)) {
      const cur = own(out, name) ?? (out[name] = nameRecord());
      for (const [arch, t] of Object.entries(per)) {
        const had = own(cur, arch);
        if (!had || compareEvr(t.evr, had.evr) > 0) cur[arch] = t;
      }
    }
  }
  return out;
}

/**
 * Reads every stream's head for the advice rules (shared/bodhi/advice/): the targeted streams,
 * then the release streams whose release matches the builds' dist tag (those a draft could be
 * proposed on), each with its promotion source.
 */
export async function adviseStreams(repo: ConfigRepo, builds: readonly ResolvedBuild[], opts: { action: string; streams: readonly string[] }): Promise<StreamAdvice> {
  const heads = new Map((await listStreams(repo)).map((b) => [b.name, b.oid]));
  const read = new Map<string, StreamLocks | null>();
  const locksOf = (stream: string): StreamLocks | null => {
    if (read.has(stream)) return read.get(stream)!;
    const commit = heads.get(stream);
    let out: StreamLocks | null = null;
    if (commit) {
      const snap = repo.snapshot(commit);
      const locked = nameRecord<Record<string, { evr: string }>>();
      const base = nameRecord<Record<string, { evr: string }>>();
      for (const arch of Object.keys(snap.lockfiles)) {
        locked[arch] = effectiveLock(snap, arch).packages;
        base[arch] = snap.lockfiles[arch].packages;
      }
      out = { stream, commit, targets: placeAll(builds, snap.lockfiles), locked, base };
    }
    read.set(stream, out);
    return out;
  };
  // A stream on another Fedora release would refuse the builds: not a proposal.
  const proposable = (l: StreamLocks | null): l is StreamLocks =>
    !!l && isReleaseStream(l.stream) && distMismatches(l.targets, snapshotRelease(repo.snapshot(l.commit))).length === 0;
  // A stream that already has a draft of these builds (same action) is not proposed again: the
  // reviewer's "open one there too" is answered; its production streams get them by promotion.
  const nvrs = builds.map((b) => b.nvr);
  const drafted = (await new DraftStore(repo).list()).filter((d) => d.type === opts.action && !d.edited && nvrs.every((n) => d.srpms.includes(n))).map((d) => d.stream);
  const covered = [...opts.streams, ...drafted];
  const contextOf = (l: StreamLocks, targeted: boolean): AdviceContext => {
    const from = promotionSource(l.stream);
    const src = from ? locksOf(from) : null;
    return { action: opts.action, stream: l, targeted, covered, proposable: proposable(l), source: src ? { ...src, proposable: proposable(src) } : null };
  };
  const contexts: AdviceContext[] = [];
  for (const stream of opts.streams) {
    const l = locksOf(stream);
    if (l) contexts.push(contextOf(l, true));
  }
  // listStreams gives them in promotion order.
  for (const name of heads.keys()) {
    if (opts.streams.includes(name) || !isReleaseStream(name)) continue;
    const l = locksOf(name);
    if (proposable(l)) contexts.push(contextOf(l, false));
  }
  return { findings: runAdvice(contexts) };
}

/** The binaries of a build for a rebase: Koji's answer, from the cache when it holds one (offline works). */
export function buildBinariesFrom(services: BuildServices): (nvr: string) => Promise<BuildBinary[]> {
  return async (nvr) => (await fetchBuild(nvr, services.koji)).value.rpms;
}
