/** Named reads of the graduation slice (the graduation screen): components select through these, not inline. */
import type { Store } from '../types';

export const graduationSelectors = {
  graduation: (s: Store) => s.graduation,
  graduationBusy: (s: Store) => s.graduationBusy,
  graduationError: (s: Store) => s.graduationError,
  graduationDrafted: (s: Store) => s.graduationDrafted,
};
