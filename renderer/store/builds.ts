/**
 * Drafting from builds: what the draft form's "Bodhi update or source NVR" field resolved to
 * (Bodhi, then Koji, through the back end and its cache). Answers that arrive after the field
 * changed again are dropped, so the form never shows builds of text no longer there.
 */
import type { BuildResolution, StreamAdvice } from '../../shared/api/update-types';
import { call } from '../api';
import { errorText, type Slice } from './types';
import type { DeepReadonly } from '../../shared/readonly';

export type Resolution =
  | { status: 'idle' }
  | { status: 'resolving'; key: string }
  | { status: 'resolved'; key: string; result: DeepReadonly<BuildResolution> }
  | { status: 'failed'; key: string; error: string };

export interface BuildsSlice {
  resolution: Resolution;
  /** Resolves the inputs (update IDs/URLs, source NVRs); an empty list clears. */
  resolveBuilds(inputs: string[]): Promise<void>;
  resetBuilds(): void;
  /** Streams to propose and promotion notices for the resolved builds on the chosen streams; null until known. */
  advice: { key: string; value: DeepReadonly<StreamAdvice> } | null;
  loadAdvice(inputs: string[], streams: string[], action: 'pin' | 'fast-track'): Promise<void>;
}

let adviceKey = '';

export const createBuildsSlice: Slice<BuildsSlice> = (set, get) => ({
  resolution: { status: 'idle' },
  async resolveBuilds(inputs) {
    const key = inputs.join('\n');
    if (!inputs.length) return set({ resolution: { status: 'idle' } });
    const current = get().resolution;
    if (current.status !== 'idle' && current.status !== 'failed' && current.key === key) return;
    set({ resolution: { status: 'resolving', key } });
    const still = () => {
      const r = get().resolution;
      return r.status !== 'idle' && r.key === key;
    };
    try {
      const result = await call('builds:resolve', { inputs });
      if (still()) set({ resolution: { status: 'resolved', key, result } });
    } catch (e) {
      if (still()) set({ resolution: { status: 'failed', key, error: errorText(e) } });
    }
  },
  resetBuilds() {
    set({ resolution: { status: 'idle' }, advice: null });
  },
  advice: null,
  async loadAdvice(inputs, streams, action) {
    const key = JSON.stringify([inputs, streams, action]);
    adviceKey = key;
    try {
      const value = await call('builds:advice', { inputs, streams, action });
      // An answer for fields that changed since is dropped.
      if (adviceKey === key) set({ advice: { key, value } });
    } catch {
      // Advice is a courtesy: the preview shows any error of the same inputs.
      if (adviceKey === key) set({ advice: null });
    }
  },
});
