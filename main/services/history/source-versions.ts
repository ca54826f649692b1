/**
 * Finds a lockfile snapshot, in any stream at any commit, where a source package was at a
 * given version, so each of its binaries can be pinned with its own exact EVR and arch.
 * Stream heads are checked first, then each stream's first-parent history, newest first;
 * every lockfile version is read once.
 */
import { classifyLockPath } from '../../../shared/lockfile/files';
import { parseLockfile } from '../../../shared/lockfile/manifest-lock';
import type { SourceVersion } from '../../../shared/drafts/plan';
import { nameRecord, own } from '../../../shared/records';
import type { Evr } from '../../../shared/rpm/nevra';
import { parseEvr } from '../../../shared/rpm/nevra';
import { firstParents } from '../../git/first-parent';
import type { ConfigRepo } from '../review/config-repo';

const vr = (e: Evr) => `${e.version}-${e.release ?? ''}`;

/**
 * Whether a lockfile EVR is the version asked for. Source NVRs carry no epoch, so an EVR typed
 * without one (or with `0:`) matches any epoch; a typed epoch must match, never be dropped in
 * favour of whatever epoch history had at that version-release.
 */
const sameVersion = (lockEvr: string, want: Evr): boolean => {
  const e = parseEvr(lockEvr);
  return vr(e) === vr(want) && (want.epoch === '0' || e.epoch === want.epoch);
};

/** Builds a lookup over the history of the given stream heads. */
export function sourceVersionFinder(repo: ConfigRepo, heads: string[], limitPerStream = 5000) {
  return (source: string, evr: Evr): SourceVersion | null => {
    const seenBlobs = new Set<string>();
    const matches = (commit: string): boolean => {
      for (const [file, oid] of Object.entries(repo.lockFileOids(commit))) {
        const kind = classifyLockPath(file);
        if (kind?.kind !== 'lockfile' || seenBlobs.has(oid)) continue;
        seenBlobs.add(oid);
        let lf;
        try {
          lf = parseLockfile(repo.lockBytes(oid, file, commit).toString('utf8'), kind.arch, kind.format, { file, commit });
        } catch {
          continue;
        }
        const named = own(lf.packages, source);
        if (named && (named.sourcerpm ?? source) === source) {
          if (sameVersion(named.evr, evr)) return true;
          continue;
        }
        for (const e of Object.values(lf.packages)) if (e.sourcerpm === source && sameVersion(e.evr, evr)) return true;
      }
      return false;
    };
    const toVersion = (commit: string): SourceVersion => {
      const snap = repo.snapshot(commit);
      const arches: SourceVersion['arches'] = nameRecord();
      for (const [arch, lf] of Object.entries(snap.lockfiles)) {
        const per = nameRecord<{ evr: string; arch: string }>();
        for (const [name, e] of Object.entries(lf.packages)) {
          if ((e.sourcerpm ?? name) === source) per[name] = { evr: e.evr, arch: e.arch };
        }
        arches[arch] = per;
      }
      return { commit, arches };
    };
    for (const head of heads) if (matches(head)) return toVersion(head);
    for (const head of heads) {
      let n = 0;
      for (const c of firstParents(repo.store, head)) {
        if (c.oid === head) continue;
        if (matches(c.oid)) return toVersion(c.oid);
        if (++n >= limitPerStream) break;
      }
    }
    return null;
  };
}
