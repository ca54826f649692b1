/** The dark theme follows the system, as the style sheet does: a component drawing its own colours (the chart, Monaco) redraws when it flips. */
import { useSyncExternalStore } from 'react';

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

export function useDark(): boolean {
  return useSyncExternalStore(
    (notify) => {
      const q = darkQuery();
      q.addEventListener('change', notify);
      return () => q.removeEventListener('change', notify);
    },
    () => darkQuery().matches,
  );
}
