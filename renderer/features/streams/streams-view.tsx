/** The streams overview: head, date, packages per arch, overrides, and how far each stream is behind its promotion source. */
import { SecurityCount } from '../advisories/advisories-view';
import { LOCK_ARCHES } from '../../../shared/rpm/arches';
import { useEffect, useState } from 'react';
import type { StreamSummary } from '../../../shared/api/types';
import { ErrorBox } from '../../components/common';
import { EmptyState, Skeleton } from '../../components/empty-state';
import { Icon } from '../../components/icons';
import { CommitDate } from '../../components/version';
import { useStore } from '../../store';
import { isReleaseStream } from '../../../shared/streams';
import { promotionSelectors } from '../../store/selectors/promotion';
import { repoSelectors } from '../../store/selectors/repo';
import { settingsSelectors } from '../../store/selectors/settings';
import { streamsSelectors } from '../../store/selectors/streams';
import { uiSelectors } from '../../store/selectors/ui';
import { usePick } from '../../store/use-pick';

const ARCHES: readonly string[] = LOCK_ARCHES;

/** Quick comparisons offered above the table, when both streams exist. */
const QUICK_DIFFS: [string, string][] = [
  ['stable', 'testing-devel'],
  ['testing', 'testing-devel'],
  ['stable', 'testing'],
  ['next', 'next-devel'],
];

/**
 * What clicking a stream compares: the stream against its promotion source (what the next
 * promotion brings), or, with no source, the stream's last lockfile change (the head against
 * the commit before its newest lockfile or overrides change: `name~1` is often a commit that
 * touched other files, an empty diff).
 */
export function streamDiffParams(s: StreamSummary, names: Set<string>): { from: string; to: string; label: string } {
  if (s.source && names.has(s.source)) return { from: s.name, to: s.source, label: `${s.name} → ${s.source}` };
  if (s.lastLockChange) return { from: s.lastLockChange, to: s.name, label: `${s.name}: last lockfile change` };
  return { from: `${s.name}~1`, to: s.name, label: `${s.name}~1 → ${s.name}` };
}

function Behind({ s }: { s: StreamSummary }) {
  if (s.source === null) return <span className="muted">—</span>;
  if (s.behind === null) {
    return (
      <span className="pill pill-muted" title={`No commit of ${s.source} has exactly this stream's lock files (same blob ids), so the lag cannot be told.`}>
        unknown
      </span>
    );
  }
  if (s.behind === 0) return <span className="pill pill-ok">up to date</span>;
  return (
    <span className="pill pill-warn" title={`${s.source} has ${s.behind} first-parent ${s.behind === 1 ? 'commit' : 'commits'} since its newest commit with this stream's lock files`}>
      {s.behind} behind {s.source}
    </span>
  );
}

/** Drafts the promotion from the stream's source onto it, then opens the draft; a refusal shows above the table. */
export function DraftPromotionButton({ source, target, primary }: { source: string; target: string; primary?: boolean }) {
  const drafting = useStore(promotionSelectors.draftingTo(target));
  return (
    <button
      type="button"
      className={primary ? 'primary' : 'ghost small-btn promote-btn'}
      disabled={drafting}
      onClick={(e) => {
        e.stopPropagation();
        void useStore.getState().draftPromotion(source, target);
      }}
      title={`Draft the promotion of ${source} onto ${target} as release engineering makes it: ${source}'s tree, ${target}'s own manifest.yaml and STREAM=/DESCRIPTION=, snoozes disabled`}
      data-testid={`draft-promotion-${target}`}
    >
      {drafting ? 'Drafting…' : 'Draft promotion'}
    </button>
  );
}

/** Why the last "Draft promotion" made no draft (nothing to promote, a malformed build-args.conf…). */
export function PromotionRefusal() {
  const notice = useStore(promotionSelectors.promotionNotice);
  if (notice?.kind !== 'error') return null;
  return (
    <div className="notice-bar is-error" role="alert" data-testid="promotion-refused">
      <span>
        No promotion drafted onto {notice.target}: {notice.message}
      </span>
      <button type="button" className="ghost" onClick={() => useStore.getState().dismissPromotionNotice()}>
        Dismiss
      </button>
    </div>
  );
}

function Count({ n, title }: { n: number | undefined; title?: string }) {
  if (n === undefined) return <span className="muted" title={title ?? 'no lockfile for this arch'}>—</span>;
  return <span className={n === 0 ? 'muted' : undefined}>{n.toLocaleString('en-US')}</span>;
}


/** Columns of the streams table, for the group rows that span it. */
const COLUMNS = 4 + ARCHES.length + 3 + 2;

/** One stream: click for what its next promotion brings; hide it from the streams (Settings shows it again). */
function StreamRow({ s, names }: { s: StreamSummary; names: Set<string> }) {
  const { repo, navigate } = usePick({ repo: repoSelectors.repo, navigate: uiSelectors.navigate });
  const target = streamDiffParams(s, names);
  const open = () => navigate('diff', { from: target.from, to: target.to });
  const local = !s.ref.startsWith('refs/remotes/');
  const noLock = ARCHES.every((a) => s.arches[a] === undefined) && Object.keys(s.arches).length === 0;
  return (
    <tr key={s.name} className="clickable" data-testid="stream-row" data-stream={s.name} onClick={open}>
      <td className="stream-name">
        <strong>{s.name}</strong>
        {local && !repo?.demo && (
          <span className="tag" title={`${s.ref}: no remote-tracking branch, the local branch is shown`}>
            local
          </span>
        )}
        {noLock && (
          <span className="tag" title="This branch holds only override files">
            overrides only
          </span>
        )}
      </td>
      <td>
        <code className="sha" title={`${s.head}\n${s.ref}\n${s.subject}`} data-testid="stream-head">
          {s.head.slice(0, 10)}
        </code>
      </td>
      <td className="date-cell">
        <CommitDate iso={s.date} />
      </td>
      <td className="subject" title={s.subject}>
        {s.subject}
      </td>
      {ARCHES.map((a) => (
        <td key={a} className="num" data-testid={`packages-${a}`}>
          <Count n={s.arches[a]} />
        </td>
      ))}
      <td className="num" data-testid="pins">
        <Count n={s.overrides.pin} />
      </td>
      <td className="num" data-testid="fast-tracks">
        <Count n={s.overrides['fast-track']} />
      </td>
      <td className="num">
        <Count n={s.overrides.other} />
      </td>
      <td className="promotion-cell">
        {/* The lag alone under its test id: the security count and the button beside it are not part of the figure. */}
        <span data-testid="behind">
          <Behind s={s} />
        </span>{' '}
        <SecurityCount stream={s.name} />
        {s.source && names.has(s.source) && s.behind !== 0 && <DraftPromotionButton source={s.source} target={s.name} />}
      </td>
      <td className="actions">
        <button
          type="button"
          className="ghost"
          onClick={(e) => {
            e.stopPropagation();
            open();
          }}
          title={`Diff ${target.label}`}
          data-testid={`stream-diff-${s.name}`}
        >
          Diff <Icon name="chevronRight" size={14} />
        </button>
        <button
          type="button"
          className="ghost"
          onClick={(e) => {
            e.stopPropagation();
            void useStore.getState().setStreamHidden(s.name, true);
          }}
          title={`Hide ${s.name} from the streams (Settings, or the line below the table, shows it again)`}
          aria-label={`Hide ${s.name}`}
          data-testid={`hide-${s.name}`}
        >
          Hide
        </button>
      </td>
    </tr>
  );
}

export function StreamsView() {
  const { streams, error, loading, repo, navigate, settings } = usePick({
    streams: streamsSelectors.streams,
    error: streamsSelectors.streamsError,
    loading: streamsSelectors.streamsLoading,
    repo: repoSelectors.repo,
    navigate: uiSelectors.navigate,
    settings: settingsSelectors.settings,
  });
  const hidden = settings?.streams.hide ?? [];
  const [showOthers, setShowOthers] = useState(false);

  useEffect(() => {
    const s = useStore.getState();
    if (!s.settings) void s.loadSettings();
    if (!s.streams && !s.streamsLoading) void s.loadStreams();
    // The security counts come from the advisories' cache: no network on this screen.
    if (!s.advisories && !s.advisoriesBusy) void s.loadAdvisories(true);
  }, []);

  if (error) {
    return (
      <section className="page">
        <h1>Streams</h1>
        <ErrorBox message={error} testid="streams-error" />
        <button type="button" onClick={() => void useStore.getState().loadStreams()} data-testid="streams-retry">
          Try again
        </button>
      </section>
    );
  }
  if (!streams) return <section className="page"><Skeleton label="Reading streams…" lines={7} /></section>;

  const names = new Set(streams.map((s) => s.name));
  // The promotion chain first; long-lived branches (rhcos-*, …) in their own group, natural order from the back end.
  const release = streams.filter((s) => isReleaseStream(s.name));
  const others = streams.filter((s) => !isReleaseStream(s.name));
  const quick = QUICK_DIFFS.filter(([a, b]) => names.has(a) && names.has(b));
  const upstream = streams.find((s) => s.ref.startsWith('refs/remotes/'))?.ref.split('/')[2];

  return (
    <section className="page streams" aria-busy={loading}>
      <div className="page-head">
        <div>
          <h1>Streams</h1>
          <p className="subtitle">
            {streams.length} {streams.length === 1 ? 'stream' : 'streams'}
            {upstream ? (
              <>
                {' '}
                · heads of <span className="mono">{upstream}/*</span>, as published
              </>
            ) : repo?.demo ? (
              ' · demo repo'
            ) : (
              ' · local branches'
            )}{' '}
            · click a stream to see what its next promotion brings
          </p>
        </div>
        {quick.length > 0 && (
          <div className="quick" role="group" aria-label="Quick diffs">
            {quick.map(([a, b], i) => (
              <button
                key={`${a}-${b}`}
                type="button"
                className={i === 0 ? 'primary' : undefined}
                onClick={() => navigate('diff', { from: a, to: b })}
                data-testid={i === 0 ? 'quick-diff' : `quick-diff-${a}-${b}`}
                title={`Compare the effective locks of ${a} and ${b}`}
              >
                Diff {a} → {b}
              </button>
            ))}
          </div>
        )}
      </div>
      <PromotionRefusal />
      {streams.length === 0 ? (
        <EmptyState icon="stream" title="No streams" testid="streams-empty">
          No branch of this repo holds a manifest-lock file.
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="grid streams-table" data-testid="streams-table">
            <thead>
              <tr className="group-head">
                {/* The subject's own cell: it is left out in a narrow window, and the heads above stay over their columns. */}
                <th colSpan={3} />
                <th className="subject-col" />
                <th colSpan={ARCHES.length} className="span-head">
                  Packages per arch
                </th>
                <th colSpan={3} className="span-head">
                  Overrides
                </th>
                <th colSpan={2} />
              </tr>
              <tr>
                <th scope="col">Stream</th>
                <th scope="col">Head</th>
                <th scope="col">Date</th>
                <th scope="col" className="subject-col">
                  Subject
                </th>
                {ARCHES.map((a) => (
                  <th key={a} scope="col" className="num mono-head">
                    {a}
                  </th>
                ))}
                <th scope="col" className="num">
                  Pins
                </th>
                <th scope="col" className="num">
                  Fast-tracks
                </th>
                <th scope="col" className="num">
                  Other
                </th>
                <th scope="col">Promotion</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {release.map((s) => (
                <StreamRow key={s.name} s={s} names={names} />
              ))}
            </tbody>
            {others.length > 0 && (
              <tbody data-testid="other-streams">
                <tr className="others-row">
                  <th colSpan={COLUMNS} scope="rowgroup">
                    <button type="button" className="link" aria-expanded={showOthers} onClick={() => setShowOthers(!showOthers)} data-testid="toggle-other-streams">
                      <Icon name={showOthers ? 'chevronDown' : 'chevronRight'} size={14} /> Other branches with lockfiles ({others.length})
                    </button>
                  </th>
                </tr>
                {showOthers &&
                  others.map((s) => (
                    <StreamRow key={s.name} s={s} names={names} />
                  ))}
              </tbody>
            )}
          </table>
        </div>
      )}
      {hidden.length > 0 && (
        <p className="footnote" data-testid="hidden-note">
          Hidden:{' '}
          {hidden.map((n) => (
            <button key={n} type="button" className="link" onClick={() => void useStore.getState().setStreamHidden(n, false)} title={`Show ${n} again`} data-testid={`show-${n}`}>
              {n}
            </button>
          ))}
        </p>
      )}
      <p className="footnote">
        Package counts are the arch's lockfile; overrides count every override file of the stream. "Behind" counts first-parent commits on the promotion source since its newest
        commit whose lockfiles and override files are identical to the stream head's.
      </p>
    </section>
  );
}
