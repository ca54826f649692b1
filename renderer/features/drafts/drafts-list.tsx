/** Drafts: the list (with stale markers), each row's actions, and graduation below it. */
import { useEffect, useState } from 'react';
import { ErrorBox, Sha, shortDate } from '../../components/common';
import { useStore } from '../../store';
import { DraftActions, DraftStateCell } from './draft-state';
import { OrderedPush, pushableGroups } from './ordered-push';
import { draftsSelectors } from '../../store/selectors/drafts';
import { uiSelectors } from '../../store/selectors/ui';
import { usePick } from '../../store/use-pick';

export function DraftsView() {
  const { drafts, error, navigate } = usePick({ drafts: draftsSelectors.drafts, error: draftsSelectors.draftsError, navigate: uiSelectors.navigate });
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    void useStore.getState().loadDrafts();
  }, []);
  return (
    <section>
      <div className="section-head">
        <h1>Drafts</h1>
        <button type="button" className="primary" onClick={() => navigate('draft')} data-testid="new-draft">
          New draft…
        </button>
      </div>
      <ErrorBox message={error} />
      {message && (
        <div className="notice" data-testid="rebase-result">
          {message}
        </div>
      )}
      {drafts &&
        pushableGroups(drafts).map((g) => (
          <div key={g[0].branch} className="notice" style={{ display: 'block' }} data-testid="made-together">
            Made together: {g[0].srpms.join(', ')} on {g.map((d) => d.stream).join(', ')}
            <OrderedPush branches={g.map((d) => d.branch)} />
          </div>
        ))}
      {!drafts ? (
        <div className="loading">Reading drafts…</div>
      ) : drafts.length === 0 ? (
        <div className="empty">No drafts yet. Draft a pin from any package in a diff or history, or start one here.</div>
      ) : (
        <table className="grid" data-testid="drafts-table">
          <thead>
            <tr>
              <th>Branch</th>
              <th>Stream</th>
              <th>Type</th>
              <th>Packages</th>
              <th>State</th>
              <th>Base</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {drafts.map((d) => (
              <tr key={d.branch} data-testid="draft-row">
                <td className="mono">
                  <a href={`#/draft-info?branch=${encodeURIComponent(d.branch)}`} data-testid="draft-link">
                    {d.branch}
                  </a>
                </td>
                <td>{d.stream}</td>
                <td>
                  <span className={`badge ov-${d.type}`}>{d.type}</span>
                </td>
                <td title={Object.entries(d.packages).map(([n, v]) => `${n} ${v}`).join('\n')}>
                  {d.promotion ? `${d.promotion.source} at ${d.promotion.commit.slice(0, 12)}${d.sourceMoved ? ` (${d.promotion.source} moved since)` : ''}` : d.srpms.join(', ')}
                </td>
                <td>
                  <DraftStateCell d={d} testid="draft-state" />
                </td>
                <td>
                  <Sha oid={d.base} />
                </td>
                <td>{shortDate(d.createdAt)}</td>
                <td>
                  {/* Spaced apart: the actions are links in one row and ran together as one phrase. */}
                  <span className="row-actions">
                    <a href={`#/diff?from=${encodeURIComponent(d.base)}&to=${encodeURIComponent(d.branch)}`} title="What this draft changes, against the stream commit it was drafted on" data-testid="draft-changes">
                      Changes vs base
                    </a>
                    <DraftActions d={d} onMessage={setMessage} compact />
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted" style={{ marginTop: 24 }}>
        Fast-tracks that graduated, on every stream: <a href="#/graduation" className="underlined" data-testid="open-graduation">Graduation</a>.
      </p>
    </section>
  );
}
