/** Named reads of the streams slice (the streams overview): components select through these, not inline. */
import type { Store } from '../types';

export const streamsSelectors = {
  streams: (s: Store) => s.streams,
  streamsLoading: (s: Store) => s.streamsLoading,
  streamsError: (s: Store) => s.streamsError,
};
