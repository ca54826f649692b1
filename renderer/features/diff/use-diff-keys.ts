/**
 * The diff screen's keyboard: ↑/↓ or j/k move the selection, Enter opens the details, / focuses
 * the filter, Escape closes the details or clears. Focus moves through React refs (the filter
 * and the list), and a modal open in the store (the Markdown fallback, a credential prompt)
 * takes the keys instead.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { useStore } from '../../store';
import type { ChangeRow } from './rows';

export interface DiffKeyState {
  changeRows: ChangeRow[];
  selectedKey: string | null;
  detailsOpen: boolean;
  text: string;
}

export interface DiffKeyActions {
  select(key: string | null): void;
  /** Scrolls the selection into view (a keyboard move; a click never scrolls). */
  reveal(): void;
  setDetailsOpen(open: boolean): void;
  clearText(): void;
}

/** The row a move lands on: `delta` from the selection, clamped; with no selection in the list, the first (down, or Enter) or last (up). */
export function moveTarget(rows: readonly ChangeRow[], selectedKey: string | null, delta: number): string | null {
  if (!rows.length) return null;
  const i = rows.findIndex((r) => r.key === selectedKey);
  if (i < 0) return rows[delta >= 0 ? 0 : rows.length - 1].key;
  return rows[Math.max(0, Math.min(rows.length - 1, i + delta))].key;
}

const modalOpen = (): boolean => {
  const s = useStore.getState();
  return s.exportNotice?.kind === 'fallback' || s.credentialRequest !== null;
};

export function useDiffKeys(state: DiffKeyState, actions: DiffKeyActions, refs: { filter: RefObject<HTMLInputElement | null>; list: RefObject<HTMLDivElement | null> }): void {
  const latest = useRef({ state, actions });
  latest.current = { state, actions };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || modalOpen()) return;
      const { state: s, actions: a } = latest.current;
      const t = e.target as HTMLElement;
      const filter = refs.filter.current;
      const typing = t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable;
      const move = (delta: number) => {
        const key = moveTarget(s.changeRows, s.selectedKey, delta);
        if (!key) return;
        a.select(key);
        a.reveal();
        // Keep the keyboard on the list, so Enter opens the selection rather than pressing a button.
        refs.list.current?.focus({ preventScroll: true });
      };
      if (e.key === 'Escape') {
        if (t === filter && s.text) a.clearText();
        else if (s.detailsOpen) a.setDetailsOpen(false);
        else if (typing) t.blur();
        else if (s.text) a.clearText();
        else a.select(null);
        e.preventDefault();
        return;
      }
      if (t === filter && (e.key === 'ArrowDown' || e.key === 'Enter')) {
        e.preventDefault();
        t.blur();
        refs.list.current?.focus();
        move(0);
        return;
      }
      if (typing) return;
      if (e.key === '/') {
        e.preventDefault();
        filter?.focus();
        filter?.select();
      } else if (e.key === 'ArrowDown' || e.key === 'j') {
        e.preventDefault();
        move(1);
      } else if (e.key === 'ArrowUp' || e.key === 'k') {
        e.preventDefault();
        move(-1);
      } else if (e.key === 'Enter' && t.tagName !== 'BUTTON' && t.tagName !== 'A' && s.selectedKey) {
        e.preventDefault();
        a.setDetailsOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [refs.filter, refs.list]);
}
