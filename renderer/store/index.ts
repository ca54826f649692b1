/**
 * The app's one store, made of typed slices; actions live beside their state and do the async
 * work (await, then set). Components select single values.
 */
import { create } from 'zustand';
import type { AppInfo, ProgressEvent, RecentRepo, RefChoice, RepoInfo } from '../../shared/api/contract';
import type { DiffResult, DraftPreview, DraftRequestData, DraftView, HistoryResult, StreamSummary, VersionChoice } from '../../shared/api/types';
import { call } from '../api';

export type View = 'streams' | 'diff' | 'history' | 'drafts' | 'draft' | 'edit' | 'draft-info';

export interface Route {
  view: View;
  params: Record<string, string>;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function parseHash(hash: string): Route {
  const [path, query] = hash.replace(/^#\/?/, '').split('?');
  const view = (['streams', 'diff', 'history', 'drafts', 'draft', 'edit', 'draft-info'].includes(path) ? path : 'streams') as View;
  return { view, params: Object.fromEntries(new URLSearchParams(query ?? '')) };
}

export function routeHash(view: View, params: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return `#/${view}${q ? `?${q}` : ''}`;
}

interface RepoSlice {
  info: AppInfo | null;
  repo: RepoInfo | null;
  repoLoaded: boolean;
  recent: RecentRepo[];
  repoError: string | null;
  progress: ProgressEvent | null;
  /** The background history indexing after an open or fetch. */
  indexProgress: ProgressEvent | null;
  operation: string | null;
  fetchResult: string | null;
  refs: RefChoice[];
  loadStart(): Promise<void>;
  openRepo(dir: string): Promise<void>;
  cloneRepo(url: string, dir?: string): Promise<void>;
  openDemo(): Promise<void>;
  cancel(): Promise<void>;
  fetch(): Promise<void>;
  closeRepo(): void;
  setProgress(p: ProgressEvent): void;
}

interface StreamsSlice {
  streams: StreamSummary[] | null;
  streamsError: string | null;
  loadStreams(): Promise<void>;
}

interface DiffSlice {
  diff: DiffResult | null;
  diffLoading: boolean;
  diffError: string | null;
  loadDiff(from: string, to: string, overrides: boolean): Promise<void>;
}

interface HistorySlice {
  history: HistoryResult | null;
  historyLoading: boolean;
  historyError: string | null;
  loadHistory(name: string, arch: string): Promise<void>;
}

interface DraftsSlice {
  drafts: DraftView[] | null;
  draftsError: string | null;
  preview: DraftPreview | null;
  previewError: string | null;
  versions: VersionChoice[];
  loadDrafts(): Promise<void>;
  loadVersions(name: string): Promise<void>;
  previewDraft(req: DraftRequestData): Promise<void>;
  saveDraft(req: DraftRequestData): Promise<string | null>;
  discardDraft(branch: string): Promise<void>;
  rebaseDraft(branch: string): Promise<string>;
  /** Drafts the user pushed in this session: their PR page opens once pushed. */
  pushedHere: Set<string>;
}

interface UiSlice {
  route: Route;
  credentialRequest: { requestId: string; url: string; rejected: boolean } | null;
  navigate(view: View, params?: Record<string, string | undefined>): void;
  setRoute(r: Route): void;
}

export type Store = RepoSlice & StreamsSlice & DiffSlice & HistorySlice & DraftsSlice & UiSlice;

let opCounter = 0;

export const useStore = create<Store>()((set, get) => ({
  // repo
  info: null,
  repo: null,
  repoLoaded: false,
  recent: [],
  repoError: null,
  progress: null,
  indexProgress: null,
  operation: null,
  fetchResult: null,
  refs: [],
  async loadStart() {
    const [info, repo, recent] = await Promise.all([call('app:info'), call('repo:current'), call('repo:recent')]);
    set({ info, repo, recent, repoLoaded: true });
    if (repo) void afterOpen();
  },
  async openRepo(dir) {
    set({ repoError: null, operation: 'open' });
    try {
      const repo = await call('repo:open', { dir });
      set({ repo });
      void afterOpen();
    } catch (e) {
      set({ repoError: errorText(e) });
    } finally {
      set({ operation: null });
    }
  },
  async cloneRepo(url, dir) {
    const operationId = `clone-${++opCounter}`;
    set({ repoError: null, operation: operationId, progress: { operationId, phase: 'Connecting', loaded: 0, total: 0, percent: null } });
    try {
      const repo = await call('repo:clone', { url, dir: dir || undefined, operationId });
      set({ repo });
      void afterOpen();
    } catch (e) {
      set({ repoError: errorText(e) });
    } finally {
      set({ operation: null, progress: null });
    }
  },
  async openDemo() {
    set({ repoError: null, operation: 'demo' });
    try {
      const repo = await call('repo:demo');
      set({ repo });
      void afterOpen();
    } catch (e) {
      set({ repoError: errorText(e) });
    } finally {
      set({ operation: null });
    }
  },
  async cancel() {
    const op = get().operation;
    if (op) await call('op:cancel', { operationId: op });
  },
  async fetch() {
    const operationId = `fetch-${++opCounter}`;
    set({ operation: operationId, fetchResult: null, progress: { operationId, phase: 'Connecting', loaded: 0, total: 0, percent: null } });
    try {
      const r = await call('repo:fetch', { operationId });
      set({ fetchResult: r.updated.length ? `Updated: ${r.updated.map((u) => u.name).join(', ')}` : 'Up to date' });
      void afterOpen();
    } catch (e) {
      set({ fetchResult: `Fetch failed: ${errorText(e)}` });
    } finally {
      set({ operation: null, progress: null });
    }
  },
  closeRepo() {
    set({ repo: null, streams: null, diff: null, history: null, drafts: null });
    void call('repo:close').then(() => call('repo:recent').then((recent) => set({ recent })));
  },
  setProgress(p) {
    if (p.operationId === 'index') set({ indexProgress: p });
    else if (p.operationId === get().operation) set({ progress: p });
  },
  // streams
  streams: null,
  streamsError: null,
  async loadStreams() {
    try {
      set({ streams: await call('streams:list'), streamsError: null });
    } catch (e) {
      set({ streamsError: errorText(e) });
    }
  },
  // diff
  diff: null,
  diffLoading: false,
  diffError: null,
  async loadDiff(from, to, overrides) {
    set({ diffLoading: true, diffError: null });
    try {
      set({ diff: await call('diff:refs', { from, to, overrides }) });
    } catch (e) {
      set({ diffError: errorText(e), diff: null });
    } finally {
      set({ diffLoading: false });
    }
  },
  // history
  history: null,
  historyLoading: false,
  historyError: null,
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
  // drafts
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
    await call('drafts:discard', { branch });
    await get().loadDrafts();
  },
  async rebaseDraft(branch) {
    try {
      const r = await call('drafts:rebase', { branch });
      await get().loadDrafts();
      if (r.status === 'redundant') return `Nothing left to do: ${r.draft.stream} already has ${r.redundant.join(', ')}. Discard the draft.`;
      if (r.status === 'conflict') return `${r.conflicts.join(', ')} changed on ${r.draft.stream} since this draft was based: review, then discard and draft again.`;
      if (r.status === 'rebased') return `Rebased on ${r.draft.base.slice(0, 12)}${r.redundant.length ? `; dropped ${r.redundant.join(', ')} (already in the base)` : ''}.`;
      return 'Already up to date.';
    } catch (e) {
      return errorText(e);
    }
  },
  // ui
  route: parseHash(location.hash),
  credentialRequest: null,
  navigate(view, params = {}) {
    location.hash = routeHash(view, params);
  },
  setRoute(route) {
    set({ route });
  },
}));

async function afterOpen(): Promise<void> {
  const s = useStore.getState();
  await s.loadStreams();
  try {
    useStore.setState({ refs: await call('refs:list') });
  } catch {
    useStore.setState({ refs: [] });
  }
}
