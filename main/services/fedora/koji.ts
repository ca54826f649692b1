/**
 * Koji's XML-RPC hub, read-only: `getBuild(nvr)` (nil for an unknown build) and
 * `listBuildRPMs(nvr)` (a struct per RPM: name, version, release, epoch or nil, arch). A
 * finished build never changes, so a cached answer is used without asking Koji again.
 */
import http from 'node:http';
import https from 'node:https';
import xmlrpc from 'xmlrpc';
import type { BuildBinary } from '../../../shared/bodhi/build-placement';
import { parseSourceNvr } from '../../../shared/bodhi/update-id';
import { AppError } from '../../../shared/errors';
import type { Resolved, ServiceOptions } from './bodhi';

const SERVICE = 'koji';

/** Koji's build states (koji.BUILD_STATES). */
const BUILD_STATES = ['BUILDING', 'COMPLETE', 'DELETED', 'FAILED', 'CANCELED'];

/** Koji's hub URL: env LOCKSTEP_KOJI_URL, else the setting, else Fedora's. */
export function kojiHubUrl(setting?: string): string {
  return process.env.LOCKSTEP_KOJI_URL || setting || 'https://koji.fedoraproject.org/kojihub';
}

export interface KojiBuild {
  nvr: string;
  rpms: BuildBinary[];
}

class Fault extends Error {
  constructor(readonly faultCode: number, readonly faultString: string) {
    super(faultString);
  }
}

/** One XML-RPC call with a deadline; the agent is destroyed after, so no socket keeps the CLI alive. */
function call(hubUrl: string, method: string, params: unknown[], timeoutMs: number): Promise<unknown> {
  const url = new URL(hubUrl);
  const secure = url.protocol === 'https:';
  const agent = secure ? new https.Agent({ keepAlive: false }) : new http.Agent({ keepAlive: false });
  const options = { host: url.hostname, port: Number(url.port) || (secure ? 443 : 80), path: url.pathname + url.search, agent, headers: { Connection: 'close' } };
  const client = secure ? xmlrpc.createSecureClient(options) : xmlrpc.createClient(options);
  return new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Rejected first: destroying the sockets makes the client report "socket hang up".
      reject(new Error('timed out'));
      agent.destroy();
    }, timeoutMs);
    client.methodCall(method, params, (err: unknown, value: unknown) => {
      clearTimeout(timer);
      agent.destroy();
      if (!err) return resolve(value);
      const e = err as Error & { faultCode?: number; faultString?: string; code?: string };
      if (e.faultString !== undefined || e.faultCode !== undefined) reject(new Fault(e.faultCode ?? 0, e.faultString ?? e.message));
      else reject(e);
    });
  });
}

function readRpms(nvr: string, value: unknown): BuildBinary[] {
  if (!Array.isArray(value)) throw new AppError('internal', `Koji's listBuildRPMs(${nvr}) answer is not a list; is the Koji URL a hub?`);
  return value.map((r: Record<string, unknown>) => {
    const ok = r && typeof r.name === 'string' && typeof r.version === 'string' && typeof r.release === 'string' && typeof r.arch === 'string';
    if (!ok || !(r.epoch === null || r.epoch === undefined || typeof r.epoch === 'number')) {
      throw new AppError('internal', `Koji's listBuildRPMs(${nvr}) holds an RPM without name, version, release, arch or a numeric epoch`);
    }
    return { name: r.name as string, version: r.version as string, release: r.release as string, epoch: (r.epoch as number | null | undefined) ?? null, arch: r.arch as string };
  });
}

const isNoSuchBuild = (f: Fault) => /no such build/i.test(f.faultString);

/** A source NVR's binaries: from the cache when Koji told us before, else from Koji. */
export async function fetchBuild(nvr: string, opts: ServiceOptions): Promise<Resolved<KojiBuild>> {
  parseSourceNvr(nvr);
  const c = opts.cache.read<KojiBuild>(SERVICE, nvr);
  if (c) return { value: c.value, from: 'cache', fetched: c.fetched };
  if (opts.offline) throw new AppError('network', `offline: no cached Koji answer for ${nvr}; run once with the network to cache it`, { value: nvr, service: 'koji' });
  const timeout = opts.timeoutMs ?? 30_000;
  const unreachable = (err: Error) =>
    new AppError('network', `Koji (${opts.baseUrl}) cannot be reached (${err.message || (err as { code?: string }).code}) and no answer for ${nvr} is cached; retry with the network`, { value: nvr, service: 'koji' });
  let build: unknown;
  let rpms: unknown;
  try {
    build = await call(opts.baseUrl, 'getBuild', [nvr], timeout);
    if (build === null || build === undefined) throw new AppError('not-found', `Koji has no build ${nvr}; check the NVR`, { value: nvr, service: 'koji' });
    const state = (build as { state?: unknown }).state;
    if (typeof state === 'number' && state !== 1) {
      throw new AppError('bad-input', `Koji build ${nvr} is ${BUILD_STATES[state] ?? `in state ${state}`}: its RPMs cannot go in a compose`, { value: nvr, service: 'koji' });
    }
    rpms = await call(opts.baseUrl, 'listBuildRPMs', [nvr], timeout);
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof Fault) {
      if (isNoSuchBuild(err)) throw new AppError('not-found', `Koji has no build ${nvr}; check the NVR`, { value: nvr, service: 'koji' });
      throw new AppError('network', `Koji (${opts.baseUrl}) answered with a fault for ${nvr}: ${err.faultString}`, { value: nvr, service: 'koji' });
    }
    throw unreachable(err as Error);
  }
  const value: KojiBuild = { nvr, rpms: readRpms(nvr, rpms) };
  const saved = await opts.cache.write(SERVICE, nvr, value);
  return { value, from: 'network', fetched: saved.fetched };
}
