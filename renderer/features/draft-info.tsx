/** One draft in full: its state, commit, files, push and PR, and what to do next. */
import { useEffect, useState } from 'react';
import type { DraftInfo } from '../../shared/api/types';
import { call } from '../api';
import { DraftActions, DraftStateCell } from './drafts/draft-state';
import { ErrorBox, Sha, shortDate, UnifiedDiff } from '../components/common';
import { useStore } from '../store';

export function DraftInfoView() {
  const route = useStore((s) => s.route);
  const drafts = useStore((s) => s.drafts);
  const branch = route.params.branch ?? '';
  const [info, setInfo] = useState<DraftInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pushAs, setPushAs] = useState('');
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    call('drafts:info', { branch }).then(setInfo, (e: Error) => setError(e.message));
  }, [branch, drafts]);

  if (error) return <ErrorBox message={error} />;
  if (!info) return <div className="loading">Reading {branch}…</div>;
  const d = info.draft;
  // The remote branch is taken by other commits: the push stopped with a conflict.
  const conflict = d.state.kind === 'error' && d.state.code === 'conflict';
  const push = (remoteBranch?: string) => void useStore.getState().pushDraft(branch, remoteBranch).then(setNote);
  return (
    <section className="draft-info" data-testid="draft-info">
      <div className="section-head">
        <h1 className="mono">{d.branch}</h1>
        <a href="#/drafts">All drafts</a>
      </div>
      <dl className="facts">
        <dt>State</dt>
        <dd>
          <DraftStateCell d={d} testid="info-state" />
        </dd>
        <dt>Stream</dt>
        <dd>
          {d.stream}, based on <Sha oid={d.base} />
        </dd>
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
              {d.push.prUrl ? (
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
      {conflict && (
        <form
          className="notice"
          onSubmit={(e) => {
            e.preventDefault();
            push(pushAs.trim());
          }}
        >
          <span>The remote branch holds commits Lockstep did not push; they are left alone. Push under another branch name:</span>
          <input value={pushAs} onChange={(e) => setPushAs(e.target.value)} placeholder={`${d.push?.remoteBranch ?? 'override-…'}-2`} data-testid="push-as" />
          <button type="submit">Push</button>
        </form>
      )}
      <h3>Rationale</h3>
      <pre className="message">{d.message}</pre>
      <h3>Files</h3>
      {info.diffs.map((f) => (
        <UnifiedDiff key={f.file} text={f.diff} />
      ))}
    </section>
  );
}
