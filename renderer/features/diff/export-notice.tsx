/** The result of "Copy as Markdown": a toast, an error, or the text to copy by hand. */
import { useEffect, useRef } from 'react';
import { Icon } from '../../components/icons';
import { useStore } from '../../store';
import { diffSelectors } from '../../store/selectors/diff';
import { usePick } from '../../store/use-pick';

/** "Copied" confirmation, or the Markdown in a dialog to copy by hand when the clipboard is refused. */
export function ExportNoticeView() {
  const { notice, dismiss } = usePick({ notice: diffSelectors.exportNotice, dismiss: diffSelectors.dismissExportNotice });
  const areaRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (notice?.kind === 'copied') {
      const t = setTimeout(dismiss, 3000);
      return () => clearTimeout(t);
    }
    if (notice?.kind === 'fallback') areaRef.current?.select();
    return undefined;
  }, [notice, dismiss]);
  if (!notice) return null;
  if (notice.kind === 'copied') {
    return (
      <div className="toast" role="status" data-testid="copied">
        <Icon name="check" /> Copied the diff as {notice.what}
      </div>
    );
  }
  if (notice.kind === 'error') {
    return (
      <div className="toast is-error" role="alert" data-testid="export-error">
        <Icon name="alert" /> {notice.message}
        <button type="button" className="icon-btn" onClick={dismiss} aria-label="Dismiss">
          <Icon name="close" />
        </button>
      </div>
    );
  }
  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && dismiss()}>
      <div className="modal wide" role="dialog" aria-modal="true" aria-labelledby="md-title" data-testid="markdown-fallback">
        <div className="modal-head">
          <div>
            <h2 id="md-title">Copy the diff as Markdown</h2>
            <p className="muted small">The clipboard was not available: the text is selected, press Ctrl+C (⌘C).</p>
          </div>
        </div>
        <textarea ref={areaRef} readOnly value={notice.text} rows={16} data-testid="markdown-text" className="mono" />
        <div className="modal-actions">
          <button type="button" className="primary" onClick={dismiss} autoFocus>
            Done
          </button>
        </div>
      </div>
    </div>
  );
}
