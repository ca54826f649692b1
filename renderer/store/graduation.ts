/** Graduation over every stream: the check (repos online, or the cache) and one removal draft per stream. */
import type { GraduationDraftResult, StreamGraduation } from '../../shared/graduation';
import { call } from '../api';
import { errorText, type Slice } from './types';
import type { DeepReadonly } from '../../shared/readonly';

export interface GraduationSlice {
  /** Every shown stream's fast-tracks and their status; null until checked. */
  graduation: DeepReadonly<StreamGraduation[]> | null;
  /** What runs now: a check (online or from the cache) or the drafting. */
  graduationBusy: 'online' | 'offline' | 'drafting' | null;
  graduationError: string | null;
  /** The last drafting's answer per stream, shown until the next one. */
  graduationDrafted: DeepReadonly<GraduationDraftResult[]> | null;
  checkGraduation(offline: boolean): Promise<void>;
  /** Drafts a removal per stream with graduated fast-tracks, then refreshes this list and the drafts list. */
  /** Drafts the removals on `streams` (default: every stream with graduated fast-tracks and no draft). */
  draftGraduations(streams?: string[]): Promise<void>;
  resetGraduation(): void;
}

export const createGraduationSlice: Slice<GraduationSlice> = (set, get) => ({
  graduation: null,
  graduationBusy: null,
  graduationError: null,
  graduationDrafted: null,
  resetGraduation() {
    set({ graduation: null, graduationBusy: null, graduationError: null, graduationDrafted: null });
  },
  async checkGraduation(offline) {
    set({ graduationBusy: offline ? 'offline' : 'online', graduationError: null });
    try {
      set({ graduation: await call('graduation:all', { offline }) });
    } catch (e) {
      set({ graduationError: errorText(e) });
    } finally {
      set({ graduationBusy: null });
    }
  },
  async draftGraduations(chosen) {
    const streams = chosen ?? (get().graduation ?? []).filter((g) => g.drafts.length === 0 && g.rows.some((r) => r.status === 'graduated')).map((g) => g.stream);
    set({ graduationBusy: 'drafting', graduationError: null, graduationDrafted: null });
    try {
      set({ graduationDrafted: await call('graduation:draftAll', { streams }) });
    } catch (e) {
      set({ graduationError: errorText(e) });
    } finally {
      set({ graduationBusy: null });
    }
    // The new drafts show at once: in this list (each stream's draft) and in the drafts list.
    await Promise.all([get().checkGraduation(true), get().loadDrafts()]);
  },
});
