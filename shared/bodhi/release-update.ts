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

/**
 * Among updates as Bodhi's list sends them, the one of `release` (testing or stable) whose build
 * of `source` is the newest in rpm order; null when none has one. Each update is checked as the
 * advisories check them; one that fails is left out, never offered.
 */
export function newestReleaseUpdate(list: readonly unknown[], source: string, release: number): ReleaseOffer | null {
  let best: { offer: ReleaseOffer; evr: { epoch: string; version: string; release: string } } | null = null;
  for (const item of list) {
    let u;
    try {
      u = readSecurityUpdate(item, 'for the release query');
    } catch {
      continue;
    }
    if (u.release !== String(release) || !(LISTED_STATUSES as readonly string[]).includes(u.status)) continue;
    for (const b of u.builds) {
      const nvr = parseSourceNvr(b.nvr);
      if (nvr.name !== source) continue;
      const evr = { epoch: String(b.epoch), version: nvr.version, release: nvr.release };
      if (!best || compareEvr(evr, best.evr) > 0) best = { offer: { alias: u.alias, url: u.url, nvr: b.nvr, release, status: u.status }, evr };
    }
  }
  return best?.offer ?? null;
}
