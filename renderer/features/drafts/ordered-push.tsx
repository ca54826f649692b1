/**
 * An ordered push of drafts made together (one update on several streams): each is pushed only
 * once the previous one's checks passed (build order); a red check stops the rest, each draft
 * showing its own reason. The order is the list's, top to bottom.
 */
import { useState } from 'react';
import type { DraftView } from '../../../shared/api/types';
import { compareStreamNames } from '../../../shared/streams';
import { useStore } from '../../store';
import { DraftStateCell } from './draft-state';
import type { DeepReadonly } from '../../../shared/readonly';
import { draftsSelectors } from '../../store/selectors/drafts';

/** Groups of two drafts or more made together (same sources and type) that can all be pushed now, each in stream order (build order). */
export function pushableGroups(drafts: DeepReadonly<DraftView[]>): DeepReadonly<DraftView>[][] {
  const groups = new Map<string, DeepReadonly<DraftView>[]>();
  for (const d of drafts) {
    if (!d.srpms.length) continue;
    const key = `${d.type}\n${d.srpms.join(' ')}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(d);
  }
  return [...groups.values()].filter((g) => g.length > 1 && g.every((d) => d.allowed.includes('push'))).map((g) => [...g].sort((a, b) => compareStreamNames(a.stream, b.stream)));
}

export function OrderedPush({ branches }: { branches: string[] }) {
  const drafts = useStore(draftsSelectors.drafts);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const rows = branches.map((b) => drafts?.find((d) => d.branch === b) ?? null);
  const canPush = rows.every((d) => d?.allowed.includes('push'));
  const started = rows.some((d) => d && d.state.kind !== 'draft');
  return (
    <div className="ordered-push" data-testid="ordered-push">
      <ol>
        {branches.map((b, i) => (
          <li key={b} data-testid="ordered-row" data-branch={b}>
            <a className="mono" href={`#/draft-info?branch=${encodeURIComponent(b)}`}>
              {b}
            </a>{' '}
            {rows[i] && <DraftStateCell d={rows[i]!} testid="ordered-state" />}
          </li>
        ))}
      </ol>
      {canPush && (
        <button
          type="button"
          className="primary"
          disabled={busy}
          data-testid="push-in-order"
          onClick={async () => {
            setBusy(true);
            setMessage(await useStore.getState().pushInOrder(branches));
            setBusy(false);
          }}
        >
          Push {branches.length} in order
        </button>
      )}{' '}
      {canPush && !started && <span className="muted">Each is pushed once the previous one's checks pass; a red check stops the rest.</span>}
      {message && (
        <div className="error" role="alert" data-testid="ordered-error">
          {message}
        </div>
      )}
    </div>
  );
}
