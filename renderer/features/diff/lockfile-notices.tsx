/** Notices for arches where a side has no lockfile. */
import type { ArchDiff } from '../../../shared/lockfile/diff';
import { Icon } from '../../components/icons';

/** One line per arch missing a lockfile on either side. */
export function LockfileNotices({ arches, fromLabel, toLabel }: { arches: ArchDiff[]; fromLabel: string; toLabel: string }) {
  const missing = arches.filter((a) => !a.fromHasLockfile || !a.toHasLockfile);
  return (
    <>
      {missing.map((a) => (
        <div key={a.arch} className="notice-bar is-info slim" data-testid="no-lockfile">
          <Icon name="info" />
          <span>
            {!a.fromHasLockfile && !a.toHasLockfile
              ? `Neither side has a lockfile for ${a.arch}: its effective lock is empty; its overrides are listed as constraints below.`
              : `${!a.fromHasLockfile ? fromLabel : toLabel} has no lockfile for ${a.arch}: every package there shows as ${!a.fromHasLockfile ? 'added' : 'removed'}.`}
          </span>
        </div>
      ))}
    </>
  );
}
