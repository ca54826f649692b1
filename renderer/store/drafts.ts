/** Drafts: the list, the draft form's preview and versions, save, discard, rebase. */
import type { DraftPreview, DraftRequestData, DraftView, VersionChoice } from '../../shared/api/types';
import { call } from '../api';
import { errorText, type Slice } from './types';

export interface DraftsSlice {
  drafts: DraftView[] | null;
  draftsError: string | null;
  preview: DraftPreview | null;
  previewError: string | null;
  versions: VersionChoice[];
  /** Drafts the user pushed in this session: their PR page opens once pushed. */
  pushedHere: ReadonlySet<string>;
  loadDrafts(): Promise<void>;
  loadVersions(name: string): Promise<void>;
  previewDraft(req: DraftRequestData): Promise<void>;
  saveDraft(req: DraftRequestData): Promise<string | null>;
  discardDraft(branch: string): Promise<void>;
  rebaseDraft(branch: string): Promise<string>;
  /** Queues a push; resolves to an error text, or null. */
  pushDraft(branch: string, remoteBranch?: string): Promise<string | null>;
  cancelPush(branch: string): Promise<string | null>;
  /** Retries now every push waiting for the network. */
  retryPushes(): Promise<string | null>;
  /** True once for a draft pushed from this window (then its PR page may open). */
  takePushedHere(branch: string): boolean;
}

export const createDraftsSlice: Slice<DraftsSlice> = (set, get) => ({
  drafts: null,
  draftsError: null,
  preview: null,
  previewError: null,
  versions: [],
  pushedHere: new Set<string>(),
  async loadDrafts() {
    try {
      set({ drafts: await call('drafts:list'), draftsError: null });
    } catch (e) {
      set({ draftsError: errorText(e) });
    }
  },
  async loadVersions(name) {
    try {
      set({ versions: await call('versions:list', { name }) });
    } catch {
      set({ versions: [] });
    }
  },
  async previewDraft(req) {
    set({ previewError: null });
    try {
      set({ preview: await call('drafts:preview', req) });
    } catch (e) {
      set({ preview: null, previewError: errorText(e) });
    }
  },
  async saveDraft(req) {
    try {
      const rec = await call('drafts:save', req);
      await get().loadDrafts();
      return rec.branch;
    } catch (e) {
      set({ previewError: errorText(e) });
      return null;
    }
  },
  async discardDraft(branch) {
    try {
      await call('drafts:discard', { branch });
    } catch (e) {
      set({ draftsError: errorText(e) });
    }
    await get().loadDrafts();
  },
  async pushDraft(branch, remoteBranch) {
    set({ pushedHere: new Set([...get().pushedHere, branch]) });
    try {
      await call('drafts:push', { branch, remoteBranch });
      await get().loadDrafts();
      return null;
    } catch (e) {
      return `Push refused: ${errorText(e)}`;
    }
  },
  async cancelPush(branch) {
    try {
      await call('queue:cancel', { branch });
      await get().loadDrafts();
      return null;
    } catch (e) {
      return errorText(e);
    }
  },
  async retryPushes() {
    try {
      await call('queue:retry');
      return null;
    } catch (e) {
      return errorText(e);
    }
  },
  takePushedHere(branch) {
    if (!get().pushedHere.has(branch)) return false;
    const next = new Set(get().pushedHere);
    next.delete(branch);
    set({ pushedHere: next });
    return true;
  },
  async rebaseDraft(branch) {
    try {
      const r = await call('drafts:rebase', { branch });
      await get().loadDrafts();
      if (r.status === 'redundant') return `Nothing left to do: ${r.draft.stream} already has ${r.redundant.join(', ')}. Discard the draft.`;
      if (r.status === 'conflict') return `${r.conflicts.join(', ')} changed on ${r.draft.stream} since this draft was based: review, then discard and draft again.`;
      if (r.status === 'rebased')
        return `Rebased on ${r.draft.base.slice(0, 12)}${r.redundant.length ? `; dropped ${r.redundant.join(', ')} (already in the base)` : ''}.${r.draft.needsPush ? ' Push it again to update its pull request.' : ''}`;
      return 'Already up to date.';
    } catch (e) {
      return errorText(e);
    }
  },
});
