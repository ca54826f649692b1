/** One line of overrides that constrain nothing on an arch. */
import type { OverrideEntry } from '../../../shared/lockfile/types';
import type { DeepReadonly } from '../../../shared/readonly';

/** The overrides named, each with its EVR and type; the file is in the tooltip. */
export function InertList({ title, entries }: { title: string; entries: DeepReadonly<OverrideEntry[]> }) {
  return (
    <div className="inert-line">
      <span className="inert-title">{title}</span>
      {entries.map((o, i) => (
        <span key={o.name} className="inert-entry" title={`${o.type ?? 'override'} in ${o.file}`}>
          {i > 0 && ', '}
          <span className="mono">{o.name}</span> <span className="mono muted">{o.evr}</span> <span className="muted">({o.type ?? 'override'})</span>
        </span>
      ))}
    </div>
  );
}
