/** Drafts: the list, one draft's info and availability, the draft form's previews and versions, save, discard, rebase, push. */
import type { DraftInfo, DraftRequestData, DraftView, VersionChoice } from '../../shared/api/types';
import type { AvailabilityResult, FromBuildsDraftRequest, StreamPlan } from '../../shared/api/update-types';
import { withSavedDrafts } from '../../shared/drafts/draft-list';
import { call } from '../api';
import { errorText, type Slice } from './types';
import type { DeepReadonly } from '../../shared/readonly';

export type Identity = { name: string; email: string };

export type Availability = { status: 'checking' } | { status: 'checked'; result: DeepReadonly<AvailabilityResult> } | { status: 'failed'; error: string };

export interface DraftsSlice {
  drafts: DeepReadonly<DraftView[]> | null;
  draftsError: string | null;
  /** One plan per target stream of the draft form, in the form's stream order; null: not previewed. */
  previews: DeepReadonly<StreamPlan[]> | null;
  previewing: boolean;
  previewError: string | null;
  versions: DeepReadonly<VersionChoice[]>;
  /** `loading` while the versions of the repo now open are read (a fresh clone may still be indexing). */
  versionsStatus: 'idle' | 'loading' | 'ready';
  /** Which repo (dataVersion) and name the versions are for: an answer for another is dropped. */
  versionsKey: string;
  /** The git identity commits are authored as; undefined until asked, null when unset. */
  identity: Identity | null | undefined;
  draftInfo: DeepReadonly<DraftInfo> | null;
  draftInfoError: string | null;
  /** branch -> the build-pool check of its NEVRAs. */
  availability: Readonly<Record<string, Availability>>;
  /** Drafts the user pushed in this session: their PR page opens once pushed. */
  pushedHere: ReadonlySet<string>;
  loadDrafts(): Promise<void>;
  loadVersions(name: string): Promise<void>;
  /** Previews one request per target stream; each stream's refusal is its own. */
  previewDrafts(reqs: DraftRequestData[]): Promise<void>;
  /** One request per group of streams (an advisory gives each release's streams their own update). */
  previewFromBuilds(reqs: FromBuildsDraftRequest[]): Promise<void>;
  /** Any change to the form's fields drops the previews: a save writes only what was previewed. */
  clearPreviews(): void;
  /** Saves the drafts; resolves to their branches (empty when the save was refused). */
  saveDrafts(reqs: DraftRequestData[]): Promise<string[]>;
  saveFromBuilds(reqs: FromBuildsDraftRequest[]): Promise<string[]>;
  loadIdentity(): Promise<void>;
  /** Stores the identity in git's global config (every repo) or this clone's. */
  setIdentity(id: Identity, scope?: 'global' | 'repo'): Promise<void>;
  loadDraftInfo(branch: string): Promise<void>;
  checkAvailability(branch: string, offline?: boolean): Promise<Availability>;
  /** A previewed draft's NEVRAs against the build pool, kept under `key` beside the drafts' checks. */
  checkPreviewPool(key: string, stream: string, nevras: readonly { nevra: string; arch: string }[], offline?: boolean): Promise<Availability>;
  /** Discards a draft; with `deleteRemote`, the remote branch it was pushed to goes too (under a lease). */
  discardDraft(branch: string, deleteRemote?: boolean): Promise<void>;
  /**
   * Rebases on the stream head; `redraft` applies the draft's request again over a conflict; `at`
   * makes a promotion again from this commit of its source (its name: the head). Resolves to the outcome in words.
   */
  rebaseDraft(branch: string, redraft?: boolean, at?: string): Promise<string>;
  /** Drafts whose last rebase met a conflict: they offer "Redraft on the new head". */
  conflicted: ReadonlySet<string>;
  /** Takes the commit an edited draft's branch holds as the draft. */
  adoptDraft(branch: string): Promise<string>;
  /** Queues a push; resolves to an error text, or null. */
  pushDraft(branch: string, remoteBranch?: string): Promise<string | null>;
  /** Queues drafts to push one after another, each once the previous one's checks passed; an error text, or null. */
  pushInOrder(branches: string[]): Promise<string | null>;
  cancelPush(branch: string): Promise<string | null>;
  /** Retries now every push waiting for the network. */
  retryPushes(): Promise<string | null>;
  /** True once for a draft pushed from this window (then its PR page may open). */
  takePushedHere(branch: string): boolean;
  /** Drops what belonged to the previous repo (the identity is asked again only if unset). */
  resetDrafts(): void;
}

// Previews answer out of order when the form changes quickly: only the latest is kept.
let previewSeq = 0;

export const createDraftsSlice: Slice<DraftsSlice> = (set, get) => {
  const runPreview = async (work: () => Promise<DeepReadonly<StreamPlan[]>>) => {
    const seq = ++previewSeq;
    set({ previewError: null, previews: null, previewing: true });
    try {
      const previews = await work();
      if (seq === previewSeq) set({ previews });
    } catch (e) {
      if (seq === previewSeq) set({ previews: null, previewError: errorText(e) });
    } finally {
      if (seq === previewSeq) set({ previewing: false });
    }
  };
  // Saves answer with the drafts as the list shows them: they go into the list in place, no second
  // round trip. A list never read is read whole (inserted into nothing, it would look complete).
  const putSaved = async (saved: readonly DeepReadonly<DraftView>[]) => {
    const list = get().drafts;
    if (list === null) await get().loadDrafts();
    else if (saved.length) set({ drafts: withSavedDrafts(list, saved) });
  };

  return {
    drafts: null,
    draftsError: null,
    previews: null,
    previewing: false,
    previewError: null,
    versions: [],
    versionsStatus: 'idle',
    versionsKey: '',
    identity: undefined,
    draftInfo: null,
    draftInfoError: null,
    availability: {},
    pushedHere: new Set<string>(),
    conflicted: new Set<string>(),
    async loadDrafts() {
      try {
        set({ drafts: await call('drafts:list'), draftsError: null });
      } catch (e) {
        set({ draftsError: errorText(e) });
      }
    },
    async loadVersions(name) {
      const key = `${get().dataVersion}:${name}`;
      // Never the versions of the repo open before (or of another name) while these load.
      set({ versions: [], versionsStatus: 'loading', versionsKey: key });
      const mine = () => get().versionsKey === key && key.startsWith(`${get().dataVersion}:`);
      try {
        const versions = await call('versions:list', { name });
        if (mine()) set({ versions, versionsStatus: 'ready' });
      } catch {
        if (mine()) set({ versions: [], versionsStatus: 'ready' });
      }
    },
    previewDrafts(reqs) {
      return runPreview(async () => {
        const out: DeepReadonly<StreamPlan>[] = [];
        for (const req of reqs) {
          try {
            out.push({ stream: req.stream, preview: await call('drafts:preview', req), error: null, skipped: [], notBuiltFor: {} });
          } catch (e) {
            out.push({ stream: req.stream, preview: null, error: errorText(e), skipped: [], notBuiltFor: {} });
          }
        }
        return out;
      });
    },
    previewFromBuilds(reqs) {
      return runPreview(async () => (await Promise.all(reqs.map((req) => call('builds:preview', req)))).flat());
    },
    clearPreviews() {
      previewSeq++;
      set({ previews: null, previewError: null, previewing: false });
    },
    async saveDrafts(reqs) {
      const saved: DeepReadonly<DraftView>[] = [];
      try {
        for (const req of reqs) saved.push(await call('drafts:save', req));
      } catch (e) {
        set({ previewError: saved.length ? `Saved ${saved.map((d) => d.branch).join(', ')}; then: ${errorText(e)}` : errorText(e) });
      }
      await putSaved(saved);
      return saved.map((d) => d.branch);
    },
    async saveFromBuilds(reqs) {
      // Every group was previewed without a refusal; a group failing still names what was saved before it.
      const saved: DeepReadonly<DraftView>[] = [];
      try {
        for (const req of reqs) saved.push(...(await call('builds:save', req)));
      } catch (e) {
        set({ previewError: saved.length ? `Saved ${saved.map((d) => d.branch).join(', ')}; then: ${errorText(e)}` : errorText(e) });
      }
      await putSaved(saved);
      return saved.map((d) => d.branch);
    },
    async loadIdentity() {
      try {
        set({ identity: await call('identity:get') });
      } catch {
        set({ identity: null });
      }
    },
    async setIdentity(id, scope = 'global') {
      try {
        await call('identity:set', { ...id, scope });
        set({ identity: id });
      } catch (e) {
        set({ previewError: errorText(e) });
      }
    },
    async loadDraftInfo(branch) {
      try {
        const info = await call('drafts:info', { branch });
        set({ draftInfo: info, draftInfoError: null });
      } catch (e) {
        set({ draftInfo: null, draftInfoError: errorText(e) });
      }
    },
    async checkAvailability(branch, offline) {
      set({ availability: { ...get().availability, [branch]: { status: 'checking' } } });
      let a: Availability;
      try {
        a = { status: 'checked', result: await call('drafts:availability', { branch, offline }) };
      } catch (e) {
        a = { status: 'failed', error: errorText(e) };
      }
      set({ availability: { ...get().availability, [branch]: a } });
      return a;
    },
    async checkPreviewPool(key, stream, nevras, offline) {
      set({ availability: { ...get().availability, [key]: { status: 'checking' } } });
      let a: Availability;
      try {
        a = { status: 'checked', result: await call('pool:check', { stream, nevras: [...nevras], offline }) };
      } catch (e) {
        a = { status: 'failed', error: errorText(e) };
      }
      set({ availability: { ...get().availability, [key]: a } });
      return a;
    },
    async discardDraft(branch, deleteRemote) {
      try {
        await call('drafts:discard', { branch, deleteRemote });
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
    async pushInOrder(branches) {
      try {
        await call('drafts:pushInOrder', { branches });
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
    resetDrafts() {
      set({ drafts: null, draftsError: null, previews: null, previewError: null, draftInfo: null, draftInfoError: null, availability: {}, versions: [], versionsStatus: 'idle', versionsKey: '', conflicted: new Set<string>() });
    },
    async adoptDraft(branch) {
      try {
        const d = await call('drafts:adopt', { branch });
        await get().loadDrafts();
        return `Adopted ${branch} at ${d.head.slice(0, 12)}${d.stale ? `; it is stale on ${d.stream}: rebase it before pushing` : ''}.`;
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
    async rebaseDraft(branch, redraft, at) {
      try {
        const r = await call('drafts:rebase', at === undefined ? { branch, redraft } : { branch, redraft, at });
        const conflicted = new Set(get().conflicted);
        if (r.status === 'conflict') conflicted.add(branch);
        else conflicted.delete(branch);
        set({ conflicted });
        await get().loadDrafts();
        if (r.status === 'redundant') return `Nothing left to do: ${r.draft.stream} already has ${r.redundant.join(', ')}. Discard the draft.`;
        if (r.status === 'conflict')
          return `${r.conflicts.join(', ')} changed on ${r.draft.stream} since this draft was based. Review the stream's overrides, then "Redraft on the new head" applies this draft's request again there, as the same draft (same branch, same pull request).`;
        if (r.status === 'rebased')
          return `Rebased on ${r.draft.base.slice(0, 12)}${r.redundant.length ? `; dropped ${r.redundant.join(', ')} (already in the base)` : ''}.${r.draft.needsPush ? ' Push it again to update its pull request.' : ''}`;
        return 'Already up to date.';
      } catch (e) {
        return errorText(e);
      }
    },
  };
};
