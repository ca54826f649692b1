/** The diff between two refs, and its exports. */
import type { DiffResult, OtherFilesResult } from '../../shared/api/types';
import { call } from '../api';
import type { RouteParams } from './route';
import { errorText, type Slice } from './types';
import type { DeepReadonly } from '../../shared/readonly';

export interface DiffQuery {
  from: string;
  to: string;
  overrides: boolean;
}

export type ExportNotice =
  | { kind: 'copied'; what: string }
  | { kind: 'fallback'; text: string }
  | { kind: 'error'; message: string };

export interface DiffSlice {
  diff: DeepReadonly<DiffResult> | null;
  /** The query `diff` answers. */
  diffQuery: DiffQuery | null;
  diffLoading: boolean;
  diffError: string | null;
  /** The diff view's last parameters: the Diff tab goes back to them. */
  lastDiffParams: RouteParams | null;
  exportNotice: ExportNotice | null;
  /** The other (non-lock) files that differ between the diff's two refs, and for which refs. */
  otherFiles: DeepReadonly<OtherFilesResult> | null;
  otherFilesQuery: { from: string; to: string } | null;
  otherFilesError: string | null;
  /** Loads the other files that differ (`review:otherFiles`); an answer for refs no longer asked is dropped. */
  loadOtherFiles(from: string, to: string): Promise<void>;
  loadDiff(q: DiffQuery): Promise<void>;
  rememberDiffParams(p: RouteParams): void;
  /** Copies the diff as Markdown (`diff:markdown`); if the clipboard is refused, offers the text to copy by hand. */
  copyMarkdown(arches?: string[]): Promise<void>;
  dismissExportNotice(): void;
  resetDiff(): void;
}

let seq = 0;
let otherSeq = 0;

export const createDiffSlice: Slice<DiffSlice> = (set, get) => ({
  diff: null,
  diffQuery: null,
  diffLoading: false,
  diffError: null,
  lastDiffParams: null,
  exportNotice: null,
  otherFiles: null,
  otherFilesQuery: null,
  otherFilesError: null,
  async loadOtherFiles(from, to) {
    const mine = ++otherSeq;
    set({ otherFilesQuery: { from, to }, otherFiles: null, otherFilesError: null });
    try {
      const r = await call('review:otherFiles', { from, to });
      if (mine === otherSeq) set({ otherFiles: r });
    } catch (e) {
      if (mine === otherSeq) set({ otherFilesError: errorText(e) });
    }
  },
  async loadDiff(q) {
    const mine = ++seq;
    set({ diffLoading: true, diffError: null });
    try {
      const diff = await call('diff:refs', { from: q.from, to: q.to, overrides: q.overrides });
      if (mine === seq) set({ diff, diffQuery: q });
    } catch (e) {
      if (mine === seq) set({ diffError: errorText(e), diff: null, diffQuery: q });
    } finally {
      if (mine === seq) set({ diffLoading: false });
    }
  },
  rememberDiffParams(p) {
    const last = get().lastDiffParams;
    const same = last && Object.keys({ ...last, ...p }).every((k) => last[k] === p[k]);
    if (!same) set({ lastDiffParams: p });
  },
  async copyMarkdown(arches) {
    const q = get().diffQuery;
    if (!q) return;
    let text: string;
    try {
      text = await call('diff:markdown', { from: q.from, to: q.to, overrides: q.overrides, arches });
    } catch (e) {
      set({ exportNotice: { kind: 'error', message: errorText(e) } });
      return;
    }
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      set({ exportNotice: { kind: 'copied', what: 'Markdown' } });
    } catch {
      set({ exportNotice: { kind: 'fallback', text } });
    }
  },
  dismissExportNotice() {
    set({ exportNotice: null });
  },
  resetDiff() {
    seq++; // an answer still on its way belongs to the previous repo
    otherSeq++;
    set({ diff: null, diffQuery: null, diffError: null, diffLoading: false, lastDiffParams: null, exportNotice: null, otherFiles: null, otherFilesQuery: null, otherFilesError: null });
  },
});
