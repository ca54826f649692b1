/** Small shared pieces: progress bar, error box, kind badge, short commit ids. */
import type { ProgressEvent } from '../../shared/api/contract';
import { KIND_LABEL, type ChangeKind } from '../../shared/lockfile/diff';
import { Icon } from './icons';

/** A long operation's progress: phase, objects (loaded / total) and percent, with an optional Cancel. */
export function ProgressBar({ p, onCancel, cancelling }: { p: ProgressEvent; onCancel?: () => void; cancelling?: boolean }) {
  const objects = p.total > 0 ? `${p.loaded.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')}` : p.loaded ? p.loaded.toLocaleString('en-US') : '';
  return (
    <div className="progress" data-testid="progress" role="status" aria-live="polite">
      <div className="progress-head">
        <span className="progress-phase" data-testid="progress-phase">
          {p.phase}
        </span>
        <span className="progress-percent mono" data-testid="progress-percent">
          {p.percent !== null ? `${p.percent}%` : ''}
        </span>
      </div>
      <div
        className="bar"
        role="progressbar"
        aria-label={p.phase}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={p.percent ?? undefined}
      >
        <div className={p.percent === null ? 'fill indeterminate' : 'fill'} style={p.percent === null ? undefined : { width: `${p.percent}%` }} />
      </div>
      <div className="progress-foot">
        <span className="progress-objects mono" data-testid="progress-objects">
          {objects}
        </span>
        {onCancel && (
          <button type="button" className="small-btn" onClick={onCancel} disabled={cancelling} data-testid="cancel">
            {cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
      </div>
    </div>
  );
}

export function ErrorBox({ message, testid = 'error' }: { message: string | null; testid?: string }) {
  if (!message) return null;
  return (
    <div className="error" role="alert" data-testid={testid}>
      <Icon name="alert" className="error-icon" />
      <span className="error-message">{message}</span>
    </div>
  );
}


const KIND_GLYPH: Record<ChangeKind, string> = {
  upgraded: '↑',
  downgraded: '↓',
  added: '+',
  removed: '−',
  arch_changed: '⇄',
};

/** A change kind as a badge: a glyph and the word, never color alone. */
export function KindBadge({ kind }: { kind: ChangeKind }) {
  return (
    <span className={`badge kind kind-${kind}`}>
      <span className="glyph" aria-hidden="true">
        {KIND_GLYPH[kind]}
      </span>
      {KIND_LABEL[kind]}
    </span>
  );
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
