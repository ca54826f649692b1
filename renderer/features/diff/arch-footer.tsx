/**
 * What the diff list cannot show as rows: overrides that constrain nothing on an arch (inert),
 * and, with "overrides only", packages an override holds unchanged. One line under the list;
 * the entries open on demand, so the list keeps its room.
 */
import type { ReactElement } from 'react';
import type { ArchDiff } from '../../../shared/lockfile/diff';
import { Icon } from '../../components/icons';
import { InertList } from './inert-list';
import type { DeepReadonly } from '../../../shared/readonly';

/** The per-arch lines behind the one-line summary; nothing when there is nothing to say. */
export function ArchFooter({ arches, fromLabel, toLabel, overridesOnly }: { arches: DeepReadonly<ArchDiff[]>; fromLabel: string; toLabel: string; overridesOnly: boolean }) {
  let inert = 0;
  let held = 0;
  const lines = arches.flatMap((a) => {
    const out: ReactElement[] = [];
    const same = a.inertFrom.length === a.inertTo.length && a.inertFrom.every((o, i) => o.name === a.inertTo[i]?.name && o.evr === a.inertTo[i]?.evr);
    if (same && a.inertTo.length) {
      inert += a.inertTo.length;
      out.push(<InertList key={`${a.arch}-inert`} title={`${a.arch} · inert on both sides (not in the lockfile):`} entries={a.inertTo} />);
    } else {
      inert += a.inertFrom.length + a.inertTo.length;
      if (a.inertFrom.length) out.push(<InertList key={`${a.arch}-inert-from`} title={`${a.arch} · inert in ${fromLabel}:`} entries={a.inertFrom} />);
      if (a.inertTo.length) out.push(<InertList key={`${a.arch}-inert-to`} title={`${a.arch} · inert in ${toLabel}:`} entries={a.inertTo} />);
    }
    if (overridesOnly && a.overridden.length) {
      held += a.overridden.length;
      out.push(
        <div key={`${a.arch}-held`} className="inert-line">
          <span className="inert-title">{a.arch} · unchanged, decided by an override:</span> <span className="mono">{a.overridden.join(', ')}</span>
        </div>,
      );
    }
    return out;
  });
  if (!lines.length) return null;
  const summary = [inert && `${inert} inert ${inert === 1 ? 'override' : 'overrides'} (naming a package the arch's lockfile lacks: they constrain nothing there)`, held && `${held} unchanged, decided by an override`]
    .filter(Boolean)
    .join(' · ');
  return (
    <details className="arch-footer" data-testid="inert" open={overridesOnly}>
      <summary className="footer-note">
        <Icon name="info" />
        <span className="one-line-text">{summary}</span>
        <span className="one-line-more">details</span>
      </summary>
      {lines}
    </details>
  );
}
