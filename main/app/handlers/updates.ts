/**
 * Handlers of drafting from what maintainers have in hand (SPEC §2.14): Bodhi updates or
 * source NVRs resolved through Bodhi and Koji, a plan per target stream, one draft per stream;
 * and the build-pool check of a draft's NEVRAs before it is pushed.
 */
import path from 'node:path';
import type { ApiHandlers } from '../../../shared/api/contract';
import type { BuildResolution, FromBuildsDraftRequest, ResolvedBuildView, StreamPlan } from '../../../shared/api/update-types';
import { buildInputKind } from '../../../shared/bodhi/build-input';
import { binaryEvr } from '../../../shared/bodhi/build-placement';
import { KNOWN_ARCHES } from '../../../shared/rpm/arches';
import { snapshotRelease } from '../../../shared/drafts/validate';
import { AppError, toAppError } from '../../../shared/errors';
import { AnswerCache } from '../../services/fedora/answer-cache';
import { draftAvailability, nevraAvailability } from '../../services/fedora/availability';
import { releaseUpdateOf } from '../../services/fedora/release-update';
import type { ReleaseOffer } from '../../../shared/bodhi/release-update';
import { DraftStore } from '../../services/drafts/store';
import { adviseStreams, buildServices, prepareFromBuilds, resolveSrpms, resolveUpdates, type ResolvedBuild } from '../../services/drafts/from-builds';
import type { Session } from '../session';

type UpdateCalls = 'builds:resolve' | 'builds:preview' | 'builds:save' | 'builds:advice' | 'drafts:availability' | 'pool:check';

// The form resolves as the user types, then previews and saves the same input: answers are
// kept this long so one draft does not ask Bodhi and Koji three times.
const MEMO_MS = 5 * 60_000;

function inputsOf(req: { inputs?: unknown } | undefined): string[] {
  const inputs = Array.isArray(req?.inputs) ? req.inputs.filter((x): x is string => typeof x === 'string' && !!x.trim()).map((x) => x.trim()) : [];
  if (!inputs.length) throw new AppError('bad-input', 'give a Bodhi update ID or URL, or a source NVR', { field: 'inputs' });
  return inputs;
}

/** Binaries by RPM arch, for the form to show what a build holds. */
function buildView(b: ResolvedBuild): ResolvedBuildView {
  const binaries: Record<string, { name: string; evr: string }[]> = {};
  for (const r of b.rpms) {
    if (r.arch === 'src') continue;
    (binaries[r.arch] ??= []).push({ name: r.name, evr: binaryEvr(r) });
  }
  for (const list of Object.values(binaries)) list.sort((x, y) => x.name.localeCompare(y.name));
  return { nvr: b.nvr, bodhi: b.bodhi ?? null, binaries };
}

export function updateHandlers(s: Session): Pick<ApiHandlers, UpdateCalls> {
  const services = () => buildServices({ settings: s.settings.read(), cache: new AnswerCache(path.join(s.dataDir, 'cache')) });
  const memo = new Map<string, { at: number; value: Promise<{ resolution: BuildResolution; builds: ResolvedBuild[] }> }>();

  const resolve = (inputs: string[]) => {
    // Keyed by the services too: a settings change sends the next resolve to the new ones.
    const { bodhiUrl, kojiUrl } = s.settings.read();
    const key = [bodhiUrl, kojiUrl, ...inputs].join('\n');
    const hit = memo.get(key);
    if (hit && Date.now() - hit.at < MEMO_MS) return hit.value;
    const value = (async () => {
      const svc = services();
      const updateIds = inputs.filter((i) => buildInputKind(i) === 'update');
      const nvrs = inputs.filter((i) => buildInputKind(i) === 'srpm');
      const fromUpdates = updateIds.length ? await resolveUpdates(updateIds, svc) : { updates: [], builds: [] };
      const builds = [...fromUpdates.builds, ...(nvrs.length ? await resolveSrpms(nvrs, svc) : [])];
      const resolution: BuildResolution = {
        kind: nvrs.length && updateIds.length ? 'mixed' : updateIds.length ? 'update' : 'srpm',
        updates: fromUpdates.updates.map((u) => ({ alias: u.alias, url: u.url, distTag: u.distTag })),
        builds: builds.map(buildView),
      };
      return { resolution, builds };
    })();
    memo.set(key, { at: Date.now(), value });
    // A failure is not remembered: the next keystroke or retry asks again.
    value.catch(() => memo.delete(key));
    return value;
  };

  const request = (req: FromBuildsDraftRequest, builds: ResolvedBuild[], streams: string[]) => ({
    streams,
    action: req.action,
    builds,
    reason: req.reason?.trim() || undefined,
    ignoreDistMismatch: req.ignoreDistMismatch,
    releaseUpdate: (source: string, release: number) => releaseUpdateOf(source, release, services().bodhi),
    ownSources: s.settings.read().fcosOwnPackages,
    message: req.message,
    signoff: req.signoff,
  });

  const checkAction = (req: FromBuildsDraftRequest) => {
    if (req?.action !== 'pin' && req?.action !== 'fast-track') throw new AppError('bad-input', 'the type must be pin or fast-track', { field: 'action' });
    if (!Array.isArray(req.streams) || !req.streams.length) throw new AppError('bad-input', 'choose at least one target stream', { field: 'streams' });
  };

  return {
    'builds:resolve': async (req) => (await resolve(inputsOf(req))).resolution,
    'builds:preview': async (req) => {
      checkAction(req);
      const { builds } = await resolve(inputsOf(req));
      const repo = s.requireRepo();
      const out: StreamPlan[] = [];
      // Each stream on its own: a refusal on one (say a dist-tag mismatch) still shows the others.
      for (const stream of req.streams) {
        try {
          const [d] = await prepareFromBuilds(repo, request(req, builds, [stream]));
          const p = d.prepared;
          const conflictsWith = await new DraftStore(repo).conflictsFor(p);
          out.push({
            stream,
            preview: { stream: p.stream, base: p.base, message: p.message, packages: p.plan.packages, perArch: p.plan.perArch, notes: p.plan.notes, findings: p.findings, texts: p.texts, effect: p.effect, conflictsWith },
            error: null,
            skipped: d.skipped,
            notBuiltFor: d.notBuiltFor,
          });
        } catch (err) {
          const e = toAppError(err);
          const offer = (e.data.offer as ReleaseOffer | undefined) ?? null;
          out.push({ stream, preview: null, error: e.message, ...(e.data.distMismatch ? { distMismatch: true } : {}), offer, skipped: [], notBuiltFor: {} });
        }
      }
      return out;
    },
    'builds:save': async (req) => {
      checkAction(req);
      const { builds } = await resolve(inputsOf(req));
      const repo = s.requireRepo();
      const drafts = await prepareFromBuilds(repo, request(req, builds, req.streams));
      // Every stream is checked before any draft is written: a refusal changes nothing.
      for (const d of drafts) {
        const errors = d.prepared.findings.filter((f) => f.severity === 'error');
        if (errors.length) throw new AppError('bad-input', `${d.prepared.stream}: ${errors.map((e) => e.message).join('; ')}`, { package: errors[0].package, ref: d.prepared.stream });
        // What is saved is what was previewed: a stream that moved since its preview is refused.
        const previewed = req.bases?.[d.prepared.stream];
        if (previewed !== undefined && previewed !== d.prepared.base) {
          throw new AppError('stale', `${d.prepared.stream} moved to ${d.prepared.base.slice(0, 12)} since the preview at ${previewed.slice(0, 12)}; preview the drafts again (nothing was saved)`, { ref: d.prepared.stream });
        }
      }
      const store = new DraftStore(repo);
      const saved = [];
      for (const d of drafts) saved.push(await store.commit(d.prepared, { type: req.action }));
      // The drafts as the list shows them: the UI puts them in its list without reading it again.
      const listed = await store.list();
      return saved.map((r) => listed.find((d) => d.branch === r.branch)!);
    },
    'builds:advice': async (req) => {
      if (req?.action !== 'pin' && req?.action !== 'fast-track') throw new AppError('bad-input', 'the type must be pin or fast-track', { field: 'action' });
      const { builds } = await resolve(inputsOf(req));
      return adviseStreams(s.requireRepo(), builds, { action: req.action, streams: req.streams });
    },
    'pool:check': async (req) => {
      const repo = s.requireRepo();
      const head = await new DraftStore(repo).streamHead(req.stream);
      const nevras = (req.nevras ?? []).map((n, i) => {
        const ok = n && typeof n === 'object' && typeof n.nevra === 'string' && /^\S{1,300}$/.test(n.nevra) && typeof n.arch === 'string' && KNOWN_ARCHES.includes(n.arch);
        if (!ok) throw new AppError('bad-input', `nevras[${i}] must be {"nevra", "arch"} with a known arch`, { field: 'nevras' });
        return { nevra: n.nevra, arch: n.arch };
      });
      const r = await nevraAvailability(repo, nevras, snapshotRelease(repo.snapshot(head)) ?? 0, { urls: s.settings.read().buildPoolRepos, offline: req.offline });
      return { rows: r.rows, errors: r.errors };
    },
    'drafts:availability': async (req) => {
      if (typeof req?.branch !== 'string' || !req.branch) throw new AppError('bad-input', 'branch must be a draft branch name', { field: 'branch' });
      const r = await draftAvailability(s.requireRepo(), req.branch, { urls: s.settings.read().buildPoolRepos, offline: req.offline });
      return { rows: r.rows, errors: r.errors };
    },
  };
}
