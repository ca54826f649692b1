/**
 * What the handlers share: the open repo and what hangs off it (history index, push queue),
 * settings, credentials (the user's git helper, then the UI's token prompt), running
 * operations and their progress. One per back end; the hosts never see it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EmitEvent, RepoInfo } from '../../shared/api/contract';
import { AppError, toAppError } from '../../shared/errors';
import { remoteUrl } from '../git/config';
import { gitCredentialProvider, type CredentialProvider, type Credentials } from '../git/transport/credentials';
import { stripUserInfo } from '../git/errors';
import { BackgroundIndexer } from '../services/history/background';
import { ConfigRepo } from '../services/review/config-repo';
import { DraftStore } from '../services/drafts/store';
import type { GithubTokenStatus } from '../../shared/api/settings-types';
import { forgeFromEnv, helperToken } from '../services/push/forge-github';
import { HistoryIndex } from '../services/history/history-index';
import { PushQueue } from '../services/push/queue';
import { dataDir as defaultDataDir, SettingsStore } from '../services/settings';
import { listStreams } from '../services/review/streams';

/**
 * How long an open's indexing waits for the streams overview to be answered at most: the worker's
 * start-up competes for the CPU with the open's first screen (budget 1 s), and a UI that never
 * asks for the overview should still get its history indexed.
 */
export const INDEX_START_FALLBACK_MS = 1000;

export interface AppContext {
  host: 'electron' | 'browser';
  emit: EmitEvent;
  dataDir?: string;
  /** A repo to open at start (`lockstep serve --repo`). */
  initialRepo?: string;
  /** Reopen the most recent repo at start when no initialRepo is given (default true). */
  reopenLast?: boolean;
  /** Where a token the user asked to remember is kept: safeStorage in Electron, git's credential helper in the browser host. */
  tokenStore?: CredentialProvider & { save(url: string, c: Credentials): Promise<void> };
  /** What `tokenStore` is, for the settings screen to say where a saved token goes. */
  tokenStoreKind?: 'os' | 'git-helper';
}

const GITHUB = 'https://github.com/';
// GitHub takes any username with a token; this is the one its docs use for app tokens.
const GITHUB_TOKEN_USER = 'x-access-token';
const SAVED_IN_HELPER = `https://${GITHUB_TOKEN_USER}@github.com/`;
// Tokens are printable ASCII (ghp_…, github_pat_…): anything else is a paste gone wrong.
const TOKEN_SHAPE = /^[\x21-\x7e]{1,255}$/;

export class Session {
  readonly dataDir: string;
  readonly settings: SettingsStore;
  readonly credentials: CredentialProvider;
  private readonly operations = new Map<string, AbortController>();
  private readonly pendingAnswers = new Map<string, (c: Credentials | null) => void>();
  /** Answers the user asked to remember (username and password as one key): only those are stored. */
  private readonly remembered = new Set<string>();
  private nextRequest = 1;
  repo: ConfigRepo | null = null;
  info: RepoInfo | null = null;
  history: HistoryIndex | null = null;
  queue: PushQueue | null = null;
  /** The one history builder of the open repo (a worker); queries wait for it, never duplicate it. */
  private indexer: BackgroundIndexer | null = null;
  /** Set while an open's indexing waits for the first screen (see `open`). */
  private deferredIndex: NodeJS.Timeout | null = null;

  constructor(readonly ctx: AppContext) {
    this.dataDir = ctx.dataDir ?? defaultDataDir();
    this.settings = new SettingsStore(path.join(this.dataDir, 'settings.json'));
    // Asks the UI for a token when no credential helper had one; the answer never goes back out.
    const prompt: CredentialProvider = {
      get: (url, attempt) => {
        const requestId = `cred-${this.nextRequest++}`;
        return new Promise((resolve) => {
          this.pendingAnswers.set(requestId, resolve);
          ctx.emit('credentials:request', { requestId, url: stripUserInfo(url), rejected: attempt > 0 });
        });
      },
      // Kept for the session otherwise (git's helper or the UI asks again next time).
      approve: async (url, c) => {
        if (this.remembered.delete(JSON.stringify([c.username, c.password]))) await ctx.tokenStore?.save(url, c);
      },
      reject: async (url, c) => {
        this.remembered.delete(JSON.stringify([c.username, c.password]));
        await ctx.tokenStore?.reject(url, c);
      },
    };
    const store = ctx.tokenStore;
    const fallback: CredentialProvider = store
      ? { get: async (url, attempt) => (attempt === 0 ? await store.get(url, attempt) : null) ?? prompt.get(url, attempt), approve: prompt.approve, reject: prompt.reject }
      : prompt;
    this.credentials = gitCredentialProvider(fallback);
  }

  requireRepo(): ConfigRepo {
    if (!this.repo) throw new AppError('bad-input', 'no repository is open: clone one, open a local clone, or open the demo');
    return this.repo;
  }

  historyIndex(): HistoryIndex {
    return this.history ?? (this.history = this.newHistory(this.requireRepo()));
  }

  /** A history index whose missing parts the worker builds. */
  newHistory(r: ConfigRepo): HistoryIndex {
    const indexer = (this.indexer ??= new BackgroundIndexer(r.location.dir, r.upstream, this.progress('index')));
    return new HistoryIndex(r, {
      build: (ref) => {
        // A query needs the index now: waiting for the first screen would only delay its answer.
        this.startDeferredIndexing();
        return indexer.build(ref);
      },
    });
  }

  streams() {
    return listStreams(this.requireRepo(), this.settings.read().streams);
  }

  answerCredentials(requestId: string, c: Credentials | null, remember = false): void {
    const resolve = this.pendingAnswers.get(requestId);
    if (!resolve) throw new AppError('bad-input', `no credential request ${requestId} is waiting`, { field: 'requestId' });
    this.pendingAnswers.delete(requestId);
    if (c && remember) this.remembered.add(JSON.stringify([c.username, c.password]));
    resolve(c);
  }

  /** Opens a clone: refuses a folder with no streams, repairs interrupted draft saves, starts the queue and the indexer. */
  async open(dir: string, demo = false): Promise<RepoInfo> {
    const next = await ConfigRepo.open(dir, { upstream: this.settings.read().upstream });
    const streams = await listStreams(next, this.settings.read().streams);
    if (streams.length === 0) {
      next.close();
      throw new AppError('bad-input', `${dir}: no branch holds a manifest-lock file; is this a clone of the config repo?`, { file: dir });
    }
    await new DraftStore(next).repair();
    const url = await remoteUrl(next.gitdir, next.upstream);
    this.close();
    this.repo = next;
    this.history = this.newHistory(next);
    this.info = { dir: next.location.dir, bare: next.location.bare, remoteUrl: url ? stripUserInfo(url) : null, streams: streams.map((s) => s.name), demo };
    if (!demo) await this.settings.rememberRepo(next.location.dir);
    this.ctx.emit('repo:changed', this.info);
    // The worker starts once the streams overview is answered (`overviewAnswered`): started now, its
    // start-up and first pack reads would compete for the CPU with the answer the user waits for.
    this.deferredIndex = setTimeout(() => this.startDeferredIndexing(), INDEX_START_FALLBACK_MS);
    this.deferredIndex.unref();
    // Nothing is lost while the app was closed: queued pushes go, pushed drafts are watched.
    this.startQueue();
    return this.info;
  }

  close(): void {
    if (this.deferredIndex) clearTimeout(this.deferredIndex);
    this.deferredIndex = null;
    this.queue?.stop();
    this.queue = null;
    this.repo?.close();
    this.repo = null;
    this.history = null;
    this.indexer = null;
    this.info = null;
  }

  /** The GitHub token in use and where it comes from: the environment, then what Settings saved, then git's helper. */
  async githubToken(): Promise<{ token: string; status: GithubTokenStatus } | null> {
    const store = this.tokenStoreKind();
    for (const variable of ['LOCKSTEP_GITHUB_TOKEN', 'GITHUB_TOKEN']) {
      const token = process.env[variable];
      if (token) return { token, status: { source: 'env', variable, store } };
    }
    const saved = await this.savedGithubToken();
    if (saved) return { token: saved.password, status: { source: 'saved', store } };
    const helper = await helperToken(gitCredentialProvider())().catch(() => null);
    return helper ? { token: helper, status: { source: 'git-helper', store } } : null;
  }

  async githubTokenStatus(): Promise<GithubTokenStatus> {
    return (await this.githubToken())?.status ?? { source: null, store: this.tokenStoreKind() };
  }

  /** Where a token saved from Settings goes; null when this host has no safe place. */
  private tokenStoreKind(): GithubTokenStatus['store'] {
    return this.ctx.tokenStore ? (this.ctx.tokenStoreKind ?? 'os') : null;
  }

  /** Keeps a GitHub token in the host's store, or forgets the one kept there; the queue takes it at once. */
  async setGithubToken(token: string | undefined): Promise<GithubTokenStatus> {
    const store = this.ctx.tokenStore;
    if (!store) throw new AppError('bad-input', 'this host has no place to keep a token safely: set LOCKSTEP_GITHUB_TOKEN instead', { field: 'token' });
    const given = token?.trim() ?? '';
    if (given) {
      // The message never quotes what was typed: it may be a real token with a typo.
      if (!TOKEN_SHAPE.test(given)) throw new AppError('bad-input', 'that is not a GitHub token: tokens are one word of printable characters (ghp_…, github_pat_…); nothing was saved', { field: 'token' });
      await store.save(this.ctx.tokenStoreKind === 'git-helper' ? SAVED_IN_HELPER : GITHUB, { username: GITHUB_TOKEN_USER, password: given });
    } else {
      const current = await this.savedGithubToken();
      if (current) await store.reject(this.ctx.tokenStoreKind === 'git-helper' ? SAVED_IN_HELPER : GITHUB, current);
    }
    if (this.queue && this.repo) this.startQueue();
    return this.githubTokenStatus();
  }

  /**
   * The token Settings saved. In git's helper it is the github.com entry of the user
   * `x-access-token` only: the user's own github.com login there is theirs, never forgotten here.
   */
  private async savedGithubToken(): Promise<Credentials | null> {
    if (this.ctx.tokenStoreKind === 'git-helper') {
      const got = await gitCredentialProvider()
        .get(SAVED_IN_HELPER, 0)
        .catch(() => null);
      return got?.password && got.username === GITHUB_TOKEN_USER ? got : null;
    }
    const got = await this.ctx.tokenStore?.get(GITHUB, 0).catch(() => null);
    return got?.password ? got : null;
  }

  /** The push queue of the open repo; GitHub's API is used when a token is set in the environment. */
  startQueue(): PushQueue {
    const r = this.requireRepo();
    this.queue?.stop();
    const s = this.settings.read();
    const queue = new PushQueue(r, {
      concurrency: s.pushConcurrency,
      remote: s.pushRemote || undefined,
      credentials: this.credentials,
      // A github.com token from git's helper only: the UI's token prompt is for git servers.
      forge: forgeFromEnv(process.env, async () => (await this.githubToken())?.token ?? null),
      onChange: (branch, state) => this.ctx.emit('drafts:changed', { branch, state }),
      onError: (err) => this.ctx.emit('op:progress', { operationId: 'queue', phase: `Push queue: ${err.message}`, loaded: 1, total: 1, percent: null }),
    });
    this.queue = queue;
    void queue.reconcile().catch((err) => this.ctx.emit('op:progress', { operationId: 'queue', phase: `Push queue: ${toAppError(err).message}`, loaded: 1, total: 1, percent: null }));
    return queue;
  }

  /** Starts the open's indexing if it is still waiting for the first screen. */
  startDeferredIndexing(): void {
    if (!this.deferredIndex) return;
    clearTimeout(this.deferredIndex);
    this.deferredIndex = null;
    this.indexInBackground();
  }

  /** The streams overview was answered: the waiting indexing starts once the answer is written. */
  overviewAnswered(): void {
    // setImmediate runs after the host's reply (written in the handler's continuation) has gone out.
    if (this.deferredIndex) setImmediate(() => this.startDeferredIndexing());
  }

  /** Builds every stream's history index in a worker, so history opens warm. */
  indexInBackground(): void {
    const r = this.requireRepo();
    const operationId = 'index';
    const indexer = (this.indexer ??= new BackgroundIndexer(r.location.dir, r.upstream, this.progress(operationId)));
    void this.streams()
      .then((streams) => indexer.index(streams.map((s) => s.name)))
      .then(() => this.ctx.emit('op:progress', { operationId, phase: 'History indexed', loaded: 1, total: 1, percent: 100 }))
      .catch(() => undefined);
  }

  /** Starts a cancellable operation; one at a time per id (and per clone destination). */
  operation(operationId: string): AbortController {
    if (this.operations.has(operationId)) throw new AppError('conflict', `operation ${operationId} is already running`, { field: 'operationId' });
    const ac = new AbortController();
    this.operations.set(operationId, ac);
    return ac;
  }

  endOperation(operationId: string): void {
    this.operations.delete(operationId);
  }

  cancel(operationId: string): void {
    this.operations.get(operationId)?.abort();
  }

  progress(operationId: string) {
    return (p: { phase: string; loaded: number; total: number }) =>
      this.ctx.emit('op:progress', {
        operationId,
        phase: p.phase,
        loaded: p.loaded,
        total: p.total,
        percent: p.total > 0 ? Math.min(100, Math.round((p.loaded / p.total) * 100)) : null,
      });
  }

  dispose(): void {
    for (const ac of this.operations.values()) ac.abort();
    for (const resolve of this.pendingAnswers.values()) resolve(null);
    this.close();
  }

  recent() {
    return this.settings.read().recent.filter((r) => fs.existsSync(r.dir));
  }
}
