/**
 * A file's line diff, unified or side by side as the reader chooses. Every line is its own
 * block row and long lines wrap inside their column, so nothing runs off screen at any window
 * size (added and removed runs used to be inline blocks that sat side by side on one line).
 */
import { useMemo, useSyncExternalStore } from 'react';
import { diffRows, sideBySide, type DiffLine } from '../../../shared/text/diff-rows';
import './line-diff.css';

export type DiffLayout = 'unified' | 'split';

const KEY = 'lockstep-diff-layout';
const listeners = new Set<() => void>();

function readLayout(): DiffLayout {
  try {
    return localStorage.getItem(KEY) === 'split' ? 'split' : 'unified';
  } catch {
    return 'unified';
  }
}

/** The layout chosen last, shared by every diff on screen and kept across reloads. */
export function useDiffLayout(): [DiffLayout, (l: DiffLayout) => void] {
  const layout = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    readLayout,
  );
  const set = (l: DiffLayout) => {
    try {
      localStorage.setItem(KEY, l);
    } catch {
      // A storage that refuses (private mode) only loses the choice at the next reload.
    }
    listeners.forEach((f) => f());
  };
  return [layout, set];
}

/** The two-way switch above the diffs. */
export function DiffLayoutSwitch() {
  const [layout, setLayout] = useDiffLayout();
  return (
    <div className="segmented" role="radiogroup" aria-label="Line diff layout" data-testid="diff-layout">
      {(['unified', 'split'] as const).map((l) => (
        <button key={l} type="button" role="radio" aria-checked={layout === l} className={layout === l ? 'on' : undefined} onClick={() => setLayout(l)} data-testid={`diff-layout-${l}`}>
          {l === 'unified' ? 'Unified' : 'Side by side'}
        </button>
      ))}
    </div>
  );
}

const SIGN = { add: '+', remove: '-', context: ' ' } as const;
const LABEL = { add: 'added', remove: 'removed', context: 'unchanged' } as const;

function Cell({ line, side }: { line: DiffLine | null; side: 'old' | 'new' }) {
  if (!line) return <div className="ld-cell ld-empty" aria-hidden="true" />;
  const no = side === 'old' ? line.old : line.new;
  return (
    <div className={`ld-cell ld-${line.kind}`} data-testid="diff-line" data-kind={line.kind}>
      <span className="ld-no" aria-hidden="true">{no}</span>
      <span className="ld-sign" aria-hidden="true">{SIGN[line.kind]}</span>
      <span className="ld-text">
        {line.kind !== 'context' && <span className="sr-only">{LABEL[line.kind]}: </span>}
        {line.text || ' '}
      </span>
    </div>
  );
}

/** One file's unified diff text drawn in the chosen layout. */
export function LineDiff({ diff, testid }: { diff: string; testid?: string }) {
  const [layout] = useDiffLayout();
  const rows = useMemo(() => diffRows(diff), [diff]);
  const pairs = useMemo(() => (layout === 'split' ? sideBySide(rows) : null), [layout, rows]);
  return (
    <div className={`line-diff mono ld-${layout}`} data-testid={testid}>
      {pairs
        ? pairs.map((p, i) =>
            p.kind === 'hunk' ? (
              <div key={i} className="ld-hunk">{p.text}</div>
            ) : (
              <div key={i} className="ld-row">
                <Cell line={p.left} side="old" />
                <Cell line={p.right} side="new" />
              </div>
            ),
          )
        : rows.map((r, i) =>
            r.kind === 'hunk' ? (
              <div key={i} className="ld-hunk">{r.text}</div>
            ) : (
              <div key={i} className="ld-row">
                <span className="ld-no ld-old" aria-hidden="true">{r.old}</span>
                <Cell line={r} side="new" />
              </div>
            ),
          )}
    </div>
  );
}
