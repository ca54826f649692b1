/**
 * The open repository and the long operations around it: clone (with progress and cancel),
 * open, demo, fetch, switch. Also the refs offered by the diff's pickers.
 */
import { WRITER_WAIT_OPERATION, type AppInfo, type FetchResult, type ProgressEvent, type RecentRepo, type RefChoice, type RepoInfo } from '../../shared/api/contract';
import { toAppError } from '../../shared/errors';
import { call } from '../api';
import { errorText, REPO_RESETS, type Slice } from './types';
import type { DeepReadonly } from '../../shared/readonly';

export type RepoAction = 'clone' | 'open' | 'demo';

export interface Operation {
  /** The id progress events and `op:cancel` carry. */
  id: string;
  kind: RepoAction | 'fetch';
  /** What it works on: the URL or folder. */
  target?: string;
}

export interface RepoSlice {
  info: DeepReadonly<AppInfo> | null;
  repo: DeepReadonly<RepoInfo> | null;
  /** False until the first `repo:current` answer: the app shows nothing but a splash until then. */
  repoLoaded: boolean;
  startError: string | null;
  recent: DeepReadonly<RecentRepo[]>;
  /** The welcome screen's last failure, shown inline beside the action that failed. */
  welcomeError: { action: RepoAction; message: string; cancelled: boolean } | null;
  operation: Operation | null;
  progress: ProgressEvent | null;
  /** History indexing in the background after an open or fetch. */
  indexProgress: ProgressEvent | null;
  /** What a draft write waiting for another writer's lock says, while it waits. */
  writerWait: string | null;
  fetchResult: DeepReadonly<FetchResult> | null;
  fetchError: string | null;
  /** Bumped whenever the repo's refs may have moved (open, fetch): views reload what they show. */
  dataVersion: number;
  refs: DeepReadonly<RefChoice[]>;
  start(): Promise<void>;
  openRepo(dir: string): Promise<void>;
  cloneRepo(url: string, dir?: string): Promise<void>;
  openDemo(): Promise<void>;
  cancelOperation(): Promise<void>;
  fetch(): Promise<void>;
  dismissFetchResult(): void;
  closeRepo(): Promise<void>;
  /** The back end says the open repo changed (an open from elsewhere, `serve --repo`). */
  repoChanged(info: DeepReadonly<RepoInfo> | null): void;
  setProgress(p: ProgressEvent): void;
  /** Drops this slice's data of the previous repo (refs, the last fetch, index progress). */
  resetRepoData(): void;
}

let opCounter = 0;
const newOperationId = (kind: string): string =>
  `${kind}-${typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`}-${++opCounter}`;

/** The folder whose streams and refs were last loaded, so an open and its event load once. */
let loadedFor: string | null = null;

export const createRepoSlice: Slice<RepoSlice> = (set, get) => {
  /** Resets what belonged to the previous repo and loads the new one's streams and refs. */
  const adopt = (repo: DeepReadonly<RepoInfo> | null, force = false) => {
    const same = (repo?.dir ?? null) === loadedFor;
    set({ repo });
    if (same && !force) return;
    loadedFor = repo?.dir ?? null;
    // Every slice drops what it holds of the previous repo; views reload on the new version.
    for (const reset of REPO_RESETS) get()[reset]();
    set((s) => ({ dataVersion: s.dataVersion + 1 }));
    if (!repo) return;
    void get().loadStreams();
    void loadRefs();
  };

  const loadRefs = async () => {
    try {
      set({ refs: await call('refs:list') });
    } catch {
      set({ refs: [] });
    }
  };

  /** Runs one welcome action; its failure is shown beside it. */
  const run = async (action: RepoAction, target: string, work: (id: string) => Promise<DeepReadonly<RepoInfo>>) => {
    const id = newOperationId(action);
    set({
      welcomeError: null,
      operation: { id, kind: action, target },
      progress: action === 'clone' ? { operationId: id, phase: 'Connecting', loaded: 0, total: 0, percent: null } : null,
    });
    try {
      adopt(await work(id));
    } catch (e) {
      const err = toAppError(e);
      set({
        welcomeError: {
          action,
          cancelled: err.code === 'cancelled',
          message: err.code === 'cancelled' ? 'Clone cancelled. Nothing was kept; clone again to retry.' : err.message,
        },
      });
    } finally {
      set({ operation: null, progress: null });
      void call('repo:recent')
        .then((recent) => set({ recent }))
        .catch(() => undefined);
    }
  };

  return {
    info: null,
    repo: null,
    repoLoaded: false,
    startError: null,
    recent: [],
    welcomeError: null,
    operation: null,
    progress: null,
    indexProgress: null,
    writerWait: null,
    fetchResult: null,
    fetchError: null,
    dataVersion: 0,
    refs: [],
    async start() {
      try {
        const [info, repo, recent] = await Promise.all([call('app:info'), call('repo:current'), call('repo:recent')]);
        set({ info, recent, repoLoaded: true });
        adopt(repo);
      } catch (e) {
        set({ startError: errorText(e) });
      }
    },
    openRepo(dir) {
      return run('open', dir, () => call('repo:open', { dir }));
    },
    cloneRepo(url, dir) {
      return run('clone', url, (operationId) => call('repo:clone', { url, dir: dir || undefined, operationId }));
    },
    openDemo() {
      return run('demo', 'demo', () => call('repo:demo'));
    },
    async cancelOperation() {
      const op = get().operation;
      if (op && (op.kind === 'clone' || op.kind === 'fetch')) await call('op:cancel', { operationId: op.id });
    },
    async fetch() {
      if (get().operation) return;
      const id = newOperationId('fetch');
      set({
        operation: { id, kind: 'fetch' },
        fetchResult: null,
        fetchError: null,
        progress: { operationId: id, phase: 'Connecting', loaded: 0, total: 0, percent: null },
      });
      try {
        const result = await call('repo:fetch', { operationId: id });
        void loadRefs();
        // The notice is read against the streams and drafts (it says only what is still true): both are
        // read again first, so it is never held against the heads and drafts from before this fetch.
        await Promise.all([get().loadStreams(), get().drafts ? get().loadDrafts() : undefined]);
        set((s) => ({ fetchResult: result, dataVersion: s.dataVersion + 1 }));
      } catch (e) {
        const err = toAppError(e);
        set({ fetchError: err.code === 'cancelled' ? 'Fetch cancelled; nothing changed.' : `Fetch failed: ${err.message}` });
      } finally {
        set({ operation: null, progress: null });
      }
    },
    dismissFetchResult() {
      set({ fetchResult: null, fetchError: null });
    },
    async closeRepo() {
      adopt(null);
      history.replaceState(history.state, '', `${location.pathname}${location.search}`);
      set({ route: { view: 'streams', params: {} } });
      try {
        await call('repo:close');
        set({ recent: await call('repo:recent') });
      } catch {
        // The welcome screen works without the recent list.
      }
    },
    repoChanged(info) {
      if (get().operation && info) return; // the running open/clone adopts its own answer
      adopt(info);
    },
    resetRepoData() {
      set({ refs: [], fetchResult: null, fetchError: null, indexProgress: null, writerWait: null });
    },
    setProgress(p) {
      if (p.operationId === 'index') set({ indexProgress: p });
      else if (p.operationId === WRITER_WAIT_OPERATION) set({ writerWait: p.loaded < p.total ? p.phase : null });
      else if (p.operationId === get().operation?.id) set({ progress: p });
    },
  };
};
