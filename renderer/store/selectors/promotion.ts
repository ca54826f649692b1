/** Named reads of the promotion slice (promotions: the promotion view and "Draft promotion"): components select through these, not inline. */
import type { Store } from '../types';

export const promotionSelectors = {
  promotion: (s: Store) => s.promotion,
  promotionQuery: (s: Store) => s.promotionQuery,
  promotionError: (s: Store) => s.promotionError,
  promotionNotice: (s: Store) => s.promotionNotice,
  /** True while the promotion to `target` is being drafted. */
  draftingTo: (target: string) => (s: Store) => s.promotionNotice?.kind === 'drafting' && s.promotionNotice.target === target,
};
