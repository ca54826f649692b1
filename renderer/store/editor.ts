/**
 * The raw editor's data: a stream's lockfiles and override files as read at one commit, and
 * saving edited texts as a draft based on that commit (so a fetch meanwhile makes it stale,
 * not silently rebased). Answers for a stream no longer asked for are dropped.
 */
import { call } from '../api';
import { errorText, type Slice } from './types';

export interface EditorSlice {
  /** The stream whose files are loaded (or loading). */
  editorStream: string | null;
  /** file -> text at `editorBase`; null while reading. */
  editorFiles: Readonly<Record<string, string>> | null;
  /** The commit the texts were read at: the draft is based there. */
  editorBase: string | undefined;
  editorError: string | null;
  /** The branch of the last draft saved from the editor. */
  editorSaved: string | null;
  loadEditorFiles(stream: string): Promise<void>;
  /** Saves the changed files as a draft on the loaded stream; resolves to its branch, or null (the error is in `editorError`). */
  saveRawDraft(files: Record<string, string>, message: string): Promise<string | null>;
  resetEditor(): void;
}

const initial = { editorStream: null, editorFiles: null, editorBase: undefined, editorError: null, editorSaved: null } as const;

export const createEditorSlice: Slice<EditorSlice> = (set, get) => ({
  ...initial,
  async loadEditorFiles(stream) {
    set({ editorStream: stream, editorFiles: null, editorBase: undefined, editorError: null, editorSaved: null });
    try {
      const r = await call('files:read', { ref: stream });
      if (get().editorStream === stream) set({ editorFiles: r.files, editorBase: r.commit });
    } catch (e) {
      if (get().editorStream === stream) set({ editorError: errorText(e) });
    }
  },
  async saveRawDraft(files, message) {
    const stream = get().editorStream;
    if (!stream) return null;
    set({ editorError: null });
    try {
      const rec = await call('drafts:saveRaw', { stream, base: get().editorBase, files, message });
      set({ editorSaved: rec.branch });
      return rec.branch;
    } catch (e) {
      set({ editorError: errorText(e) });
      return null;
    }
  },
  resetEditor() {
    set(initial);
  },
});
