/** Package history across streams. */
import type { HistoryResult } from '../../shared/api/types';
import { decodeHistory } from '../../shared/history/answer';
import { call } from '../api';
import { errorText, type Slice } from './types';
import type { DeepReadonly } from '../../shared/readonly';

export interface HistorySlice {
  history: DeepReadonly<HistoryResult> | null;
  historyLoading: boolean;
  historyError: string | null;
  /** The opened row's whole message; null while none is open or it is being read. */
  historyMessage: { commit: string; message: string } | { commit: string; error: string } | null;
  loadHistory(name: string, arch: string): Promise<void>;
  resetHistory(): void;
  /** Reads a row's whole message (rows carry only the subject); null closes it. */
  openHistoryCommit(commit: string | null): Promise<void>;
}

/** The commit whose message was asked for last. */
let opening: string | null = null;
/** Numbers loads: only the last one's answer is kept, and a reset makes any answer moot. */
let loads = 0;

export const createHistorySlice: Slice<HistorySlice> = (set) => ({
  history: null,
  historyMessage: null,
  historyLoading: false,
  historyError: null,
  resetHistory() {
    opening = null;
    loads++;
    set({ history: null, historyError: null, historyMessage: null, historyLoading: false });
  },
  async loadHistory(name, arch) {
    const load = ++loads;
    set({ historyLoading: true, historyError: null, historyMessage: null });
    try {
      const answer = await call('history:package', { name, arch });
      if (load === loads) set({ history: decodeHistory(answer) });
    } catch (e) {
      if (load === loads) set({ historyError: errorText(e), history: null });
    } finally {
      if (load === loads) set({ historyLoading: false });
    }
  },
  async openHistoryCommit(commit) {
    opening = commit;
    set({ historyMessage: null });
    if (!commit) return;
    let answer: NonNullable<HistorySlice['historyMessage']>;
    try {
      answer = await call('history:commit', { commit });
    } catch (e) {
      answer = { commit, error: errorText(e) };
    }
    // A later click wins over a slow answer.
    if (opening === commit) set({ historyMessage: answer });
  },
});
