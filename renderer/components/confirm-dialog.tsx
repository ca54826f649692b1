/**
 * A modal question with an optional tick box, in place of `window.confirm` where the answer has
 * a second part (Discard: "also delete the remote branch"). Focus goes to the safe choice, Tab
 * stays inside, Escape cancels, and focus returns to what opened it.
 */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { keepTabInside } from './focus-trap';

export interface ConfirmOption {
  label: ReactNode;
  testid: string;
}

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  danger = false,
  option,
  onAnswer,
  testid,
}: {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  /** A tick box whose state is given with a yes (unticked by default: the cautious answer). */
  option?: ConfirmOption;
  onAnswer: (yes: boolean, ticked: boolean) => void;
  testid: string;
}) {
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [ticked, setTicked] = useState(false);

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    cancelRef.current?.focus();
    return () => {
      // Back where the user was, if that element is still on the page.
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const trap = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onAnswer(false, false);
      return;
    }
    keepTabInside(e, ref.current);
  };

  return (
    <div className="modal-backdrop" onKeyDown={trap}>
      <div ref={ref} className="modal" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} data-testid={testid}>
        <div className="modal-head">
          <h2 id={`${id}-title`}>{title}</h2>
        </div>
        {children && <div className="modal-text">{children}</div>}
        {option && (
          <label className="check">
            <input type="checkbox" checked={ticked} onChange={(e) => setTicked(e.target.checked)} data-testid={option.testid} /> {option.label}
          </label>
        )}
        <div className="modal-actions">
          <button type="button" ref={cancelRef} onClick={() => onAnswer(false, false)} data-testid={`${testid}-cancel`}>
            Cancel
          </button>{' '}
          <button type="button" className={danger ? 'danger' : 'primary'} onClick={() => onAnswer(true, ticked)} data-testid={`${testid}-confirm`}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
