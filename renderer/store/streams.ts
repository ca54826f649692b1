/** The streams overview: one summary per stream. */
import type { StreamSummary } from '../../shared/api/types';
import { call } from '../api';
import { errorText, type Slice } from './types';
import type { DeepReadonly } from '../../shared/readonly';

export interface StreamsSlice {
  streams: DeepReadonly<StreamSummary[]> | null;
  streamsLoading: boolean;
  streamsError: string | null;
  loadStreams(): Promise<void>;
  resetStreams(): void;
}

export const createStreamsSlice: Slice<StreamsSlice> = (set) => ({
  streams: null,
  streamsLoading: false,
  streamsError: null,
  resetStreams() {
    set({ streams: null, streamsError: null });
  },
  async loadStreams() {
    set({ streamsLoading: true, streamsError: null });
    try {
      set({ streams: await call('streams:list') });
    } catch (e) {
      set({ streamsError: errorText(e) });
    } finally {
      set({ streamsLoading: false });
    }
  },
});
