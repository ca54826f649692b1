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

async function getJson(url: string, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    const res = await fetch(url, { headers: { Accept: 'application/json' }, signal: ac.signal });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    return { status: res.status, body };
  } finally {
    clearTimeout(timer);
  }
}

/** An update by ID or URL: from Bodhi when it answers, else from the cache. */
export async function fetchUpdate(idOrUrl: string, opts: ServiceOptions): Promise<Resolved<BodhiUpdate>> {
  const alias = parseUpdateId(idOrUrl);
  const cached = () => {
    const c = opts.cache.read<unknown>(SERVICE, alias);
    return c ? { value: updateFromBodhiJson(c.value, alias), from: 'cache' as const, fetched: c.fetched } : null;
  };
  if (opts.offline) {
    const c = cached();
    if (c) return c;
    throw new AppError('network', `offline: no cached Bodhi answer for ${alias}; run once with the network to cache it`, { value: alias, service: 'bodhi' });
  }
  const url = `${opts.baseUrl}/updates/${encodeURIComponent(alias)}`;
  let answer: { status: number; body: unknown };
  try {
    answer = await getJson(url, opts.timeoutMs ?? 30_000);
  } catch (err) {
    const c = cached();
    if (c) return c;
    const why = (err as Error).name === 'AbortError' ? 'timed out' : ((err as Error & { cause?: Error }).cause?.message ?? (err as Error).message);
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
  const value = updateFromBodhiJson(answer.body, alias);
  const saved = await opts.cache.write(SERVICE, alias, answer.body);
  return { value, from: 'network', fetched: saved.fetched };
}
