/**
 * Bodhi's REST API, read-only: `GET <base>/updates/<alias>` gives the update's builds
 * (`builds[].nvr`), its page (`url`) and release (`release.dist_tag`). An update can be
 * edited (builds added or replaced), so Bodhi is asked first when online and the cached
 * answer is used when it cannot be reached or with `--offline`.
 */
import { parseUpdateId } from '../../../shared/bodhi/update-id';
import { bodhiErrorMessage, updateFromBodhiJson, type BodhiUpdate } from '../../../shared/bodhi/update';
import { AppError } from '../../../shared/errors';
import type { AnswerCache } from './answer-cache';
import { failureReason, getCapped, jsonOf, LIMITS } from './http';

export interface ServiceOptions {
  baseUrl: string;
  cache: AnswerCache;
  /** Use only the cache. */
  offline?: boolean;
  timeoutMs?: number;
}

export interface Resolved<T> {
  value: T;
  /** Where the answer came from, and when the service gave it. */
  from: 'network' | 'cache';
  fetched: string;
}

const SERVICE = 'bodhi';

/** Bodhi's base URL: env LOCKSTEP_BODHI_URL, else the setting, else Fedora's. */
export function bodhiBaseUrl(setting?: string): string {
  return (process.env.LOCKSTEP_BODHI_URL || setting || 'https://bodhi.fedoraproject.org').replace(/\/+$/, '');
}

/** An update by ID or URL: from Bodhi when it answers, else from the cache. */
export async function fetchUpdate(idOrUrl: string, opts: ServiceOptions): Promise<Resolved<BodhiUpdate>> {
  const alias = parseUpdateId(idOrUrl);
  // A cached answer is read through the same checks as Bodhi's; one that fails them is dropped.
  const cached = () => {
    const c = opts.cache.read(SERVICE, alias, (v) => updateFromBodhiJson(v, alias));
    return c ? { value: c.value, from: 'cache' as const, fetched: c.fetched } : null;
  };
  if (opts.offline) {
    const c = cached();
    if (c) return c;
    throw new AppError('network', `offline: no cached Bodhi answer for ${alias}; run once with the network to cache it`, { value: alias, service: 'bodhi' });
  }
  const url = `${opts.baseUrl}/updates/${encodeURIComponent(alias)}`;
  let answer: { status: number; body: unknown };
  try {
    const got = await getCapped(url, { service: 'Bodhi', deadline: Date.now() + (opts.timeoutMs ?? 30_000), maxBytes: LIMITS.jsonBytes, accept: 'application/json' });
    answer = { status: got.status, body: jsonOf(got.body) };
  } catch (err) {
    const why = failureReason(err);
    if (!why) throw err;
    const c = cached();
    if (c) return c;
    throw new AppError('network', `Bodhi (${opts.baseUrl}) cannot be reached (${why}) and no answer for ${alias} is cached; retry with the network`, { value: alias, service: 'bodhi' });
  }
  if (answer.status === 404) {
    const detail = bodhiErrorMessage(answer.body);
    throw new AppError('not-found', `Bodhi has no update ${alias}${detail ? ` (${detail})` : ''}; check the ID`, { value: alias, service: 'bodhi' });
  }
  if (answer.status !== 200) {
    // A server error is like no network: the cached answer still holds.
    const c = cached();
    if (c) return c;
    const detail = bodhiErrorMessage(answer.body);
    throw new AppError('network', `Bodhi (${opts.baseUrl}) answered HTTP ${answer.status}${detail ? `: ${detail}` : ''} for ${alias} and nothing is cached; retry later`, { value: alias, service: 'bodhi' });
  }
  if (answer.body === undefined) {
    // An HTML page with status 200 (a proxy's login or error page) is no answer.
    throw new AppError('network', `Bodhi (${opts.baseUrl}) answered something that is not JSON for ${alias}; nothing was used or cached`, { value: alias, service: 'bodhi' });
  }
  const value = updateFromBodhiJson(answer.body, alias);
  const saved = await opts.cache.write(SERVICE, alias, answer.body);
  return { value, from: 'network', fetched: saved.fetched };
}
