/**
 * Arches where a side has no lockfile, as one line however many there are (a stream holding only
 * override files lacks all four): the per-arch explanation is a click away, so the notice never
 * takes the list's room.
 */
import type { ArchDiff } from '../../../shared/lockfile/diff';
import { Icon } from '../../components/icons';
import type { DeepReadonly } from '../../../shared/readonly';

const list = (arches: string[]) => arches.join(', ');

/** One collapsible line naming the arches without a lockfile on each side; nothing when every arch has both. */
export function LockfileNotices({ arches, fromLabel, toLabel }: { arches: DeepReadonly<ArchDiff[]>; fromLabel: string; toLabel: string }) {
  const neither = arches.filter((a) => !a.fromHasLockfile && !a.toHasLockfile).map((a) => a.arch);
  const noFrom = arches.filter((a) => !a.fromHasLockfile && a.toHasLockfile).map((a) => a.arch);
  const noTo = arches.filter((a) => a.fromHasLockfile && !a.toHasLockfile).map((a) => a.arch);
  if (!neither.length && !noFrom.length && !noTo.length) return null;
  const lines = [
    ...(noTo.length ? [`${toLabel} has no lockfile for ${list(noTo)}: every package there shows as removed.`] : []),
    ...(noFrom.length ? [`${fromLabel} has no lockfile for ${list(noFrom)}: every package there shows as added.`] : []),
    ...(neither.length ? [`Neither side has a lockfile for ${list(neither)}: the effective lock is empty there; the overrides are listed as constraints under the list.`] : []),
  ];
  const summary = [noTo.length && `${toLabel}: no lockfile for ${list(noTo)}`, noFrom.length && `${fromLabel}: no lockfile for ${list(noFrom)}`, neither.length && `neither side: ${list(neither)}`].filter(Boolean).join(' · ');
  return (
    <details className="notice-bar is-info slim one-line" data-testid="no-lockfile">
      <summary title={lines.join('\n')}>
        <Icon name="info" />
        <span className="one-line-text">{summary}</span>
        <span className="one-line-more">details</span>
      </summary>
      <ul className="notice-details">
        {lines.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
    </details>
  );
}
