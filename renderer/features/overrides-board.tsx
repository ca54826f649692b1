/**
 * The Overrides board: every override of every stream and every open draft on one page,
 * filterable by name, type and stream (kept in the URL), with the flags computed in
 * shared/overrides-board.ts: conflicts, cross-stream and cross-arch asymmetries.
 */
import { useEffect, useMemo } from 'react';
import { ageText, flagText, type BoardFlag, type OverrideAdded } from '../../shared/overrides-board';
import type { DeepReadonly } from '../../shared/readonly';
import { ErrorBox } from '../components/common';
import { routeHash, useStore } from '../store';
import { boardSelectors } from '../store/selectors/board';
import { uiSelectors } from '../store/selectors/ui';

const TYPES = ['pin', 'fast-track', 'other'] as const;

function Flags({ flags }: { flags: DeepReadonly<BoardFlag[]> }) {
  if (flags.length === 0) return null;
  return (
    <ul className="flag-list">
      {flags.map((f, i) => (
        <li key={i} className={`badge warn flag-${f.kind}`} data-testid={`flag-${f.kind}`}>
          {flagText(f as BoardFlag)}
        </li>
      ))}
    </ul>
  );
}

/** The override's age, a link to the commit that gave it its version (against its parent). */
function Age({ added }: { added: OverrideAdded | null }) {
  if (!added) return <span className="muted">—</span>;
  const day = added.date.slice(0, 10);
  return (
    <a href={routeHash('diff', { from: `${added.commit}^`, to: added.commit })} title={`This version since ${added.commit.slice(0, 12)}, ${day}: that commit against its parent`} className="nowrap">
      <time dateTime={added.date}>{ageText(added, Date.now())}</time>
    </a>
  );
}

export function OverridesBoardView() {
  const board = useStore(boardSelectors.board);
  const loading = useStore(boardSelectors.boardLoading);
  const error = useStore(boardSelectors.boardError);
  const params = useStore(uiSelectors.params);
  const replaceParams = useStore(uiSelectors.replaceParams);
  const name = params.name ?? '';
  const type = params.type ?? '';
  const stream = params.stream ?? '';
  const flagged = params.flagged === '1';

  useEffect(() => {
    void useStore.getState().loadBoard();
  }, []);

  const typeOf = (t: string | null) => (t === 'pin' || t === 'fast-track' ? t : 'other');
  const overrides = useMemo(
    () =>
      (board?.overrides ?? []).filter(
        (o) => (!name || o.name.includes(name.trim())) && (!type || typeOf(o.type) === type) && (!stream || o.stream === stream) && (!flagged || o.flags.length > 0 || o.inertOn.length > 0 || o.redundant),
      ),
    [board, name, type, stream, flagged],
  );
  const drafts = useMemo(
    () =>
      (board?.drafts ?? []).filter(
        (d) => d.state !== 'cancelled' && (!name || d.packages.some((p) => p.includes(name.trim()))) && (!type || typeOf(d.type) === type) && (!stream || d.stream === stream) && (!flagged || d.flags.length > 0),
      ),
    [board, name, type, stream, flagged],
  );

  return (
    <section className="overrides-board" data-testid="overrides-board">
      <h1 tabIndex={-1}>Overrides on every stream</h1>
      <p className="muted small">Read from each stream's head, offline; "graduated" is what the graduation check last cached.</p>
      <div className="toolbar" role="search">
        <label className="inline">
          Package
          <input value={name} onChange={(e) => replaceParams({ name: e.target.value || undefined })} placeholder="podman, kernel…" spellCheck={false} data-testid="board-name" />
        </label>
        <label className="inline">
          Type
          <select value={type} onChange={(e) => replaceParams({ type: e.target.value || undefined })} data-testid="board-type">
            <option value="">any</option>
            {TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label className="inline">
          Stream
          <select value={stream} onChange={(e) => replaceParams({ stream: e.target.value || undefined })} data-testid="board-stream">
            <option value="">every stream</option>
            {(board?.streams ?? []).map((s) => (
              <option key={s.stream}>{s.stream}</option>
            ))}
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={flagged} onChange={(e) => replaceParams({ flagged: e.target.checked ? '1' : undefined })} data-testid="board-flagged" />
          Only what needs a look
        </label>
        <button type="button" onClick={() => void useStore.getState().loadBoard()} disabled={loading} data-testid="board-reload">
          Reload
        </button>
      </div>
      <ErrorBox message={error} testid="board-error" />
      {loading && !board && <div className="loading">Reading every stream's overrides…</div>}
      {board && (
        <>
          <h2>
            Overrides <span className="count">{overrides.length}</span>
          </h2>
          <div className="table-wrap">
            <table className="grid compact" data-testid="board-overrides" data-rows={overrides.length}>
              <thead>
                <tr>
                  <th scope="col">Stream</th>
                  <th scope="col">Package</th>
                  <th scope="col">Type</th>
                  <th scope="col">Version</th>
                  <th scope="col">Age</th>
                  <th scope="col">File</th>
                  <th scope="col">Status</th>
                  <th scope="col">Links</th>
                  <th scope="col">Flags</th>
                </tr>
              </thead>
              <tbody>
                {overrides.map((o) => (
                  <tr key={`${o.stream} ${o.file} ${o.name}`} data-testid="board-override" data-stream={o.stream} data-package={o.name} data-scope={o.scope}>
                    <td>{o.stream}</td>
                    <td>
                      <a href={routeHash('history', { name: o.name, stream: o.stream })} title={`History of ${o.name} on ${o.stream}`}>
                        {o.name}
                      </a>
                    </td>
                    <td>
                      <span className={`badge ov-${o.type ?? 'none'}`}>{o.type ?? 'no type'}</span>
                    </td>
                    <td className="mono">{o.evr}</td>
                    <td data-testid="board-age">
                      <Age added={o.added} />
                    </td>
                    <td className="muted">{o.scope === 'all' ? 'all arches' : o.scope}</td>
                    <td data-testid="board-status">
                      {o.inertOn.length > 0 && <span className="badge">inert on {o.inertOn.join(', ')}</span>}
                      {o.redundant && <span className="badge warn">redundant: base is newer</span>}
                      {o.graduation === 'graduated' && <span className="badge warn">graduated</span>}
                      {o.graduation === 'not-yet' && <span className="muted small">not graduated</span>}
                    </td>
                    <td>
                      {o.reason && (
                        <a href={o.reason} target="_blank" rel="noreferrer noopener">
                          reason
                        </a>
                      )}
                      {o.reason && o.bodhi && ' · '}
                      {o.bodhi && (
                        <a href={o.bodhi} target="_blank" rel="noreferrer noopener">
                          bodhi
                        </a>
                      )}
                    </td>
                    <td>
                      <Flags flags={o.flags} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>
            Open drafts <span className="count">{drafts.length}</span>
          </h2>
          {drafts.length === 0 ? (
            <div className="empty">No open draft{name || type || stream || flagged ? ' matches the filters' : ''}.</div>
          ) : (
            <div className="table-wrap">
              <table className="grid compact" data-testid="board-drafts">
                <thead>
                  <tr>
                    <th scope="col">Stream</th>
                    <th scope="col">Draft</th>
                    <th scope="col">Type</th>
                    <th scope="col">Packages</th>
                    <th scope="col">State</th>
                    <th scope="col">Flags</th>
                  </tr>
                </thead>
                <tbody>
                  {drafts.map((d) => (
                    <tr key={d.branch} data-testid="board-draft" data-branch={d.branch}>
                      <td>{d.stream}</td>
                      <td>
                        <a className="mono" href={`#/draft-info?branch=${encodeURIComponent(d.branch)}`}>
                          {d.branch}
                        </a>
                      </td>
                      <td>{d.type}</td>
                      <td className="mono clip" title={d.packages.join(' ')}>
                        {d.packages.join(', ')}
                      </td>
                      <td>
                        {d.state}
                        {d.stale && <span className="badge stale">stale</span>}
                      </td>
                      <td>
                        <Flags flags={d.flags} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
