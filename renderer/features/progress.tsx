/** Repo-wide progress: the fetch strip under the top bar, its result, and the background history indexing. */
import { useMemo, useState } from 'react';
import { fetchReportNow } from '../../shared/fetch-report';
import { ProgressBar } from '../components/common';
import { Icon } from '../components/icons';
import { useStore } from '../store';
import { repoSelectors } from '../store/selectors/repo';
import { draftsSelectors } from '../store/selectors/drafts';
import { streamsSelectors } from '../store/selectors/streams';
import { usePick } from '../store/use-pick';

/** The running fetch: phase, objects and percent, with Cancel. */
export function FetchProgress() {
  const { operation, progress } = usePick({ operation: repoSelectors.operation, progress: repoSelectors.progress });
  const [cancelling, setCancelling] = useState<string | null>(null);
  if (operation?.kind !== 'fetch' || !progress) return null;
  return (
    <div className="strip" data-testid="fetch-progress">
      <ProgressBar
        p={progress}
        cancelling={cancelling === operation.id}
        onCancel={() => {
          setCancelling(operation.id);
          void useStore.getState().cancelOperation();
        }}
      />
    </div>
  );
}

/** A draft write waits for another writer (a lockstep command, another app) to finish: said while it waits. */
export function WriterWait() {
  const text = useStore(repoSelectors.writerWait);
  if (!text) return null;
  return (
    <div className="strip writer-wait" role="status" data-testid="writer-wait">
      <span className="spinner" aria-hidden="true" /> {text}
    </div>
  );
}

/** What the last fetch did: which streams moved (old → new head), or that none did. */
export function FetchResultNotice() {
  const picked = usePick({ reported: repoSelectors.fetchResult, error: repoSelectors.fetchError, streams: streamsSelectors.streams, drafts: draftsSelectors.drafts });
  const { reported, error, streams, drafts } = picked;
  // Only what is still true: the notice clears once its streams move again or its stale drafts are rebased.
  const heads = useMemo(() => (streams ? new Map(streams.map((s) => [s.name, s.head])) : null), [streams]);
  const result = reported && fetchReportNow(reported, heads, drafts);
  if (!result && !error) return null;
  const dismiss = () => useStore.getState().dismissFetchResult();
  return (
    <div className={`notice-bar ${error ? 'is-error' : result?.updated.length ? 'is-info' : 'is-ok'}`} role="status" data-testid="fetch-result">
      <Icon name={error ? 'alert' : result?.updated.length ? 'sync' : 'check'} />
      {error ? (
        <span>{error}</span>
      ) : result!.updated.length === 0 ? (
        <span>Fetched: every stream was already up to date.</span>
      ) : (
        <span>
          Fetched: {result!.updated.length} {result!.updated.length === 1 ? 'stream' : 'streams'} moved —{' '}
          {result!.updated.map((u, i) => (
            <span key={u.name} className="moved" data-testid="moved-stream">
              {i > 0 && ', '}
              <strong>{u.name}</strong>{' '}
              <span className="mono muted">{u.from ? u.from.slice(0, 7) : 'new'}</span> → <span className="mono">{u.to.slice(0, 7)}</span>
            </span>
          ))}
          {result!.staleDrafts.length > 0 && (
            <>
              {' '}
              — <a href="#/drafts" className="underlined" data-testid="stale-drafts">{result!.staleDrafts.length === 1 ? '1 draft is' : `${result!.staleDrafts.length} drafts are`} stale now: rebase before pushing</a>
            </>
          )}
        </span>
      )}
      <button type="button" className="icon-btn" onClick={dismiss} aria-label="Dismiss" data-testid="dismiss-fetch-result">
        <Icon name="close" />
      </button>
    </div>
  );
}

/** History indexing in the background: a small chip while it runs. */
export function IndexStatus() {
  const p = useStore(repoSelectors.indexProgress);
  if (!p || p.percent === 100) return null;
  return (
    <span className="status-chip" data-testid="index-progress" title="History is indexed in the background; package history opens instantly afterwards.">
      <span className="spinner" aria-hidden="true" />
      {p.phase.replace(/^Indexing history: /, 'Indexing ')}
      {p.total > 0 ? ` ${Math.round((p.loaded / p.total) * 100)}%` : ''}
    </span>
  );
}
