/** What the diff list cannot show as rows: inert overrides and packages an override holds. */
import type { ReactElement } from 'react';
import type { ArchDiff } from '../../../shared/lockfile/diff';
import { Icon } from '../../components/icons';
import { InertList } from './inert-list';

/** Under the list, per arch: overrides that constrain nothing there, and (overrides only) packages an override holds unchanged. */
export function ArchFooter({ arches, fromLabel, toLabel, overridesOnly }: { arches: ArchDiff[]; fromLabel: string; toLabel: string; overridesOnly: boolean }) {
  const lines = arches.flatMap((a) => {
    const out: ReactElement[] = [];
    const same = a.inertFrom.length === a.inertTo.length && a.inertFrom.every((o, i) => o.name === a.inertTo[i]?.name && o.evr === a.inertTo[i]?.evr);
    if (same && a.inertTo.length) out.push(<InertList key={`${a.arch}-inert`} title={`${a.arch} · inert on both sides (not in the lockfile):`} entries={a.inertTo} />);
    else {
      if (a.inertFrom.length) out.push(<InertList key={`${a.arch}-inert-from`} title={`${a.arch} · inert in ${fromLabel}:`} entries={a.inertFrom} />);
      if (a.inertTo.length) out.push(<InertList key={`${a.arch}-inert-to`} title={`${a.arch} · inert in ${toLabel}:`} entries={a.inertTo} />);
    }
    if (overridesOnly && a.overridden.length) {
      out.push(
        <div key={`${a.arch}-held`} className="inert-line">
          <span className="inert-title">{a.arch} · unchanged, decided by an override:</span> <span className="mono">{a.overridden.join(', ')}</span>
        </div>,
      );
    }
    return out;
  });
  if (!lines.length) return null;
  const anyInert = arches.some((a) => a.inertFrom.length || a.inertTo.length);
  return (
    <div className="arch-footer" data-testid="inert">
      {anyInert && (
        <div className="footer-note">
          <Icon name="info" /> Inert overrides name a package the arch's lockfile lacks: they constrain nothing there and are never "added".
        </div>
      )}
      {lines}
    </div>
  );
}
