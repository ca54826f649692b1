/** The draft form's package lines: a binary or source package and its version each, with the versions history has seen. */
import type { VersionChoice } from '../../../shared/api/types';
import type { DeepReadonly } from '../../../shared/readonly';

export interface PackageLine {
  name: string;
  evr: string;
}

export function PackageLines({
  lines,
  onChange,
  versions,
  withVersion,
  loading = false,
  indexing = false,
}: {
  lines: PackageLine[];
  onChange: (next: PackageLine[]) => void;
  versions: DeepReadonly<VersionChoice[]>;
  withVersion: boolean;
  /** The versions history has seen are being read: none are offered meanwhile. */
  loading?: boolean;
  /** The history index is being built (a fresh clone): reading versions waits for it. */
  indexing?: boolean;
}) {
  const edit = (i: number, patch: Partial<PackageLine>) => onChange(lines.map((x, k) => (k === i ? { ...x, ...patch } : x)));
  const current = versions.filter((v) => v.current.length);
  return (
    <fieldset className="stack">
      <legend>Packages (binary or source package names)</legend>
      <datalist id="versions">
        {versions.map((v) => (
          <option key={v.evr} value={v.evr}>
            {v.current.length ? `now on ${v.current.join(', ')}` : `seen on ${v.streams.join(', ')}`}
          </option>
        ))}
      </datalist>
      {lines.map((l, i) => (
        <div className="row" key={i}>
          <input value={l.name} placeholder="podman" aria-label={`Package ${i + 1}`} onChange={(e) => edit(i, { name: e.target.value })} data-testid="pkg-name" spellCheck={false} />
          {withVersion && (
            <input
              list={i === 0 ? 'versions' : undefined}
              value={l.evr}
              aria-label={`Version of package ${i + 1}`}
              placeholder="[E:]V-R, e.g. 5:5.2.5-1.fc40"
              onChange={(e) => edit(i, { evr: e.target.value })}
              data-testid="pkg-evr"
              spellCheck={false}
            />
          )}
          {i === 0 && withVersion && loading && (
            <span className="muted" role="status" data-testid="versions-loading">
              <span className="spinner" aria-hidden="true" /> {indexing ? 'Indexing history: versions come when it is done…' : 'Reading versions from history…'}
            </span>
          )}
          {i === 0 && withVersion && !loading && current.length > 0 && (
            <select value="" onChange={(e) => edit(0, { evr: e.target.value })} data-testid="backport-from" aria-label="Backport from a stream" title="Backport from a stream: propose the version it has">
              <option value="">Backport from…</option>
              {current.map((v) => (
                <option key={v.evr} value={v.evr}>
                  {v.current.join(', ')}: {v.evr}
                </option>
              ))}
            </select>
          )}
          {lines.length > 1 && (
            <button type="button" className="link" onClick={() => onChange(lines.filter((_x, k) => k !== i))}>
              Remove
            </button>
          )}
        </div>
      ))}
      <button type="button" className="link" onClick={() => onChange([...lines, { name: '', evr: '' }])} data-testid="add-package">
        + Another package (a Bodhi update often holds several)
      </button>
    </fieldset>
  );
}
