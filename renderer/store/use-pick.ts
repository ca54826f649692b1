/**
 * Several named selectors read in one subscription: `usePick({ drafts: draftsSelectors.drafts,
 * error: draftsSelectors.draftsError })`. The answer is compared shallowly, so a component
 * re-renders only when one of the values it picked changed.
 */
import { useShallow } from 'zustand/react/shallow';
import { useStore } from './index';
import type { Store } from './types';

type Picked<T extends Record<string, (s: Store) => unknown>> = { [K in keyof T]: ReturnType<T[K]> };

export function usePick<T extends Record<string, (s: Store) => unknown>>(selectors: T): Picked<T> {
  return useStore(
    useShallow((s: Store) => {
      const out: Partial<Picked<T>> = {};
      for (const k of Object.keys(selectors) as (keyof T)[]) out[k] = selectors[k](s) as Picked<T>[keyof T];
      return out as Picked<T>;
    }),
  );
}
