/**
 * A promotion's other changes: the files other than lockfiles and overrides that differ
 * between the two refs (denylist, manifests, image config...), each with its line diff.
 */
import { useEffect } from 'react';
import type { OtherFileChange } from '../../../shared/api/types';
import type { DeepReadonly } from '../../../shared/readonly';
import { ErrorBox } from '../../components/common';
import { EmptyState, Skeleton } from '../../components/empty-state';
import { useStore } from '../../store';
import { DiffLayoutSwitch, LineDiff } from './line-diff-view';
import { usePick } from '../../store/use-pick';
import { diffSelectors } from '../../store/selectors/diff';
import { repoSelectors } from '../../store/selectors/repo';

/** Loads the other files for `from`/`to` once per pair and per repo data version. */
export function useOtherFiles(from: string, to: string) {
  const { result, query, error, dataVersion } = usePick({
    result: diffSelectors.otherFiles,
    query: diffSelectors.otherFilesQuery,
    error: diffSelectors.otherFilesError,
    dataVersion: repoSelectors.dataVersion,
  });
  useEffect(() => {
    if (from && to) void useStore.getState().loadOtherFiles(from, to);
  }, [from, to, dataVersion]);
  const current = query?.from === from && query?.to === to;
  return { result: current ? result : null, error: current ? error : null };
}

export function FileDiff({ f, open }: { f: DeepReadonly<OtherFileChange>; open: boolean }) {
  return (
    <details className="other-file" open={open} data-testid="other-file" data-path={f.path}>
      <summary>
        <span className={`badge file-${f.status}`}>{f.status}</span>
        <span className="mono other-path">{f.path}</span>
        {!f.binary && (
          <span className="other-counts mono">
            <span className="plus">+{f.added}</span> <span className="minus">−{f.removed}</span>
          </span>
        )}
      </summary>
      {f.binary ? (
        <p className="muted small">Binary or very large: no line diff.</p>
      ) : (
        <div className="file-diff">
          <LineDiff diff={f.diff} testid="other-file-diff" />
          {f.truncated && <p className="muted small">… cut here; the whole diff is in git.</p>}
        </div>
      )}
    </details>
  );
}

/** Every other file that differs, a few opened at once; the list scrolls in the space of the package list. */
export function OtherFilesPanel({ from, to, result, error, caption }: { from: string; to: string; result: ReturnType<typeof useOtherFiles>['result']; error: string | null; caption?: string }) {
  if (error) return <ErrorBox message={error} testid="other-files-error" />;
  if (!result) return <Skeleton label={`Comparing the other files of ${from} → ${to}…`} lines={6} />;
  if (!result.files.length) {
    return (
      <EmptyState icon="check" title="No other files differ" testid="no-other-files">
        Only lockfiles and override files differ between {from} and {to}.
      </EmptyState>
    );
  }
  return (
    <div className="other-files" data-testid="other-files">
      <div className="other-files-head">
        <span className="muted small">{caption ?? `${result.files.length + result.more} ${result.files.length + result.more === 1 ? 'file differs' : 'files differ'} besides the lockfiles and overrides`}</span>
        <DiffLayoutSwitch />
      </div>
      {result.files.map((f, i) => (
        <FileDiff key={f.path} f={f} open={i < 3} />
      ))}
      {result.more > 0 && <p className="muted small">{result.more} more files differ; compare the two refs with git for the rest.</p>}
    </div>
  );
}
