/** Graduated fast-tracks on every stream in one view, and one action drafting a removal per stream. */
import { isReleaseStream } from '../../../shared/streams';
import { useEffect, useState } from 'react';
import { graduationSourceNote, graduationTargets, type GraduationDraftResult, type GraduationRow, type StreamGraduation } from '../../../shared/graduation';
import { ErrorBox } from '../../components/common';
import { useStore } from '../../store';
import type { DeepReadonly } from '../../../shared/readonly';
import { graduationSelectors } from '../../store/selectors/graduation';
import { usePick } from '../../store/use-pick';

const graduatedOf = (g: DeepReadonly<StreamGraduation>) => g.rows.filter((r) => r.status === 'graduated');
/** Streams the drafting action would touch: graduated fast-tracks and no removal draft yet. */
const toDraft = (all: DeepReadonly<StreamGraduation[]>) => all.filter((g) => g.drafts.length === 0 && graduatedOf(g).length > 0);

export function GraduationView() {
  const { all, busy, error, drafted } = usePick({
    all: graduationSelectors.graduation,
    busy: graduationSelectors.graduationBusy,
    error: graduationSelectors.graduationError,
    drafted: graduationSelectors.graduationDrafted,
  });
  useEffect(() => {
    // Fresh on every visit (drafts or the repo may have changed). The cache answers at once and
    // never reaches the network; "Check repos" goes online.
    useStore.setState({ graduation: null, graduationDrafted: null });
    void useStore.getState().checkGraduation(true);
  }, []);
  // Release streams by default; others (old rhcos-4.x branches and the like) only when asked.
  const [withOthers, setWithOthers] = useState(false);
  const candidates = all ? toDraft(all) : [];
  const others = candidates.filter((g) => !isReleaseStream(g.stream));
  const pending = graduationTargets(candidates, withOthers);
  const withFastTracks = all?.filter((g) => g.rows.length > 0 || g.error) ?? [];
  const without = all?.filter((g) => g.rows.length === 0 && !g.error) ?? [];
  return (
    <section className="graduation-view" data-testid="graduation">
      <div className="section-head">
        <h1>Graduation</h1>
        <div className="row">
          <button type="button" onClick={() => void useStore.getState().checkGraduation(false)} disabled={busy !== null} data-testid="graduation-check">
            {busy === 'online' ? 'Checking repos…' : 'Check repos'}
          </button>
          <button type="button" onClick={() => void useStore.getState().checkGraduation(true)} disabled={busy !== null} data-testid="graduation-offline">
            Use the cache
          </button>
          <button type="button" className="primary" onClick={() => void useStore.getState().draftGraduations(pending.map((g) => g.stream))} disabled={busy !== null || pending.length === 0} data-testid="graduation-draft">
            {busy === 'drafting' ? 'Drafting…' : pending.length ? `Draft removals on ${pending.length} stream${pending.length > 1 ? 's' : ''}` : 'Nothing to draft'}
          </button>
          {others.length > 0 && (
            <label className="inline check" data-testid="graduation-others">
              <input type="checkbox" checked={withOthers} onChange={(e) => setWithOthers(e.target.checked)} /> Also {others.map((g) => g.stream).join(', ')}
            </label>
          )}
        </div>
      </div>
      <p className="muted small">
        A fast-track graduates once the distro&apos;s stable update repositories carry its version or newer; offline, only a base lockfile newer than the override tells. One removal
        draft per stream, titled as the bot titles it.
      </p>
      <ErrorBox message={error} testid="graduation-error" />
      {drafted && <DraftedNotice results={drafted} />}
      {!all ? (
        <div className="loading">Reading the streams&apos; fast-tracks…</div>
      ) : (
        <>
          {withFastTracks.map((g) => (
            <StreamCard key={g.stream} g={g} />
          ))}
          {without.length > 0 && (
            <p className="muted" data-testid="graduation-none">
              No fast-tracks on {without.map((g) => g.stream).join(', ')}.
            </p>
          )}
        </>
      )}
    </section>
  );
}

function StreamCard({ g }: { g: DeepReadonly<StreamGraduation> }) {
  const graduated = graduatedOf(g).length;
  return (
    <section className="card graduation-stream" data-testid="graduation-stream" data-stream={g.stream} aria-labelledby={`grad-${g.stream}`}>
      <div className="row between">
        <h2 id={`grad-${g.stream}`}>
          {g.stream}
          {g.release !== null && <span className="muted small"> · Fedora {g.release}</span>}
        </h2>
        <span className="muted small" data-testid="graduation-summary">
          {graduated} of {g.rows.length} fast-track{g.rows.length === 1 ? '' : 's'} graduated · {graduationSourceNote(g)}
        </span>
      </div>
      {g.error && <p className="error-text small">{g.error}</p>}
      {g.drafts.length > 0 && (
        <p className="small" data-testid="graduation-existing">
          Removal drafted:{' '}
          {g.drafts.map((b, i) => (
            <span key={b}>
              {i > 0 && ', '}
              <a href={`#/draft-info?branch=${encodeURIComponent(b)}`} className="mono">
                {b}
              </a>
            </span>
          ))}
        </p>
      )}
      {g.rows.length > 0 && (
        <table className="grid compact">
          <thead>
            <tr>
              <th>Package</th>
              <th>Fast-tracked</th>
              <th>Status</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {g.rows.map((r) => (
              <Row key={r.name} r={r} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Row({ r }: { r: GraduationRow }) {
  return (
    <tr data-testid="graduation-row" data-status={r.status}>
      <td>{r.name}</td>
      <td className="mono">{r.evr}</td>
      <td>
        <span className={`badge ${r.status === 'graduated' ? 'kind-upgraded' : r.status === 'unknown' ? '' : 'kind-downgraded'}`}>{r.status}</span>
      </td>
      <td className="muted small">{r.source === 'repo-metadata' ? `repos carry ${r.available ?? '—'}` : r.source === 'base-newer' ? `base lockfile has ${r.available}` : ''}</td>
    </tr>
  );
}

function DraftedNotice({ results }: { results: readonly GraduationDraftResult[] }) {
  const made = results.filter((r) => r.branch);
  return (
    <div className="notice" data-testid="graduation-drafted" role="status">
      <div>
        {made.length ? `Drafted ${made.length} removal${made.length > 1 ? 's' : ''}:` : 'No removal drafted.'}
        <ul>
          {results.map((r) => (
            <li key={r.stream}>
              <strong>{r.stream}</strong>:{' '}
              {r.branch ? (
                <>
                  {r.removed} override{r.removed > 1 ? 's' : ''} removed in{' '}
                  <a href={`#/draft-info?branch=${encodeURIComponent(r.branch)}`} className="mono">
                    {r.branch}
                  </a>
                </>
              ) : (
                <span className="muted">{r.skipped}</span>
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
