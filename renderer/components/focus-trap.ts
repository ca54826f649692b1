/** Tab inside a modal dialog: the dialog's controls only, round from the last to the first and back. */
import type { KeyboardEvent } from 'react';

const CONTROLS = 'button, input:not([type=hidden]), select, textarea, a[href], [tabindex]:not([tabindex="-1"])';

/** A keydown handler's Tab part: keeps the focus inside `dialog` (what is behind a modal is not reachable). */
export function keepTabInside(e: KeyboardEvent, dialog: HTMLElement | null): void {
  if (e.key !== 'Tab' || !dialog) return;
  const items = [...dialog.querySelectorAll<HTMLElement>(CONTROLS)].filter((el) => !el.hasAttribute('disabled'));
  if (!items.length) return;
  const first = items[0];
  const last = items[items.length - 1];
  const inside = dialog.contains(document.activeElement);
  if (e.shiftKey && (document.activeElement === first || !inside)) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (document.activeElement === last || !inside)) {
    e.preventDefault();
    first.focus();
  }
}
