/**
 * Koji's XML-RPC hub, read-only: `getBuild(nvr)` (nil for an unknown build) and
 * `listBuildRPMs(nvr)` (a struct per RPM: name, version, release, epoch or nil, arch). A
 * finished build never changes, so a cached answer is used without asking Koji again. Every
 * answer is checked before it is used or cached: each RPM must belong to the build asked for
 * (a hub answering with another build's RPMs would have `pin --srpm podman-…` pin systemd).
 */
import type { BuildBinary } from '../../../shared/bodhi/build-placement';
import { parseSourceNvr } from '../../../shared/bodhi/update-id';
import { AppError } from '../../../shared/errors';
import { isPackageName } from '../../../shared/rpm/nevra';
import { KNOWN_ARCHES } from '../../../shared/rpm/arches';
import type { Resolved, ServiceOptions } from './bodhi';
import { failureReason } from './http';
import { XmlRpcFault, xmlrpcCall } from './xmlrpc';

const SERVICE = 'koji';

/** Koji's build states (koji.BUILD_STATES). */
const BUILD_STATES = ['BUILDING', 'COMPLETE', 'DELETED', 'FAILED', 'CANCELED'];

/** Arches Koji builds for that Lockstep knows (the lockfiles' plus Fedora's others). */
const RPM_ARCHES: ReadonlySet<string> = new Set([...KNOWN_ARCHES, 'ppc64', 'riscv64', 'i386', 'i586', 'armhfp']);

/** Koji's hub URL: env LOCKSTEP_KOJI_URL, else the setting, else Fedora's. */
export function kojiHubUrl(setting?: string): string {
  return process.env.LOCKSTEP_KOJI_URL || setting || 'https://koji.fedoraproject.org/kojihub';
}

export interface KojiBuild {
  nvr: string;
  rpms: BuildBinary[];
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const VR = /^[A-Za-z0-9._+~^]+$/;

/**
 * The RPMs of `nvr` from listBuildRPMs' answer (or the cache), each checked: a name, version and
 * release rpm could have, the build's own release (a source's binaries share it, even when their
 * version differs as lvm2's device-mapper does), the source RPM exactly the build's NVR, a known
 * arch, and an epoch that is nil or an integer ≥ 0. `buildId`: getBuild's id, which every RPM
 * names as its build_id.
 */
export function checkBuildRpms(nvr: string, value: unknown, buildId?: number): BuildBinary[] {
  const want = parseSourceNvr(nvr);
  const bad = (why: string) => new AppError('network', `Koji's listBuildRPMs(${nvr}) answer does not belong to that build (${why}); nothing was used or cached`, { value: nvr, service: 'koji' });
  if (!Array.isArray(value)) throw bad('not a list; is the Koji URL a hub?');
  if (value.length === 0) throw bad('no RPMs');
  const rpms = value.map((r: unknown): BuildBinary => {
    if (!isObj(r)) throw bad('an entry that is not a struct');
    const { name, version, release, arch, epoch } = r;
    if (typeof name !== 'string' || !isPackageName(name)) throw bad(`an RPM named ${JSON.stringify(name)}`);
    if (typeof version !== 'string' || !VR.test(version) || typeof release !== 'string' || !VR.test(release)) throw bad(`${name} has no valid version and release`);
    if (release !== want.release) throw bad(`${name}-${version}-${release} is of release ${release}, not ${want.release}`);
    if (typeof arch !== 'string' || !RPM_ARCHES.has(arch)) throw bad(`${name} has arch ${JSON.stringify(arch)}`);
    if (!(epoch === null || epoch === undefined || (typeof epoch === 'number' && Number.isSafeInteger(epoch) && epoch >= 0))) throw bad(`${name} has epoch ${JSON.stringify(epoch)}, not nil or an integer ≥ 0`);
    if (buildId !== undefined && r.build_id !== undefined && r.build_id !== buildId) throw bad(`${name} is of build ${String(r.build_id)}, not ${buildId}`);
    if (arch === 'src' && (name !== want.name || version !== want.version)) throw bad(`its source RPM is ${name}-${version}-${release}`);
    return { name, version, release, epoch: (epoch as number | null | undefined) ?? null, arch };
  });
  if (!rpms.some((r) => r.arch === 'src') && !rpms.some((r) => r.name === want.name && r.version === want.version)) throw bad(`neither its source RPM nor a ${want.name}-${want.version} binary is there`);
  return rpms;
}

/** A cached answer goes through the same check; one that fails is dropped and Koji asked again. */
const checkCached = (nvr: string) => (v: unknown): KojiBuild => {
  if (!isObj(v) || v.nvr !== nvr) throw new Error('another build');
  return { nvr, rpms: checkBuildRpms(nvr, v.rpms) };
};

const isNoSuchBuild = (f: XmlRpcFault) => /no such build/i.test(f.faultString);

/** A source NVR's binaries: from the cache when Koji told us before, else from Koji. */
export async function fetchBuild(nvr: string, opts: ServiceOptions): Promise<Resolved<KojiBuild>> {
  parseSourceNvr(nvr);
  const c = opts.cache.read(SERVICE, nvr, checkCached(nvr));
  if (c) return { value: c.value, from: 'cache', fetched: c.fetched };
  if (opts.offline) throw new AppError('network', `offline: no cached Koji answer for ${nvr}; run once with the network to cache it`, { value: nvr, service: 'koji' });
  // One deadline for both calls: a hub that answers slowly twice is still one wait.
  const call = { service: 'Koji', deadline: Date.now() + (opts.timeoutMs ?? 30_000) };
  let build: unknown;
  let rpms: unknown;
  try {
    build = await xmlrpcCall(opts.baseUrl, 'getBuild', [nvr], call);
    if (build === null || build === undefined) throw new AppError('not-found', `Koji has no build ${nvr}; check the NVR`, { value: nvr, service: 'koji' });
    if (!isObj(build)) throw new AppError('network', `Koji's getBuild(${nvr}) answer is not a build; is the Koji URL a hub?`, { value: nvr, service: 'koji' });
    if (typeof build.nvr === 'string' && build.nvr !== nvr) throw new AppError('network', `Koji's getBuild(${nvr}) answered build ${build.nvr}; nothing was used or cached`, { value: nvr, service: 'koji' });
    const state = build.state;
    if (typeof state === 'number' && state !== 1) {
      throw new AppError('bad-input', `Koji build ${nvr} is ${BUILD_STATES[state] ?? `in state ${state}`}: its RPMs cannot go in a compose`, { value: nvr, service: 'koji' });
    }
    rpms = await xmlrpcCall(opts.baseUrl, 'listBuildRPMs', [nvr], call);
  } catch (err) {
    if (err instanceof XmlRpcFault) {
      if (isNoSuchBuild(err)) throw new AppError('not-found', `Koji has no build ${nvr}; check the NVR`, { value: nvr, service: 'koji' });
      throw new AppError('network', `Koji (${opts.baseUrl}) answered with a fault for ${nvr}: ${err.faultString}`, { value: nvr, service: 'koji' });
    }
    const why = failureReason(err);
    if (why) throw new AppError('network', `Koji (${opts.baseUrl}) cannot be reached (${why}) and no answer for ${nvr} is cached; retry with the network`, { value: nvr, service: 'koji' });
    throw err;
  }
  const buildId = isObj(build) && typeof build.id === 'number' ? build.id : undefined;
  const value: KojiBuild = { nvr, rpms: checkBuildRpms(nvr, rpms, buildId) };
  const saved = await opts.cache.write(SERVICE, nvr, value);
  return { value, from: 'network', fetched: saved.fetched };
}
