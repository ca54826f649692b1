/**
 * The promotion view's own parts, shown when the diff compares a stream with its promotion
 * source: what the promotion would be (subject, "Draft promotion", drafts already made), the
 * drafts still open on the source (not in it), and the "Kept per stream" tab: the three rules
 * of release engineering's promotion, each explained, with what it changes.
 */
import { useEffect } from 'react';
import { PROMOTION_SOURCE } from '../../../shared/streams';
import { own } from '../../../shared/records';
import { ErrorBox } from '../../components/common';
import { Skeleton } from '../../components/empty-state';
import { useStore } from '../../store';
import { draftsSelectors } from '../../store/selectors/drafts';
import { promotionSelectors } from '../../store/selectors/promotion';
import { repoSelectors } from '../../store/selectors/repo';
import { usePick } from '../../store/use-pick';
import { DraftPromotionButton, PromotionRefusal } from '../streams/streams-view';
import { DiffLayoutSwitch, LineDiff } from './line-diff-view';

/** `{source, target}` when `from → to` is a stream's next promotion (stable → testing), else null. */
export function promotionPair(from: string, to: string, streams: readonly string[] | undefined): { source: string; target: string } | null {
  if (!streams?.includes(from) || !streams.includes(to)) return null;
  return own(PROMOTION_SOURCE, from) === to ? { source: to, target: from } : null;
}

/** Loads the promotion view of the pair once per pair and per repo data version. */
export function usePromotion(pair: { source: string; target: string } | null) {
  const { view, query, error, dataVersion, drafts } = usePick({
    view: promotionSelectors.promotion,
    query: promotionSelectors.promotionQuery,
    error: promotionSelectors.promotionError,
    dataVersion: repoSelectors.dataVersion,
    drafts: draftsSelectors.drafts,
  });
  useEffect(() => {
    if (pair) void useStore.getState().loadPromotion(pair.source, pair.target);
  }, [pair?.source, pair?.target, dataVersion, drafts]);
  const current = !!pair && query?.source === pair.source && query?.target === pair.target;
  return { view: current ? view : null, error: current ? error : null };
}

/** The head of the promotion view: the promotion as a draft, and what it leaves behind. */
export function PromotionHead({ pair, promotion }: { pair: { source: string; target: string }; promotion: ReturnType<typeof usePromotion> }) {
  const { view, error } = promotion;
  return (
    <section className="promotion-head" aria-label={`Promotion ${pair.source} → ${pair.target}`} data-testid="promotion-head">
      <div className="promotion-line">
        <div className="promotion-what">
          <strong>
            Promotion {pair.source} → {pair.target}
          </strong>
          {view && !view.error && (
            <span className="mono small promotion-subject" title="The commit subject and PR title the promotion-diff check reads" data-testid="promotion-subject">
              {view.subject}
            </span>
          )}
        </div>
        {view && !view.nothing && !view.error && <DraftPromotionButton source={pair.source} target={pair.target} primary />}
      </div>
      <PromotionRefusal />
      {error && <ErrorBox message={error} testid="promotion-error" />}
      {view?.error && <ErrorBox message={`No promotion can be made: ${view.error}`} testid="promotion-error" />}
      {view?.nothing && (
        <p className="muted small" data-testid="nothing-to-promote">
          Nothing to promote: {pair.target} already has {pair.source}'s tree with its own per-stream files.
        </p>
      )}
      {view && view.drafts.length > 0 && (
        <p className="small" data-testid="promotion-drafts">
          Drafted:{' '}
          {view.drafts.map((b) => (
            <a key={b} href={`#/draft-info?branch=${encodeURIComponent(b)}`} className="mono">
              {b}
            </a>
          ))}
        </p>
      )}
      {view && view.openDrafts.length > 0 && (
        <details className="open-drafts" data-testid="open-source-drafts">
          <summary>
            {view.openDrafts.length} {view.openDrafts.length === 1 ? 'draft is' : 'drafts are'} still open on {pair.source}: not in this promotion until merged there
          </summary>
          <ul>
            {view.openDrafts.map((d) => (
              <li key={d.branch}>
                <a href={`#/draft-info?branch=${encodeURIComponent(d.branch)}`} className="mono">
                  {d.branch}
                </a>{' '}
                <span className="muted">
                  {d.title} · {d.state}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** "Kept per stream": the three rules, each explained, with the diff of the source's file to the promoted one. */
export function KeptPanel({ promotion }: { promotion: ReturnType<typeof usePromotion> }) {
  const { view, error } = promotion;
  if (error) return <ErrorBox message={error} testid="kept-error" />;
  if (!view) return <Skeleton label="Reading the per-stream files…" lines={6} />;
  if (view.error) return <ErrorBox message={view.error} testid="kept-error" />;
  return (
    <div className="other-files" data-testid="kept-files">
      <div className="other-files-head">
        <span className="muted small">
          What {view.target} keeps of its own: these files differ from {view.source}'s in the promotion, as release engineering's script makes them.
        </span>
        <DiffLayoutSwitch />
      </div>
      {view.kept.map((k) => (
        <details key={k.file} className="other-file" open={k.applies} data-testid="kept-file" data-path={k.file}>
          <summary>
            <span className={`badge ${k.applies ? 'file-modified' : 'muted'}`}>{k.applies ? 'kept' : 'no change'}</span>
            <span className="mono other-path">{k.file}</span>
          </summary>
          <p className="kept-why small">{k.explanation}</p>
          {k.diff && (
            <div className="file-diff">
              <LineDiff diff={k.diff} testid="kept-diff" />
            </div>
          )}
        </details>
      ))}
    </div>
  );
}
