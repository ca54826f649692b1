/**
 * A draft's state and what can be done with it, both read from the lifecycle table
 * (shared/drafts/lifecycle.ts): the buttons are exactly the operations it allows now.
 */
import { useState, type ReactNode } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { describeState, LIFECYCLE, type DraftState } from '../../../shared/drafts/lifecycle';
import type { DraftView } from '../../../shared/api/types';
import { useStore } from '../../store';
import type { DeepReadonly } from '../../../shared/readonly';
import { draftsSelectors } from '../../store/selectors/drafts';

interface MissingAsk {
  nevras: string[];
  answer: (yes: boolean) => void;
}

/**
 * Pushes after checking the build pool: a missing NEVRA would fail the compose after a long CI
 * run, so the user confirms first, in a dialog (axe and the keyboard reach it; a native confirm
 * they do not). An unreachable pool ("unknown") does not stop a push. Render `dialog`.
 */
export function usePushChecked(): { push: (d: DeepReadonly<DraftView>, onMessage: (m: string | null) => void, remoteBranch?: string) => Promise<void>; dialog: ReactNode } {
  const [asking, setAsking] = useState<MissingAsk | null>(null);
  const push = async (d: DeepReadonly<DraftView>, onMessage: (m: string | null) => void, remoteBranch?: string) => {
    const s = useStore.getState();
    const a = await s.checkAvailability(d.branch);
    const missing = a.status === 'checked' ? a.result.rows.filter((r) => r.status === 'missing') : [];
    if (missing.length) {
      const yes = await new Promise<boolean>((answer) => setAsking({ nevras: missing.map((r) => r.nevra), answer }));
      setAsking(null);
      if (!yes) {
        onMessage('Push cancelled: some packages are missing from the build pool.');
        return;
      }
    }
    onMessage(await s.pushDraft(d.branch, remoteBranch));
  };
  const n = asking?.nevras.length ?? 0;
  const dialog = asking && (
    <ConfirmDialog title={`${n} package${n > 1 ? 's' : ''} missing from the build pool`} confirmLabel="Push anyway" danger testid="missing-dialog" onAnswer={(yes) => asking.answer(yes)}>
      <p>
        This draft writes {n > 1 ? 'packages' : 'a package'} the build pool does not hold, so a compose with it would fail:
      </p>
      <ul className="mono small" data-testid="missing-dialog-nevras">
        {asking.nevras.slice(0, 5).map((nevra) => (
          <li key={nevra}>{nevra}</li>
        ))}
        {n > 5 && <li>…</li>}
      </ul>
    </ConfirmDialog>
  );
  return { push, dialog };
}

/** A created pull/merge request's page, rather than the forge's page that opens a new one. */
export const isPullRequest = (url: string): boolean => /\/(pull|merge_requests|pull-requests)\/\d+\/?$/.test(url);

const tone = (s: DraftState) => (s.kind === 'failed' || s.kind === 'error' ? 'error-text' : s.kind === 'passed' ? 'ok' : s.kind === 'cancelled' && s.reason ? 'warning-text' : '');

/** `queued · retry at 12:03:10: <why>`; other states as the table says. */
function label(s: DraftState): { text: string; title?: string } {
  if (s.kind === 'queued' && s.retryAt) {
    const why = s.reason ? `: ${s.reason.length > 120 ? `${s.reason.slice(0, 120)}…` : s.reason}` : '';
    return { text: `queued · retry at ${new Date(s.retryAt).toLocaleTimeString()}${why}`, title: s.reason };
  }
  if (s.kind === 'error') return { text: `error: ${s.message.length > 140 ? `${s.message.slice(0, 140)}…` : s.message}`, title: s.message };
  return { text: describeState(s) };
}

/** The state, with the stale and needs-push facts beside it. */
export function DraftStateCell({ d, testid }: { d: DeepReadonly<DraftView>; testid: string }) {
  const l = d.edited
    ? { text: 'edited by hand', title: `Its branch holds ${d.head.slice(0, 12)}, not ${d.written.slice(0, 12)} that Lockstep wrote: adopt that commit as the draft, or discard it. It is never pushed until then.` }
    : label(d.state);
  return (
    <span className={d.edited ? 'warning-text' : tone(d.state)} data-testid={testid} data-state={d.edited ? 'edited' : d.state.kind} title={l.title ?? (d.push ? `${d.push.remote}/${d.push.remoteBranch}` : undefined)}>
      {l.text}
      {d.stale && (
        <span className="badge stale" title={`${d.stream} moved to ${d.streamHead?.slice(0, 12)} since this draft was based`} data-testid="stale">
          stale
        </span>
      )}
      {d.conflictsWith.length > 0 && (
        <span className="badge warn" title={`Another draft of ${d.stream} touches the same package: ${d.conflictsWith.join(', ')}. Merging both would fight over it.`} data-testid="conflicts-with">
          conflicts with {d.conflictsWith.join(', ')}
        </span>
      )}
      {d.needsPush && (
        <span className="badge" title={`rebased since it was pushed to ${d.push?.remote}/${d.push?.remoteBranch}; push again to update the pull request`} data-testid="needs-push">
          needs push
        </span>
      )}
    </span>
  );
}

/** The draft's actions; each reports its outcome through `onMessage`. */
export function DraftActions({ d, onMessage, compact }: { d: DeepReadonly<DraftView>; onMessage: (m: string | null) => void; compact?: boolean }) {
  const s = useStore.getState;
  const cls = compact ? 'link' : undefined;
  const can = (op: DraftView['allowed'][number]) => d.allowed.includes(op);
  const conflicted = useStore(draftsSelectors.isConflicted(d.branch));
  const [discarding, setDiscarding] = useState(false);
  const checked = usePushChecked();
  return (
    <>
      {checked.dialog}
      {can('adopt') && (
        <button type="button" className={compact ? 'link' : 'primary'} onClick={() => void s().adoptDraft(d.branch).then(onMessage)} data-testid="adopt">
          Adopt the edited commit
        </button>
      )}{' '}
      {can('rebase') && !conflicted && (
        <button type="button" className={compact ? 'link' : 'primary'} onClick={() => void s().rebaseDraft(d.branch).then(onMessage)} data-testid="rebase">
          Rebase on {compact ? 'head' : d.stream}
        </button>
      )}{' '}
      {can('rebase') && conflicted && (
        <button type="button" className={compact ? 'link' : 'primary'} onClick={() => void s().rebaseDraft(d.branch, true).then(onMessage)} data-testid="redraft">
          Redraft on the new head
        </button>
      )}{' '}
      {d.promotion && d.sourceMoved && !LIFECYCLE[d.state.kind].inQueue && (
        <button
          type="button"
          className={cls}
          onClick={() => void s().rebaseDraft(d.branch, false, d.promotion!.source).then(onMessage)}
          title={`${d.promotion.source} moved past ${d.promotion.commit.slice(0, 12)}: make the promotion again from its head`}
          data-testid="repromote"
        >
          Promote {d.promotion.source}'s new head
        </button>
      )}{' '}
      {can('push') && (
        <button type="button" className={compact ? 'link' : 'primary'} onClick={() => void checked.push(d, onMessage)} data-testid="push">
          {d.needsPush ? 'Push again' : 'Push for CI'}
        </button>
      )}{' '}
      {d.state.kind === 'queued' && d.state.retryAt && (
        <button type="button" className={cls} onClick={() => void s().retryPushes().then(onMessage)} data-testid="retry-now">
          Retry now
        </button>
      )}{' '}
      {can('cancel') && (
        <button type="button" className={cls} onClick={() => void s().cancelPush(d.branch).then(onMessage)} data-testid="cancel-push">
          Cancel push
        </button>
      )}{' '}
      {d.push?.prUrl && (
        <a href={d.push.prUrl} target="_blank" rel="noreferrer noopener" data-testid="pr-link">
          {isPullRequest(d.push.prUrl) ? 'Open PR' : 'Open one on the forge'}
        </a>
      )}{' '}
      <button type="button" className={compact ? 'link danger' : 'danger'} data-testid="discard" onClick={() => setDiscarding(true)}>
        Discard
      </button>
      {discarding && (
        <ConfirmDialog
          title={`Discard ${d.branch}?`}
          confirmLabel="Discard"
          danger
          testid="discard-dialog"
          // Only a pushed draft has a remote branch; it is deleted only while it holds the commit pushed there.
          option={d.push ? { testid: 'discard-delete-remote', label: <>Also delete the remote branch {d.push.remote}/{d.push.remoteBranch} (its pull request closes)</> } : undefined}
          onAnswer={(yes, deleteRemote) => {
            setDiscarding(false);
            if (yes) void s().discardDraft(d.branch, deleteRemote).then(() => onMessage(null));
          }}
        >
          The local branch and its record go.{d.state.kind === 'queued' || d.state.kind === 'pushing' ? ' Its push is cancelled.' : ''}
          {d.push ? ' The remote branch is deleted only while it holds the commit Lockstep pushed there.' : ''}
        </ConfirmDialog>
      )}
    </>
  );
}
