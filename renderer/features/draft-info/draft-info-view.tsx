/** One draft in full: its state, commit, files, push and PR, the build-pool check, and what to do next. */
import { useEffect, useState } from 'react';
import { ErrorBox, Sha, shortDate, UnifiedDiff } from '../../components/common';
import { useStore } from '../../store';
import { AvailabilityPanel } from '../drafts/availability-panel';
import { DraftActions, DraftStateCell, isPullRequest, usePushChecked } from '../drafts/draft-state';
import { draftsSelectors } from '../../store/selectors/drafts';
import { uiSelectors } from '../../store/selectors/ui';
import { usePick } from '../../store/use-pick';

export function DraftInfoView() {
  const { route, drafts } = usePick({ route: uiSelectors.route, drafts: draftsSelectors.drafts });
  const branch = route.params.branch ?? '';
  const { loaded, error } = usePick({ loaded: draftsSelectors.draftInfo, error: draftsSelectors.draftInfoError });
  const [pushAs, setPushAs] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const checked = usePushChecked();

  useEffect(() => {
    void useStore.getState().loadDraftInfo(branch);
  }, [branch, drafts]);

  // The info of the previous draft stays in the store until this one's arrives.
  const info = loaded?.draft.branch === branch ? loaded : null;
  if (error && !info) return <ErrorBox message={error} />;
  if (!info) return <div className="loading">Reading {branch}…</div>;
  const d = info.draft;
  // The remote branch is taken by other commits: the push stopped with a conflict.
  const conflict = d.state.kind === 'error' && d.state.code === 'conflict';
  return (
    <section className="draft-info" data-testid="draft-info">
      <div className="section-head">
        {/* The commit's subject reads as a title; the branch name is the draft's id, kept below. */}
        <h1 data-testid="info-title">{d.message.split('\n', 1)[0]}</h1>
        <a href="#/drafts">All drafts</a>
      </div>
      <div className="mono muted" data-testid="info-branch">{d.branch}</div>
      <dl className="facts">
        <dt>State</dt>
        <dd>
          <DraftStateCell d={d} testid="info-state" />
        </dd>
        <dt>Stream</dt>
        <dd>
          {d.stream}, based on <Sha oid={d.base} />
        </dd>
        {d.promotion && (
          <>
            <dt>Promotes</dt>
            <dd data-testid="info-promotion">
              {d.promotion.source} at <Sha oid={d.promotion.commit} />
              {d.sourceMoved && <span className="badge">{d.promotion.source} moved since</span>}{' '}
              <a href={`#/diff?from=${encodeURIComponent(d.base)}&to=${encodeURIComponent(d.head)}`}>what it changes</a>
            </dd>
          </>
        )}
        <dt>Commit</dt>
        <dd>
          <Sha oid={d.head} /> {shortDate(d.createdAt)}
        </dd>
        <dt>Push remote</dt>
        <dd>
          {info.pushRemote.name} <span className="muted">{info.pushRemote.url ?? ''}</span>
        </dd>
        {d.push && (
          <>
            <dt>Pushed as</dt>
            <dd className="mono">
              {d.push.remote}/{d.push.remoteBranch} at {d.push.pushedAt.slice(0, 16).replace('T', ' ')}
            </dd>
            <dt>Pull request</dt>
            <dd>
              {d.push.prUrl && !isPullRequest(d.push.prUrl) ? (
                <>
                  none yet:{' '}
                  <a href={d.push.prUrl} target="_blank" rel="noreferrer noopener" data-testid="info-pr">
                    open one on the forge
                  </a>
                </>
              ) : d.push.prUrl ? (
                <a href={d.push.prUrl} target="_blank" rel="noreferrer noopener" data-testid="info-pr">
                  {d.push.prUrl.length > 90 ? `${d.push.prUrl.slice(0, 90)}…` : d.push.prUrl}
                </a>
              ) : (
                <span className="muted">none yet</span>
              )}
            </dd>
          </>
        )}
      </dl>
      <div className="row">
        <DraftActions d={d} onMessage={setNote} />
      </div>
      {note && (
        <div className="notice" data-testid="info-note">
          {note}
        </div>
      )}
      {checked.dialog}
      {conflict && (
        <form
          className="notice"
          onSubmit={(e) => {
            e.preventDefault();
            void checked.push(d, setNote, pushAs.trim());
          }}
        >
          <span>The remote branch holds commits Lockstep did not push; they are left alone. Push under another branch name:</span>
          <input value={pushAs} aria-label="Remote branch name" onChange={(e) => setPushAs(e.target.value)} placeholder={`${d.push?.remoteBranch ?? 'override-…'}-2`} data-testid="push-as" />
          <button type="submit">Push</button>
        </form>
      )}
      <AvailabilityPanel branch={d.branch} />
      <h3>Rationale</h3>
      <pre className="message">{d.message}</pre>
      <details data-testid="pr-body">
        <summary>Pull request title and body (Markdown)</summary>
        <label>
          Title
          <input readOnly value={info.pullRequest.title} onFocus={(e) => e.currentTarget.select()} data-testid="pr-title" />
        </label>
        <label>
          Body
          <textarea readOnly rows={10} value={info.pullRequest.body} onFocus={(e) => e.currentTarget.select()} spellCheck={false} data-testid="pr-body-text" />
        </label>
        <button type="button" onClick={() => void navigator.clipboard?.writeText(`${info.pullRequest.title}\n\n${info.pullRequest.body}`).then(() => setNote('Pull request title and body copied.'), () => setNote('The clipboard was refused: select the text above and copy it.'))} data-testid="copy-pr-body">
          Copy title and body
        </button>
      </details>
      <h3>Files</h3>
      {d.type === 'promote' && <p className="muted small">Lockfiles are listed as packages in what it changes; here are the other files.</p>}
      {info.diffs.map((f) => (
        <UnifiedDiff key={f.file} text={f.diff} />
      ))}
    </section>
  );
}
