/**
 * "From a Bodhi update or source NVR": one field taking update IDs or URLs, or source NVRs,
 * resolved as it is typed (Bodhi, then Koji, through the back end's cache), then each build's
 * binaries per arch. Which of them a stream locks, and how, is each stream's preview.
 */
import { useEffect } from 'react';
import type { ResolvedBuildView } from '../../../shared/api/update-types';
import { splitBuildInput } from '../../../shared/bodhi/build-input';
import { ErrorBox } from '../../components/common';
import { useStore } from '../../store';
import type { DeepReadonly } from '../../../shared/readonly';
import { buildsSelectors } from '../../store/selectors/builds';

// Long enough that a pasted or typed ID is complete before Bodhi is asked.
const RESOLVE_DELAY_MS = 400;

export function BuildSourceField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const resolution = useStore(buildsSelectors.resolution);
  const key = splitBuildInput(value).join('\n');
  useEffect(() => {
    const inputs = key ? key.split('\n') : [];
    if (!inputs.length) {
      useStore.getState().resetBuilds();
      return;
    }
    const t = setTimeout(() => void useStore.getState().resolveBuilds(inputs), RESOLVE_DELAY_MS);
    return () => clearTimeout(t);
  }, [key]);
  const shown = resolution.status !== 'idle' && resolution.key === key ? resolution : null;
  return (
    <fieldset className="stack">
      <legend>From a Bodhi update or source NVR</legend>
      <label htmlFor="build-source">Update IDs or URLs (fast-track), or source NVRs (pin); several separated by spaces</label>
      <div className="row">
        <input
          id="build-source"
          className="grow"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          placeholder="FEDORA-2024-f0fd63c638, https://bodhi.fedoraproject.org/updates/…, or podman-5.2.5-1.fc40"
          data-testid="build-source"
          spellCheck={false}
        />
        {(shown?.status === 'resolving' || (key && !shown)) && (
          <span className="muted" role="status" data-testid="resolving">
            <span className="spinner" aria-hidden="true" /> Resolving…
          </span>
        )}
      </div>
      {shown?.status === 'failed' && <ErrorBox message={shown.error} testid="resolve-error" />}
      {shown?.status === 'resolved' && (
        <div className="builds" data-testid="resolved-builds">
          {shown.result.builds.map((b) => (
            <BuildBinaries key={b.nvr} build={b} />
          ))}
        </div>
      )}
      {!key && <span className="muted">Or leave this empty and name packages and versions below.</span>}
    </fieldset>
  );
}

/** One build's binaries, one row per arch Koji built them for. */
function BuildBinaries({ build }: { build: DeepReadonly<ResolvedBuildView> }) {
  const arches = Object.keys(build.binaries).sort((a, b) => (a === 'noarch' ? 1 : b === 'noarch' ? -1 : a.localeCompare(b)));
  return (
    <div className="build card" data-testid="build" data-nvr={build.nvr}>
      <div className="row between">
        <strong className="mono">{build.nvr}</strong>
        {build.bodhi && (
          <a href={build.bodhi} target="_blank" rel="noreferrer noopener" className="muted">
            {build.bodhi.replace(/^https?:\/\//, '')}
          </a>
        )}
      </div>
      <table className="grid compact">
        <caption className="sr-only">Binaries of {build.nvr} per arch</caption>
        <thead>
          <tr>
            <th scope="col">Arch</th>
            <th scope="col">Binaries</th>
          </tr>
        </thead>
        <tbody>
          {arches.map((a) => (
            <tr key={a} data-testid="build-arch" data-arch={a}>
              <th scope="row" className="mono arch-cell">
                {a}
              </th>
              <td className="mono binaries">
                {build.binaries[a].map((x) => (
                  <span key={x.name}>{`${x.name}-${x.evr}`}</span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
