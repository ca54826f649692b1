/**
 * What a maintainer pastes for a Bodhi update: its alias (`FEDORA-2024-f0fd63c638`,
 * `FEDORA-EPEL-2024-…`) or its page URL (`https://bodhi.fedoraproject.org/updates/FEDORA-…`).
 * Both become the alias, the key Bodhi's `GET /updates/<alias>` and our cache use.
 */
import { AppError } from '../errors';

// Prefix words are the release's `id_prefix` (FEDORA, FEDORA-EPEL, FEDORA-EPEL-NEXT,
// FEDORA-FLATPAK...), then the year and a hex suffix.
const ALIAS_RE = /^FEDORA(?:-[A-Z]+)*-\d{4}-[0-9a-fA-F]+$/;

/** True for a Bodhi update alias. */
export function isUpdateAlias(s: string): boolean {
  return ALIAS_RE.test(s);
}

/** The update alias of an ID or Bodhi URL; anything else is a bad-input error naming it. */
export function parseUpdateId(input: string): string {
  const s = (input ?? '').trim();
  if (isUpdateAlias(s)) return s;
  // Any host: staging Bodhi and the tests' stand-ins serve the same paths.
  const m = /^https?:\/\/[^/\s]+(?:\/[^\s?#]*)?\/updates\/([^/\s?#]+)\/?(?:[?#]\S*)?$/.exec(s);
  if (m && isUpdateAlias(m[1])) return m[1];
  throw new AppError(
    'bad-input',
    `"${input}" is not a Bodhi update: give its ID (FEDORA-2024-f0fd63c638) or its URL (https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638)`,
    { value: input },
  );
}

/** A source NVR (`podman-5.2.5-1.fc40`) split into name, version and release. */
export function parseSourceNvr(input: string): { name: string; version: string; release: string } {
  const s = (input ?? '').trim();
  const m = /^([A-Za-z0-9._+-]+)-([A-Za-z0-9._+~^]+)-([A-Za-z0-9._+~^]+)$/.exec(s);
  if (!m || s.includes(':')) {
    throw new AppError('bad-input', `"${input}" is not a source NVR: give name-version-release, e.g. podman-5.2.5-1.fc40`, { value: input });
  }
  return { name: m[1], version: m[2], release: m[3] };
}
