/**
 * Where keyboard focus goes when the page changes under it: a view's heading after a move to
 * another view, a notice after Save. Without them focus falls back to the document (the link or
 * button pressed is gone), and a keyboard or screen-reader user starts again from the top.
 */
import { useEffect, useRef, type RefObject } from 'react';

/** How long a view may take to draw its heading (a lazy screen, a first read) before we stop waiting. */
const HEADING_WAIT_MS = 10_000;

/**
 * After a move to another view (not the first one drawn; null: nothing drawn yet), focus goes to
 * that view's `h1` inside `container`, as soon as it is drawn. A view that put focus somewhere of
 * its own inside the container first (a field it opens on) keeps it.
 */
export function useHeadingFocus(view: string | null, container: RefObject<HTMLElement | null>): void {
  const first = useRef(true);
  useEffect(() => {
    if (view === null) return;
    if (first.current) {
      first.current = false;
      return;
    }
    const box = container.current;
    if (!box) return;
    const focusHeading = (): boolean => {
      const active = document.activeElement;
      if (active && active !== document.body && box.contains(active)) return true;
      const h = box.querySelector('h1');
      if (!h) return false;
      // A heading is not a control: reachable by script only, never a Tab stop.
      if (!h.hasAttribute('tabindex')) h.setAttribute('tabindex', '-1');
      h.focus();
      return document.activeElement === h;
    };
    if (focusHeading()) return;
    const watch = new MutationObserver(() => {
      if (focusHeading()) stop();
    });
    const timer = setTimeout(() => stop(), HEADING_WAIT_MS);
    const stop = () => {
      watch.disconnect();
      clearTimeout(timer);
    };
    watch.observe(box, { childList: true, subtree: true });
    return stop;
  }, [view, container]);
}

/**
 * Focus moves to the element once it is shown, and again each time `key` changes (another save):
 * after Save the button pressed may be gone, and the notice says what was saved and where next.
 */
export function useFocusWhenShown<T extends HTMLElement>(key: unknown): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (key) ref.current?.focus();
  }, [key]);
  return ref;
}
