/** "Reached": for a chosen version, when each charted stream first carried it or newer (shared/history/reached.ts). */
import { useEffect, useMemo, useState } from 'react';
import type { HistoryResult } from '../../shared/api/types';
import { parseReachedVersion, reachedLine, type ReachedOn } from '../../shared/history/reached';
import type { DeepReadonly } from '../../shared/readonly';
import { ErrorBox, Sha, shortDate } from '../components/common';
import { routeHash } from '../store';

export function ReachedLine({
  lanes,
  binary,
  version,
  onAsk,
}: {
  lanes: DeepReadonly<HistoryResult['lanes']>;
  binary: string;
  version: string | null;
  onAsk: (version: string | null) => void;
}) {
  const [input, setInput] = useState(version ?? '');
  useEffect(() => setInput(version ?? ''), [version]);
  const answer = useMemo((): { line: ReachedOn[] } | { error: string } | null => {
    if (!version) return null;
    try {
      return { line: reachedLine(lanes, binary, parseReachedVersion(version)) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [lanes, binary, version]);
  const reached = answer && 'line' in answer ? answer.line.filter((r) => r.reached) : [];
  const notYet = answer && 'line' in answer ? answer.line.filter((r) => !r.reached) : [];

  return (
    <>
      <form
        className="reached-form"
        onSubmit={(e) => {
          e.preventDefault();
          onAsk(input.trim() || null);
        }}
      >
        <label className="inline">
          When did {binary} reach
          <input value={input} onChange={(e) => setInput(e.target.value)} placeholder="6.10 or 6.10.3-200.fc40" spellCheck={false} data-testid="reached-input" />
        </label>
        <button type="submit" data-testid="reached-show">
          Show
        </button>
      </form>
      {answer && 'error' in answer && <ErrorBox message={answer.error ?? null} testid="reached-error" />}
      {answer && 'line' in answer && (
        <p className="reached-line" data-testid="reached-line" aria-live="polite">
          <span className="mono">{version}</span>{' '}
          {reached.length === 0 && 'has not reached any charted stream'}
          {reached.map((r, i) =>
            r.reached ? (
              <span key={r.stream} data-testid={`reached-${r.stream}`}>
                {i === 0 ? 'reached ' : ', '}
                <strong>{r.stream}</strong> on {shortDate(r.date)} (
                <a href={routeHash('diff', { from: `${r.commit}^`, to: r.commit })} title={`${r.commit} against its parent; ${r.evr}`}>
                  <Sha oid={r.commit} />
                </a>
                , <span className="mono">{r.evr}</span>)
              </span>
            ) : null,
          )}
          {notYet.length > 0 && (
            <span data-testid="reached-not-yet">
              {reached.length > 0 ? '; ' : ' — '}not yet on{' '}
              {notYet.map((r, i) => (
                <span key={r.stream} data-testid={`reached-${r.stream}`}>
                  {i > 0 && ', '}
                  <strong>{r.stream}</strong>
                  {!r.reached && <span className="muted"> (now {r.current ?? 'absent'})</span>}
                </span>
              ))}
            </span>
          )}
        </p>
      )}
    </>
  );
}
