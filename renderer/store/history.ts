/** Package history across streams. */
import type { HistoryResult } from '../../shared/api/types';
import { call } from '../api';
import { errorText, type Slice } from './types';

export interface HistorySlice {
  history: HistoryResult | null;
  historyLoading: boolean;
  historyError: string | null;
  loadHistory(name: string, arch: string): Promise<void>;
  resetHistory(): void;
}

export const createHistorySlice: Slice<HistorySlice> = (set) => ({
  history: null,
  historyLoading: false,
  historyError: null,
  resetHistory() {
    set({ history: null, historyError: null });
  },
  async loadHistory(name, arch) {
    set({ historyLoading: true, historyError: null });
    try {
      set({ history: await call('history:package', { name, arch }) });
    } catch (e) {
      set({ historyError: errorText(e), history: null });
    } finally {
      set({ historyLoading: false });
    }
  },
});
