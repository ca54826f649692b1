/** Package history across streams. */
import type { HistoryResult } from '../../shared/api/types';
import { decodeHistory, mergeHistory } from '../../shared/history/answer';
import { askOrder } from '../../shared/history/view';
import { call } from '../api';
import { errorText, type Slice } from './types';
import type { DeepReadonly } from '../../shared/readonly';

export interface HistorySlice {
  history: DeepReadonly<HistoryResult> | null;
  historyLoading: boolean;
  historyError: string | null;
  /** Streams asked for whose lanes have not landed yet (their index is being built), and how many were asked. */
  historyIndexing: { pending: readonly string[]; total: number };
  /** The opened row's whole message; null while none is open or it is being read. */
  historyMessage: { commit: string; message: string } | { commit: string; error: string } | null;
  /**
   * Reads a package's lanes one stream per call, `first` (the lane shown) first: its rows are
   * drawn once its index is built, never after every stream's; the other lanes are added as
   * their index lands (SPEC §5, first history on a fresh clone).
   */
  loadHistory(name: string, arch: string, first?: string | null): Promise<void>;
  resetHistory(): void;
  /** Reads a row's whole message (rows carry only the subject); null closes it. */
  openHistoryCommit(commit: string | null): Promise<void>;
}

/** The commit whose message was asked for last. */
let opening: string | null = null;
/** Numbers loads: only the last one's answer is kept, and a reset makes any answer moot. */
let loads = 0;

const NONE_PENDING = { pending: [], total: 0 } as const;

export const createHistorySlice: Slice<HistorySlice> = (set, get) => ({
  history: null,
  historyMessage: null,
  historyLoading: false,
  historyError: null,
  historyIndexing: NONE_PENDING,
  resetHistory() {
    opening = null;
    loads++;
    set({ history: null, historyError: null, historyMessage: null, historyLoading: false, historyIndexing: NONE_PENDING });
  },
  async loadHistory(name, arch, first) {
    const load = ++loads;
    const streams = askOrder(get().repo?.streams ?? [], first);
    set({ historyLoading: true, historyError: null, historyMessage: null, historyIndexing: { pending: streams, total: streams.length } });
    const landed = (stream: string | null) => {
      const { pending, total } = get().historyIndexing;
      const left = pending.filter((s) => s !== stream);
      set({ historyIndexing: stream === null || left.length === 0 ? NONE_PENDING : { pending: left, total } });
    };
    try {
      // With no stream list (no repo info yet), one call answers every stream.
      const [head, ...rest] = streams;
      const answer = await call('history:package', head === undefined ? { name, arch } : { name, arch, streams: [head] });
      if (load !== loads) return;
      set({ history: decodeHistory(answer), historyLoading: false });
      landed(head ?? null);
      // Every index built (the background job said 100%): the other lanes in one call, drawn once.
      // At 10x, seven calls and seven redraws of a 3,000-point chart took twice as long.
      if (rest.length > 1 && get().indexProgress?.percent === 100) {
        try {
          const more = await call('history:package', { name, arch, streams: rest });
          const now = get().history;
          if (load === loads && now) set({ history: mergeHistory(now, decodeHistory(more)) });
        } catch (e) {
          if (load === loads) set({ historyError: errorText(e) });
        } finally {
          if (load === loads) landed(null);
        }
        return;
      }
      // Else the others follow, each lane drawn as it lands. One call
      // at a time: each waits on the index's writer lock, so parallel calls land no sooner, and in the
      // browser host they would hold every connection the page has to the host (six per host): the
      // chart's own script, and every other call, would wait behind them until indexing ends.
      for (const stream of rest) {
        if (load !== loads) return;
        try {
          const more = await call('history:package', { name, arch, streams: [stream] });
          const now = get().history;
          if (load === loads && now) set({ history: mergeHistory(now, decodeHistory(more)) });
        } catch (e) {
          if (load === loads) set({ historyError: `${stream}: ${errorText(e)}` });
        } finally {
          if (load === loads) landed(stream);
        }
      }
    } catch (e) {
      if (load === loads) set({ historyError: errorText(e), history: null, historyIndexing: NONE_PENDING });
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
