/** The side panel of one changed package: both entries on each arch, its source package, the overrides deciding it. */
import { KIND_LABEL } from '../../../shared/lockfile/diff';
import type { EffectiveEntry, OverrideMark } from '../../../shared/lockfile/types';
import { KindBadge } from '../../components/common';
import { Icon } from '../../components/icons';
import { OverrideBadge } from '../../components/version';
import { useStore } from '../../store';
import type { ChangeRow } from './rows';
import { uiSelectors } from '../../store/selectors/ui';

function Entry({ e, label }: { e: EffectiveEntry | undefined; label: string }) {
  if (!e) return <span className="muted">not in {label}</span>;
  return (
    <span className="entry">
      <span className="mono">
        {e.evr}.{e.arch}
      </span>
      {e.override && <OverrideBadge mark={e.override} />}
    </span>
  );
}

export function DetailsPanel({ row, fromLabel, toLabel, onClose, onFilterSource }: { row: ChangeRow; fromLabel: string; toLabel: string; onClose(): void; onFilterSource(source: string): void }) {
  const navigate = useStore(uiSelectors.navigate);
  const overrides = new Map<string, { mark: OverrideMark; side: string; arches: string[] }>();
  for (const [arch, c] of Object.entries(row.perArch)) {
    for (const [side, e] of [
      [fromLabel, c.from],
      [toLabel, c.to],
    ] as const) {
      if (!e?.override) continue;
      const k = `${side}\0${e.override.file}\0${e.override.type}`;
      const o = overrides.get(k) ?? { mark: e.override, side, arches: [] };
      o.arches.push(arch);
      overrides.set(k, o);
    }
  }
  return (
    <aside className="details" data-testid="details" aria-label={`Details of ${row.name}`}>
      <div className="details-head">
        <div>
          <div className="details-kicker">Package</div>
          <h2 className="mono" data-testid="details-name">
            {row.name}
          </h2>
        </div>
        <button type="button" className="icon-btn" onClick={onClose} aria-label="Close details (Escape)" title="Close (Escape)" data-testid="details-close">
          <Icon name="close" />
        </button>
      </div>
      <dl className="facts">
        <dt>Source package</dt>
        <dd>
          <span className="mono">{row.source}</span>{' '}
          <button type="button" className="link small" onClick={() => onFilterSource(row.source)} data-testid="filter-source">
            show all its binaries
          </button>
        </dd>
        <dt>Change</dt>
        <dd className="kinds">
          {row.kinds.map((k) => (
            <KindBadge key={k} kind={k} />
          ))}
        </dd>
      </dl>
      <table className="grid compact details-table">
        <thead>
          <tr>
            <th scope="col">Arch</th>
            <th scope="col">{fromLabel}</th>
            <th scope="col">{toLabel}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(row.perArch).map(([arch, c]) => (
            <tr key={arch} data-testid="details-arch">
              <th scope="row" className="mono" title={KIND_LABEL[c.kind]}>
                {arch}
              </th>
              <td>
                <Entry e={c.from} label={fromLabel} />
              </td>
              <td>
                <Entry e={c.to} label={toLabel} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Overrides</h3>
      {overrides.size === 0 ? (
        <p className="muted small">Neither side's version comes from an override: both are the lockfiles' own.</p>
      ) : (
        <ul className="override-list">
          {[...overrides.values()].map((o) => (
            <li key={`${o.side}-${o.mark.file}-${o.mark.type}`}>
              <OverrideBadge mark={o.mark} /> in <span className="mono">{o.side}</span>: <span className="mono">{o.mark.file}</span>
              <span className="muted"> ({o.arches.join(', ')})</span>
            </li>
          ))}
        </ul>
      )}
      <div className="details-actions">
        <button type="button" onClick={() => navigate('history', { name: row.name })} data-testid="open-history">
          <Icon name="history" /> Package history
        </button>
        {row.source !== row.name && (
          <button type="button" onClick={() => navigate('history', { name: row.source })} data-testid="open-source-history">
            Source history
          </button>
        )}
        <button type="button" className="primary" onClick={() => navigate('draft', { name: row.source, stream: fromLabel })} data-testid="draft-pin" title={`Draft an override of ${row.source} on ${fromLabel}`}>
          <Icon name="draft" /> Draft a pin…
        </button>
      </div>
      <p className="kbd-help muted small">
        <kbd>↑</kbd> <kbd>↓</kbd> or <kbd>j</kbd> <kbd>k</kbd> move · <kbd>Esc</kbd> closes
      </p>
    </aside>
  );
}
