/** Fast-tracks that graduated on a stream, and one action that drafts their removal. */
import { useState } from 'react';
import type { GraduationRow } from '../../shared/graduation';
import { call } from '../api';
import { ErrorBox } from '../components/common';

export function GraduationPanel({ stream }: { stream: string }) {
  const [rows, setRows] = useState<GraduationRow[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const check = async (offline: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const r = await call('graduation:check', { stream, offline });
      setRows(r.rows);
      const checked = r.rows.find((x) => x.checked)?.checked;
      setNote(r.online ? 'Repo metadata read just now.' : checked ? `Offline: repo metadata from the cache of ${checked.slice(0, 16).replace('T', ' ')}.` : `Offline and no cache${r.error ? ` (${r.error})` : ''}: only a newer base lockfile can tell.`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const graduated = rows?.filter((r) => r.status === 'graduated') ?? [];
  return (
    <div className="card graduation" data-testid="graduation">
      <div className="row between">
        <h2>Graduated fast-tracks on {stream}</h2>
        <div className="row">
          <button type="button" onClick={() => void check(false)} disabled={busy} data-testid="graduation-check">
            Check repos
          </button>
          <button type="button" onClick={() => void check(true)} disabled={busy}>
            Offline
          </button>
        </div>
      </div>
      <ErrorBox message={error} />
      {rows && (
        <>
          {rows.length === 0 ? (
            <p className="muted">No fast-tracks on {stream}.</p>
          ) : (
            <table className="grid compact">
              <tbody>
                {rows.map((r) => (
                  <tr key={r.name} data-testid="graduation-row">
                    <td>{r.name}</td>
                    <td className="mono">{r.evr}</td>
                    <td>
                      <span className={`badge ${r.status === 'graduated' ? 'kind-upgraded' : r.status === 'unknown' ? '' : 'kind-downgraded'}`}>{r.status}</span>
                    </td>
                    <td className="muted small">{r.source === 'repo-metadata' ? `repos carry ${r.available ?? '—'}` : r.source === 'base-newer' ? `base lockfile has ${r.available}` : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="muted small">{note}</p>
          {graduated.length > 0 && (
            <button
              type="button"
              className="primary"
              onClick={() =>
                void call('graduation:draft', { stream }).then(
                  (d) => setNote(d ? `Drafted ${d.branch}.` : 'Nothing to draft.'),
                  (e: Error) => setError(e.message),
                )
              }
              data-testid="graduation-draft"
            >
              Draft removal of {graduated.length} graduated
            </button>
          )}
        </>
      )}
    </div>
  );
}
