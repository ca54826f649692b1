/**
 * Bodhi's answers, read into the few facts a draft needs. `GET /updates/<alias>` answers
 * `{"update": {...}, "can_edit": ...}`; the list form `GET /updates/?alias=...` (what the
 * bodhi client and the upstream `ci/overrides.py` use) answers `{"updates": [...], "total": n}`;
 * errors are cornice's `{"status": "error", "errors": [{location, name, description}]}`.
 */
import { AppError } from '../errors';
import { cvesIn } from './advisories';

/** The facts of one update a draft uses. */
export interface BodhiUpdate {
  alias: string;
  /** The update's page, written as `metadata.bodhi`. */
  url: string;
  /** Source NVRs of its builds, in Bodhi's order. */
  builds: string[];
  /** The release's Koji dist tag (`f40`), when Bodhi says. */
  distTag: string | null;
  /** The release's version (`40`), when Bodhi says. */
  releaseVersion: string | null;
  /** CVE ids named in the titles of its bugs (what `carries` looks for). */
  cves: string[];
  /** Bodhi's update type (`security`, `bugfix`...), when it says. */
  type: string | null;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The description(s) of a cornice error body, or null when the body is not one. */
export function bodhiErrorMessage(body: unknown): string | null {
  if (!isObj(body) || body.status !== 'error' || !Array.isArray(body.errors)) return null;
  const parts = body.errors.filter(isObj).map((e) => String(e.description ?? e.name ?? 'error'));
  return parts.length ? parts.join('; ') : 'error';
}

function readUpdate(u: unknown, alias: string): BodhiUpdate {
  const bad = (why: string) => new AppError('network', `Bodhi's answer for ${alias} is not an update (${why}); nothing was used or cached; is the Bodhi URL right?`, { value: alias, service: 'bodhi' });
  if (!isObj(u)) throw bad('no update object');
  // The one asked for, or nothing: a server answering with another update must not draft it.
  if (u.alias !== alias) throw bad(typeof u.alias === 'string' ? `it is update ${u.alias}` : 'no alias');
  if (!Array.isArray(u.builds)) throw bad('no builds');
  const builds = u.builds.map((b) => (isObj(b) && typeof b.nvr === 'string' ? b.nvr : null));
  if (builds.some((b) => b === null)) throw bad('a build without nvr');
  const release = isObj(u.release) ? u.release : {};
  return {
    alias,
    url: typeof u.url === 'string' ? u.url : '',
    builds: builds as string[],
    distTag: typeof release.dist_tag === 'string' ? release.dist_tag : null,
    releaseVersion: typeof release.version === 'string' ? release.version : null,
    cves: cvesIn(Array.isArray(u.bugs) ? u.bugs.map((b) => (isObj(b) && typeof b.title === 'string' ? b.title : '')) : []),
    type: typeof u.type === 'string' ? u.type : null,
  };
}

/**
 * Reads an update from either answer form. The list form with no match is a not-found
 * error, as Bodhi's own 404 is.
 */
export function updateFromBodhiJson(body: unknown, alias: string): BodhiUpdate {
  if (isObj(body) && 'update' in body) return readUpdate(body.update, alias);
  if (isObj(body) && Array.isArray(body.updates)) {
    const hit = body.updates.find((u) => isObj(u) && u.alias === alias);
    if (!hit) throw new AppError('not-found', `Bodhi has no update ${alias}; check the ID`, { value: alias });
    return readUpdate(hit, alias);
  }
  const err = bodhiErrorMessage(body);
  if (err) throw new AppError('not-found', `Bodhi: ${alias}: ${err}`, { value: alias });
  return readUpdate(undefined, alias);
}
