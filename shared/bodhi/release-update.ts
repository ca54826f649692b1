/**
 * A dist-tag mismatch answered with the right update (SPEC §2.14): when a pasted update is for
 * another Fedora release than a target stream's, the same source package's update for that
 * stream's release is what the maintainer wants. Pure: the service asks Bodhi's list API
 * (`GET /updates/?packages=<src>&releases=F<NN>&status=testing&status=stable`), this picks.
 */
import { compareEvr } from '../rpm/nevra';
import { LISTED_STATUSES, readSecurityUpdate } from './advisories';
import { parseSourceNvr } from './update-id';

/** The update a stream's release has for a source, offered in place of a mismatching one. */
export interface ReleaseOffer {
  alias: string;
  url: string;
  /** The offered update's build of the source (`podman-5.2.6-1.fc41`). */
  nvr: string;
  release: number;
  status: string;
}

type Evr = { epoch: string; version: string; release: string };

/** An update as listed (kept as sent, for the cache) with its newest build of the source. */
export interface ReleaseCandidate {
  raw: unknown;
  offer: ReleaseOffer;
  evr: Evr;
}

/**
 * The updates of a Bodhi list that are of `release` (testing or stable) and build `source`,
 * each checked as the advisories check them; one that fails is left out, never offered.
 */
export function releaseCandidates(list: readonly unknown[], source: string, release: number): ReleaseCandidate[] {
  const found: ReleaseCandidate[] = [];
  for (const raw of list) {
    let u;
    try {
      u = readSecurityUpdate(raw, 'for the release query');
    } catch {
      continue;
    }
    if (u.release !== String(release) || !(LISTED_STATUSES as readonly string[]).includes(u.status)) continue;
    let mine: ReleaseCandidate | null = null;
    for (const b of u.builds) {
      const nvr = parseSourceNvr(b.nvr);
      if (nvr.name !== source) continue;
      const evr = { epoch: String(b.epoch), version: nvr.version, release: nvr.release };
      if (!mine || compareEvr(evr, mine.evr) > 0) mine = { raw, offer: { alias: u.alias, url: u.url, nvr: b.nvr, release, status: u.status }, evr };
    }
    if (mine) found.push(mine);
  }
  return found;
}

/** The candidate whose build is the newest in rpm order (not the one submitted last). */
export function newestCandidate(found: readonly ReleaseCandidate[]): ReleaseOffer | null {
  let best: ReleaseCandidate | null = null;
  for (const c of found) if (!best || compareEvr(c.evr, best.evr) > 0) best = c;
  return best?.offer ?? null;
}

/** Among updates as Bodhi's list sends them, the newest of `release` building `source`; null when none. */
export function newestReleaseUpdate(list: readonly unknown[], source: string, release: number): ReleaseOffer | null {
  return newestCandidate(releaseCandidates(list, source, release));
}
