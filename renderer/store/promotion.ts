/** Promotions: the promotion view of a source → target pair, and "Draft promotion". */
import type { PromotionView } from '../../shared/api/types';
import type { DeepReadonly } from '../../shared/readonly';
import { call } from '../api';
import { errorText, type Slice } from './types';

export type PromotionNotice = { kind: 'error'; target: string; message: string } | { kind: 'drafting'; target: string };

export interface PromotionSlice {
  promotion: DeepReadonly<PromotionView> | null;
  /** The pair `promotion` answers (source → target). */
  promotionQuery: { source: string; target: string } | null;
  promotionError: string | null;
  /** A "Draft promotion" on its way or refused (nothing to promote…), by target stream. */
  promotionNotice: PromotionNotice | null;
  loadPromotion(source: string, target: string): Promise<void>;
  /** Drafts the promotion and opens the draft; a refusal stays in `promotionNotice`. */
  draftPromotion(source: string, target: string): Promise<string | null>;
  dismissPromotionNotice(): void;
  resetPromotion(): void;
}

let seq = 0;

export const createPromotionSlice: Slice<PromotionSlice> = (set, get) => ({
  promotion: null,
  promotionQuery: null,
  promotionError: null,
  promotionNotice: null,
  async loadPromotion(source, target) {
    const mine = ++seq;
    set({ promotionQuery: { source, target }, promotion: null, promotionError: null });
    try {
      const r = await call('promotion:view', { source, target });
      if (mine === seq) set({ promotion: r });
    } catch (e) {
      if (mine === seq) set({ promotionError: errorText(e) });
    }
  },
  async draftPromotion(source, target) {
    set({ promotionNotice: { kind: 'drafting', target } });
    try {
      const d = await call('promotion:draft', { source, target });
      set({ promotionNotice: null });
      await get().loadDrafts();
      get().navigate('draft-info', { branch: d.branch });
      return d.branch;
    } catch (e) {
      set({ promotionNotice: { kind: 'error', target, message: errorText(e) } });
      return null;
    }
  },
  dismissPromotionNotice() {
    set({ promotionNotice: null });
  },
  resetPromotion() {
    seq++;
    set({ promotion: null, promotionQuery: null, promotionError: null, promotionNotice: null });
  },
});
