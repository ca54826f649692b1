/**
 * Drafts from what maintainers have in hand: Bodhi updates (fast-track) or source NVRs (pin),
 * as the upstream `ci/overrides.py` takes them. Each update resolves to its builds (Bodhi),
 * each build to its binaries (Koji); each target stream gets its own draft in which every
 * binary a lockfile of the stream lists is placed so each arch gets exactly its binaries.
 * Refusals (unknown update, dist-tag mismatch) come before anything is written.
 */
import { distMismatches, placeBuildBinaries, type BuildBinary } from '../../shared/bodhi/build-placement';
import { parseSourceNvr } from '../../shared/bodhi/update-id';
import type { BodhiUpdate } from '../../shared/bodhi/update';
import type { BuildTargets } from '../../shared/drafts/plan';
import { snapshotRelease } from '../../shared/drafts/validate';
import { AppError } from '../../shared/errors';
import { AnswerCache } from './answer-cache';
import { bodhiBaseUrl, fetchUpdate, type ServiceOptions } from './bodhi';
import type { ConfigRepo } from './config-repo';
import { DraftStore, type PreparedDraft } from './drafts';
import { fetchBuild, kojiHubUrl } from './koji';
import type { Settings } from './settings';

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
          throw new AppError(
            'bad-input',
            `${bad.name}-${bad.evr} (${b.nvr}) has dist tag ${bad.tag ? `.${bad.tag}` : 'none'}, but ${stream} is on .fc${release}; pass --ignore-dist-mismatch to draft it anyway`,
            { package: bad.name, ref: stream, tag: bad.tag },
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
