/** Small shared pieces: progress bar, error box, kind badge, short commit ids. */
import type { ProgressEvent } from '../../shared/api/contract';
import { KIND_LABEL, type ChangeKind } from '../../shared/lockfile/diff';

export function ProgressBar({ p, onCancel }: { p: ProgressEvent; onCancel?: () => void }) {
  return (
    <div className="progress" data-testid="progress" role="status" aria-live="polite">
      <div className="progress-head">
        <span data-testid="progress-phase">{p.phase}</span>
        <span className="muted">
          {p.total > 0 ? `${p.loaded.toLocaleString()} / ${p.total.toLocaleString()} objects` : p.loaded ? `${p.loaded.toLocaleString()} objects` : ''}
          {p.percent !== null ? ` · ${p.percent}%` : ''}
        </span>
        {onCancel && (
          <button type="button" className="link" onClick={onCancel} data-testid="cancel">
            Cancel
          </button>
        )}
      </div>
      <div className="bar">
        <div className={p.percent === null ? 'fill indeterminate' : 'fill'} style={p.percent === null ? undefined : { width: `${p.percent}%` }} />
      </div>
    </div>
  );
}

export function ErrorBox({ message, testid = 'error' }: { message: string | null; testid?: string }) {
  if (!message) return null;
  return (
    <div className="error" role="alert" data-testid={testid}>
      {message}
    </div>
  );
}


export function KindBadge({ kind }: { kind: ChangeKind }) {
  return <span className={`badge kind-${kind}`}>{KIND_LABEL[kind]}</span>;
}

export const kindLabel = (k: ChangeKind) => KIND_LABEL[k];

export function Sha({ oid }: { oid: string }) {
  return (
    <code className="sha" title={oid}>
      {oid.slice(0, 12)}
    </code>
  );
}

export const shortDate = (iso: string) => iso.slice(0, 10);

/** A unified diff, line by line, with added and removed lines marked. */
export function UnifiedDiff({ text, testid }: { text: string; testid?: string }) {
  return (
    <pre className="unified" data-testid={testid}>
      {text.split('\n').map((l, i) => (
        <span key={i} className={l.startsWith('+') && !l.startsWith('+++') ? 'add' : l.startsWith('-') && !l.startsWith('---') ? 'del' : l.startsWith('@@') ? 'hunk' : ''}>
          {l || ' '}
        </span>
      ))}
    </pre>
  );
}
