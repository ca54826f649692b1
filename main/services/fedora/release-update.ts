/**
 * The update a stream's own release has for a source package (SPEC §2.14): asked when a pasted
 * update's dist tag does not match a target stream. Bodhi's list API, one page of the newest
 * (`query_updates` orders by date_submitted, newest first), testing and stable only. The offer is
 * a help, not a requirement: Bodhi unreachable with nothing cached answers null, and the
 * mismatch is refused as before.
 */
import { newestCandidate, newestReleaseUpdate, releaseCandidates, type ReleaseOffer } from '../../../shared/bodhi/release-update';
import { LISTED_STATUSES } from '../../../shared/bodhi/advisories';
import { AppError } from '../../../shared/errors';
import { urlKey } from './answer-cache';
import type { ServiceOptions } from './bodhi';
import { getCapped, jsonOf, LIMITS } from './http';

const SERVICE = 'bodhi-release';
const ROWS = 20;

/** The list query for one source and release (repeated `status`, as Bodhi's schema reads it). */
export function releaseUpdateUrl(baseUrl: string, source: string, release: number): string {
  const q = new URLSearchParams();
  q.append('packages', source);
  q.append('releases', `F${release}`);
  for (const s of LISTED_STATUSES) q.append('status', s);
  q.append('rows_per_page', String(ROWS));
  q.append('page', '1');
  return `${baseUrl}/updates/?${q.toString()}`;
}

const checked = (v: unknown): unknown[] => {
  if (!Array.isArray(v)) throw new Error('not a list');
  return v;
};

/** The newest testing or stable update of `release` building `source`; null when none is known. */
export async function releaseUpdateOf(source: string, release: number, opts: ServiceOptions): Promise<ReleaseOffer | null> {
  const url = releaseUpdateUrl(opts.baseUrl, source, release);
  const key = urlKey(url);
  const fromCache = () => {
    const c = opts.cache.read(SERVICE, key, checked);
    return c ? newestReleaseUpdate(c.value, source, release) : null;
  };
  if (opts.offline) return fromCache();
  try {
    const got = await getCapped(url, { service: 'Bodhi', deadline: Date.now() + (opts.timeoutMs ?? 30_000), maxBytes: LIMITS.jsonBytes, accept: 'application/json' });
    const body = jsonOf(got.body) as { updates?: unknown } | undefined;
    if (got.status !== 200 || !body || !Array.isArray(body.updates)) return fromCache();
    // Only what passes the checks is cached: a lying answer is not kept for the offline case.
    const found = releaseCandidates(body.updates, source, release);
    await opts.cache.write(SERVICE, key, found.map((c) => c.raw));
    return newestCandidate(found);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return fromCache();
  }
}
