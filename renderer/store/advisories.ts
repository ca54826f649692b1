/** Advisories: the security updates each stream is missing (Bodhi, or its cache), and the search box's carries answer. */
import type { AdvisoriesView, CarriesView } from '../../shared/api/advisory-types';
import { call } from '../api';
import { errorText, type Slice } from './types';
import type { DeepReadonly } from '../../shared/readonly';

export interface AdvisoriesSlice {
  /** Every shown stream's missing security updates; null until read. */
  advisories: DeepReadonly<AdvisoriesView> | null;
  advisoriesBusy: 'online' | 'offline' | null;
  advisoriesError: string | null;
  carries: DeepReadonly<CarriesView> | null;
  carriesBusy: boolean;
  carriesError: string | null;
  loadAdvisories(offline: boolean): Promise<void>;
  searchCarries(query: string): Promise<void>;
  resetAdvisories(): void;
}

let carriesSeq = 0;

export const createAdvisoriesSlice: Slice<AdvisoriesSlice> = (set) => ({
  advisories: null,
  advisoriesBusy: null,
  advisoriesError: null,
  carries: null,
  carriesBusy: false,
  carriesError: null,
  resetAdvisories() {
    carriesSeq++;
    set({ advisories: null, advisoriesBusy: null, advisoriesError: null, carries: null, carriesBusy: false, carriesError: null });
  },
  async loadAdvisories(offline) {
    set({ advisoriesBusy: offline ? 'offline' : 'online', advisoriesError: null });
    try {
      set({ advisories: await call('advisories:list', { offline }) });
    } catch (e) {
      // Offline with nothing cached is the screen's first state ("check Bodhi"), not an error.
      if (!offline) set({ advisoriesError: errorText(e) });
    } finally {
      set({ advisoriesBusy: null });
    }
  },
  async searchCarries(query) {
    const seq = ++carriesSeq;
    if (!query.trim()) return set({ carries: null, carriesError: null, carriesBusy: false });
    set({ carriesBusy: true, carriesError: null });
    try {
      const carries = await call('advisories:carries', { query });
      // An answer for a query typed over since is dropped.
      if (seq === carriesSeq) set({ carries, carriesBusy: false });
    } catch (e) {
      if (seq === carriesSeq) set({ carries: null, carriesError: errorText(e), carriesBusy: false });
    }
  },
});
